import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';

/** Azurite's well-known development account: public, documented, and only valid against the emulator. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
}

export interface RunningAzurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode} before it listened on port ${port}`);
    if (await portAnswers(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Azurite did not listen on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts Azurite's table service as a child process: the embedded default store when no connection
 * string is configured. `location` keeps the data on disk, so a restart keeps every answer;
 * `undefined` keeps it in memory (tests).
 */
export async function startAzurite(options: { port: number; location: string | undefined }): Promise<RunningAzurite> {
  if (await portAnswers(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use, so the embedded Azurite cannot start. Stop what uses it, set AZURITE_PORT to a free port, or set STORAGE_CONNECTION_STRING to use that store.`,
    );
  }
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  } catch {
    throw new Error(
      'The embedded store needs the "azurite" package (a development dependency): run `npm install`, or set STORAGE_CONNECTION_STRING to use Azure Storage.',
    );
  }
  const args = [
    entry,
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(options.port),
    '--disableTelemetry',
    '--silent',
    '--skipApiVersionCheck',
  ];
  if (options.location) {
    await mkdir(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    await waitForPort(options.port, child, 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}${stderr ? `\nAzurite said: ${stderr.trim()}` : ''}`);
  }
  return {
    connectionString: azuriteConnectionString(options.port),
    port: options.port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
