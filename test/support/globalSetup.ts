import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { startAzurite, type RunningAzurite } from '../../src/store/azurite.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    azuriteConnectionString: string;
  }
}

let azurite: RunningAzurite | undefined;

/** One in-memory Azurite for the whole run: storage tests talk to the real Table API, not a fake. */
export async function setup(project: TestProject): Promise<void> {
  azurite = await startAzurite({ port: await freePort(), location: undefined });
  project.provide('azuriteConnectionString', azurite.connectionString);
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}
