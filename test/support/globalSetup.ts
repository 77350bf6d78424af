import { freePort } from './ports.js';
import type { TestProject } from 'vitest/node';
import { startAzurite, type RunningAzurite } from '../../src/store/azurite.js';

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
