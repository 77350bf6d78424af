import { TableClient, type TableEntityResult, odata } from '@azure/data-tables';

/**
 * Retries of transient failures (connection refused or reset, timeouts, 408, 5xx except 501/505; 429 per
 * Retry-After) by the client's own pipeline, at most 0.2 s, 0.4 s and 0.8 s apart (with jitter): a blip goes
 * unnoticed, and a real outage fails within about a second and a half, in time to tell the member to try again.
 */
export const STORAGE_RETRY = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 } as const;

/** Opens (and creates if missing) one table of the account the connection string names. */
export async function openTable(connectionString: string, name: string): Promise<TableClient> {
  // Azurite speaks plain http on loopback; a real account is https and ignores the flag.
  const client = TableClient.fromConnectionString(connectionString, name, {
    allowInsecureConnection: connectionString.includes('http://'),
    retryOptions: STORAGE_RETRY,
  });
  await client.createTable();
  return client;
}

/**
 * Encodes one part of a PartitionKey or RowKey: Table Storage forbids / \ # ? and control characters,
 * and Teams ids contain ':' ';' '@' '='. encodeURIComponent keeps keys readable and ordered.
 */
export function keyPart(value: string): string {
  return encodeURIComponent(value);
}

/** Every row whose key starts with `prefix` ('|' is 0x7C, so '}' (0x7D) bounds the range). */
export function rowKeyPrefixFilter(partitionKey: string, prefix: string): string {
  const upper = `${prefix.slice(0, -1)}}`;
  return odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${upper}`;
}

/** Every row matching `filter`, optionally only some columns (less to read and parse for large partitions). */
export async function listAll<T extends object>(client: TableClient, filter: string, select?: string[]): Promise<TableEntityResult<T>[]> {
  const rows: TableEntityResult<T>[] = [];
  for await (const row of client.listEntities<T>({ queryOptions: select ? { filter, select } : { filter } })) rows.push(row);
  return rows;
}

/** The status code of a failed storage call, if the error came from the service. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}
