// Validates the content folder the way start-up does, so a CoE editing content/ can check its change.
import path from 'node:path';
import { loadContent } from '../src/content/loadContent.js';

const dir = path.resolve(process.argv[2] ?? 'content');
const content = loadContent(dir);
for (const [id, model] of Object.entries(content.models)) {
  console.log(`${id}: ${model.capabilities.length} capabilities, ${model.levels.length} levels`);
}
console.log(`pillars: ${content.pillars.length}; support tiers: ${content.support.tiers.tiers.length}`);
console.log('content OK');
