import { TableClient, type TableEntityResult, odata } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

/**
 * Retries of transient failures (connection refused or reset, timeouts, 408, 5xx except 501/505; 429 per
 * Retry-After) by the client's own pipeline, at most 0.2 s, 0.4 s and 0.8 s apart (with jitter): a blip goes
 * unnoticed, and a real outage fails within about a second and a half, in time to tell the member to try again.
 */
export const STORAGE_RETRY = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 } as const;

/** Where the tables are and how to sign in: a connection string (Azurite, or a key or SAS), or a table endpoint and a Microsoft Entra credential. */
export type TableAccount = string | { url: string; credential: TokenCredential };

/**
 * The credential for storage by identity. In Azure: the user-assigned managed identity named by its client id, and
 * nothing else, so a missing role fails at once with the identity's own error instead of a probe of developer tools.
 * Without a client id (a developer's machine): whatever the developer signed in with (Azure CLI, azd, VS Code, …).
 */
export function storageCredential(managedIdentityClientId: string | undefined): TokenCredential {
  return managedIdentityClientId ? new ManagedIdentityCredential({ clientId: managedIdentityClientId }) : new DefaultAzureCredential();
}

/** Opens (and creates if missing) one table of the account. */
export async function openTable(account: TableAccount, name: string): Promise<TableClient> {
  const client =
    typeof account === 'string'
      ? // Azurite speaks plain http on loopback; a real account is https and ignores the flag.
        TableClient.fromConnectionString(account, name, {
          allowInsecureConnection: account.includes('http://'),
          retryOptions: STORAGE_RETRY,
        })
      : new TableClient(account.url, name, account.credential, { retryOptions: STORAGE_RETRY });
  await client.createTable();
  return client;
}

/** What stands where a member's id was ("set by", "switched on by") once they asked to be forgotten. */
export const FORMER_MEMBER = 'a former member';

/** Every row of a tenant (partition keys start with the tenant's key part) that also matches `condition`. */
export function inTenant(tenantId: string, condition: string): string {
  return `${odata`PartitionKey ge ${`${keyPart(tenantId)}|`} and PartitionKey lt ${`${keyPart(tenantId)}}`}`} and ${condition}`;
}

/**
 * Puts FORMER_MEMBER in `column` of every row matching `filter` (which names the member), each only if
 * unchanged since it was listed: a row rewritten in between was written after the member asked, by
 * whoever rewrote it. Returns how many rows changed.
 */
export async function replaceMemberId(client: TableClient, filter: string, column: string): Promise<number> {
  let changed = 0;
  for (const { partitionKey, rowKey, etag } of await listKeys(client, filter)) {
    try {
      await client.updateEntity({ partitionKey, rowKey, [column]: FORMER_MEMBER }, 'Merge', { etag });
      changed += 1;
    } catch (error) {
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
    }
  }
  return changed;
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

/** Where a row is and which version of it was read: what an ETag-checked update or delete needs. */
export interface RowRef {
  partitionKey: string;
  rowKey: string;
  etag: string;
}

/** The keys and ETags of every row matching `filter`, and nothing else of them. */
export async function listKeys(client: TableClient, filter: string): Promise<RowRef[]> {
  return (await listAll<object>(client, filter, ['PartitionKey', 'RowKey'])).map(({ partitionKey, rowKey, etag }) => {
    // Selected, so always sent: the SDK's type only leaves them optional because a select may omit them.
    if (partitionKey === undefined || rowKey === undefined) throw new Error(`Table ${client.tableName} listed a row without its keys`);
    return { partitionKey, rowKey, etag };
  });
}

/** For a delete that may find the row gone already: a 404 is success, anything else is thrown on. */
export function ignoreNotFound(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}

/** The status code of a failed storage call, if the error came from the service. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
    ? error.statusCode
    : undefined;
}
