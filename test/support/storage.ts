import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
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

/** Counts the HTTP requests a table client sends (retries included), as a policy in its own pipeline. */
export function countRequests(table: TableClient): { readonly count: number; reset(): void } {
  let count = 0;
  table.pipeline.addPolicy(
    {
      name: `countRequests-${randomUUID()}`,
      sendRequest: (request, next) => {
        count += 1;
        return next(request);
      },
      // After the retry policy: each attempt on the wire counts.
    },
    { afterPhase: 'Retry' },
  );
  return {
    get count() {
      return count;
    },
    reset: () => void (count = 0),
  };
}
