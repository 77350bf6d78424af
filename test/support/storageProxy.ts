import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StorageProxy {
  /** `failures`: how many of the next requests the proxy answers itself with 503. `requests`: every request that reached it. */
  state: { failures: number; requests: string[] };
  /** The store's connection string, pointed at the proxy. */
  connectionString: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a store (the tests' Azurite, the benchmark's): it records every storage request a client sends (method and
 * path) and can answer the next few itself with 503, as a storage front end under load does.
 */
export async function storageProxy(direct: string): Promise<StorageProxy> {
  const upstream = new URL(/TableEndpoint=([^;]+)/.exec(direct)![1]!);
  const state = { failures: 0, requests: [] as string[] };
  const server = http.createServer((req, res) => {
    state.requests.push(`${req.method} ${decodeURIComponent(req.url ?? '')}`);
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
    connectionString: direct.replace(`:${upstream.port}/`, `:${port}/`),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
