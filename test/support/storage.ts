import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { openTable } from '../../src/store/tables.js';

/** A fresh table in the run's Azurite, so tests never see each other's rows. */
export async function freshTable(label: string) {
  const name = `t${label}${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  return openTable(inject('azuriteConnectionString'), name);
}

export function uniquePrefix(): string {
  return `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
