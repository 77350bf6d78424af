import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openTable, statusOf, STORAGE_RETRY } from '../../src/store/tables.js';
import { uniquePrefix } from '../support/storage.js';

/**
 * An HTTP proxy in front of the run's Azurite that answers the next `failures` requests itself with 503
 * (as a storage front end under load does), then forwards everything. It counts what reached it.
 */
async function flakyProxy(target: string) {
  const upstream = new URL(target);
  const state = { failures: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    if (state.failures > 0) {
      state.failures -= 1;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { value: 'The server is busy.' } } }));
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    connectionString: inject('azuriteConnectionString').replace(`:${upstream.port}/`, `:${port}/`),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const tableEndpoint = () => /TableEndpoint=([^;]+)/.exec(inject('azuriteConnectionString'))![1]!;

let proxy: Awaited<ReturnType<typeof flakyProxy>> | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('openTable (against Azurite, through a proxy that answers 503)', () => {
  it('retries transient 503s with backoff, so a short outage goes unnoticed', async () => {
    proxy = await flakyProxy(tableEndpoint());
    const table = await openTable(proxy.connectionString, `${uniquePrefix()}retry`);
    proxy.state.requests = 0;
    proxy.state.failures = 2;
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 1 });
    expect(proxy.state.requests).toBe(3);
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(1);
  });

  it('gives up after a bounded number of tries and reports the status', async () => {
    proxy = await flakyProxy(tableEndpoint());
    const table = await openTable(proxy.connectionString, `${uniquePrefix()}retry`);
    proxy.state.requests = 0;
    proxy.state.failures = 100;
    const started = performance.now();
    const failure = await table.getEntity('p', 'r').catch((error: unknown) => error);
    expect(statusOf(failure)).toBe(503);
    expect(proxy.state.requests).toBe(STORAGE_RETRY.maxRetries + 1);
    // Bounded: the member hears back within a couple of seconds, not after the SDK's default minute of backoff.
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
