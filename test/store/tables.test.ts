import { afterEach, describe, expect, inject, it } from 'vitest';
import { openTable, statusOf, STORAGE_RETRY } from '../../src/store/tables.js';
import { uniquePrefix } from '../support/storage.js';
import { storageProxy, type StorageProxy } from '../support/storageProxy.js';

let proxy: StorageProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('openTable (against Azurite, through a proxy that answers 503)', () => {
  it('retries transient 503s with backoff, so a short outage goes unnoticed', async () => {
    proxy = await storageProxy(inject('azuriteConnectionString'));
    const table = await openTable(proxy.connectionString, `${uniquePrefix()}retry`);
    proxy.state.requests.length = 0;
    proxy.state.failures = 2;
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 1 });
    expect(proxy.state.requests).toHaveLength(3);
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(1);
  });

  it('gives up after a bounded number of tries and reports the status', async () => {
    proxy = await storageProxy(inject('azuriteConnectionString'));
    const table = await openTable(proxy.connectionString, `${uniquePrefix()}retry`);
    proxy.state.requests.length = 0;
    proxy.state.failures = 100;
    const started = performance.now();
    const failure = await table.getEntity('p', 'r').catch((error: unknown) => error);
    expect(statusOf(failure)).toBe(503);
    expect(proxy.state.requests).toHaveLength(STORAGE_RETRY.maxRetries + 1);
    // Bounded: the member hears back within a couple of seconds, not after the SDK's default minute of backoff.
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
