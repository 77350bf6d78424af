import path from 'node:path';
import { TableClient, type TableEntityResult } from '@azure/data-tables';
import { inject } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import type { ModelId } from '../../src/model/content.js';
import { capabilityVersion } from '../../src/model/levels.js';
import { roundOf } from '../../src/model/round.js';

const content = loadContent(path.resolve('content'));

/** What the Next button of question `index` sends, with `level` chosen: built from content/, as the card builds it. */
export function answerData(modelId: ModelId, index: number, level: string, now = new Date()): Record<string, unknown> {
  const capability = content.models[modelId].capabilities[index];
  if (!capability) throw new Error(`The ${modelId} model has no question ${index + 1}`);
  return { verb: 'answer', model: modelId, capability: capability.id, round: roundOf(now), v: capabilityVersion(capability), level };
}

export function capabilityIds(modelId: ModelId): string[] {
  return content.models[modelId].capabilities.map((capability) => capability.id);
}

/** Every row of a harness's answers table (current answers and history), read straight from storage. */
export function answerRows(
  tablePrefix: string,
  connectionString = inject('azuriteConnectionString'),
): Promise<TableEntityResult<Record<string, unknown>>[]> {
  return tableRows(`${tablePrefix}answers`, connectionString);
}

/** Every row of one table, read straight from storage. */
export async function tableRows(
  tableName: string,
  connectionString = inject('azuriteConnectionString'),
): Promise<TableEntityResult<Record<string, unknown>>[]> {
  const table = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
  const rows: TableEntityResult<Record<string, unknown>>[] = [];
  for await (const row of table.listEntities<Record<string, unknown>>()) rows.push(row);
  return rows;
}
