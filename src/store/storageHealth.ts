import type { TableClient } from '@azure/data-tables';
import { statusOf } from './tables.js';
import { messageOf } from '../errors.js';

export type StorageHealth = { healthy: true } | { healthy: false; problem: string };

/** Long enough for the client's quick retries of a blip, short enough for a load balancer's probe. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Whether storage answers, with one cheap call: a point read of a row that never exists. "Not found" means the
 * service answered and the table is there; anything else (refused, timed out, credentials refused) names the problem.
 */
export async function probeStorage(client: TableClient): Promise<StorageHealth> {
  try {
    await client.getEntity('healthz', 'healthz', { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { healthy: true };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 && !/TableNotFound/i.test(messageOf(error))) return { healthy: true };
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    const reason =
      status !== undefined
        ? `storage answered ${status}${code ? ` (${code})` : ''}`
        : `storage did not answer (${error instanceof Error && error.name === 'AbortError' ? `no answer within ${PROBE_TIMEOUT_MS} ms` : (code ?? 'no connection')})`;
    return { healthy: false, problem: `Table Storage is unavailable: ${reason}.` };
  }
}
