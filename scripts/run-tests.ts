// The test command: type-check, check formatting, lint, run vitest, then print the totals as one plain line that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const run = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'inherit', shell: false }).status ?? 1;
const bin = (name: string) => `node_modules/.bin/${name}`;

// Static checks: each one that fails counts as one failed test, so CI cannot be green past it.
const checks = [
  { name: 'Type check', status: run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) },
  { name: 'Format check (fix with: npx prettier --write .)', status: run(bin('prettier'), ['--check', '--log-level', 'warn', '.']) },
  // Errors fail the run; warnings (each `!` the compiler cannot check) are for `npm run lint`, to be driven down.
  { name: 'Lint (eslint.config.js; fix what it can with: npx eslint --fix .)', status: run(bin('eslint'), ['--quiet', '.']) },
];
const failedChecks = checks.filter((check) => check.status !== 0);
for (const check of failedChecks) console.error(`${check.name} failed (see above).`);

mkdirSync('out', { recursive: true });
const resultsFile = 'out/test-results.json';
const vitest = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultsFile}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  passed = results.numPassedTests;
  failed = results.numFailedTests;
} catch {
  failed += 1; // vitest died before writing results: that is a failure, not zero tests.
}
failed += failedChecks.length;
if (vitest !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedChecks.length > 0 || vitest !== 0 ? 1 : 0);
