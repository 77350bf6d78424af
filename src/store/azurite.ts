import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, realpath } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { messageOf } from '../errors.js';
import { acquireLocationLock, type LocationLock } from './locationLock.js';

/** The embedded store could not start: the message says why, in the store's own words where it gave any. */
export class StoreStartError extends Error {
  override name = 'StoreStartError';
}

/** Azurite's well-known development account: public, documented, and only valid against the emulator. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
}

export type EmbeddedStoreState = { running: true } | { running: false; problem: string };

export interface RunningAzurite {
  connectionString: string;
  port: number;
  /** Whether the store's process is up; while it is not, why, and that it is being restarted. */
  state(): EmbeddedStoreState;
  /** The store's current process id (tests kill it to prove supervision). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  port: number;
  /** A folder keeps the data on disk, so a restart keeps every answer; undefined keeps it in memory (tests). */
  location: string | undefined;
  logger?: Logger;
}

/** Generous: a loaded machine (CI, or a laptop building) can take many seconds to load Azurite. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** Waits before restarting a store that died, growing while it keeps dying. */
const RESTART_DELAYS_MS = [200, 1_000, 2_000, 5_000];

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** The child's entry: the compiled .js under `npm start`, the .ts source (through tsx) under the tests. */
function childEntry(): { modulePath: string; execArgv: string[] } {
  const source = import.meta.url.endsWith('.ts');
  const modulePath = fileURLToPath(new URL(`./azuriteServer.${source ? 'ts' : 'js'}`, import.meta.url));
  return { modulePath, execArgv: source ? ['--import', 'tsx'] : [] };
}

/**
 * Starts one store process and waits until it listens; it exits by itself if this process goes away. `flags` go to
 * azuriteServer.ts as they are (tests choose the earlier full-save design with them).
 */
export async function spawnStore(port: number, location: string | undefined, flags: string[] = []): Promise<ChildProcess> {
  const { modulePath, execArgv } = childEntry();
  const args = ['--maturity-pulse-azurite', '--port', String(port), ...(location ? ['--location', location] : []), ...flags];
  const child = fork(modulePath, args, { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Azurite did not listen on port ${port} within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      // 'close' rather than 'exit': by then everything the store said on its way out has been read.
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited (${signal ?? `code ${code}`}) before it listened on port ${port}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    // One line first (what /healthz shows while restarting): why it stopped and, where it said, the store's reason.
    throw new StoreStartError(`${messageOf(error)}${stderr ? `: ${stderr.trim()}` : ''}`, { cause: error });
  }
  return child;
}

/**
 * Azurite processes (ours, or one started by hand) that use `location` as their data folder: Linux only, by their
 * command lines. Once this bot holds the folder's lock, any such process is a leftover of an earlier run.
 */
async function azuritesOn(location: string): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').then(
      (text) => text.split('\0'),
      () => [],
    );
    const at = args.findIndex((arg) => arg === '--location' || arg === '-l');
    if (at !== -1 && args.some((arg) => /azurite/i.test(arg)) && args[at + 1] && path.resolve(args[at + 1]!) === location) pids.push(pid);
  }
  return pids;
}

/** Stops leftovers on our data folder: SIGINT saves and exits in Azurite's own CLI and in ours; SIGKILL if they hang. */
async function stopLeftovers(location: string, logger: Logger | undefined): Promise<void> {
  for (const pid of await azuritesOn(location)) {
    logger?.warn({ pid, location }, 'stopping an Azurite left over from an earlier run on this data folder');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (alive()) process.kill(pid, 'SIGKILL');
  }
}

/**
 * Starts Azurite's table service as a supervised child process: the embedded default store when no connection
 * string is configured. Only one bot may use a data folder at a time (a second is refused with a message that
 * says so), and a leftover Azurite on it from a crashed run is stopped first. If the store dies, it is restarted
 * on the same port and data; `state()` says so meanwhile.
 */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const { port, logger } = options;
  let location: string | undefined;
  let lock: LocationLock | undefined;
  if (options.location) {
    await mkdir(options.location, { recursive: true });
    location = await realpath(options.location);
    lock = await acquireLocationLock(location, port);
    await stopLeftovers(location, logger);
  }
  try {
    if (await portAnswers(port)) {
      throw new Error(
        `Port ${port} is already in use, so the embedded Azurite cannot start. Stop what uses it, set AZURITE_PORT to a free port, or set STORAGE_CONNECTION_STRING to use that store.`,
      );
    }
    let child = await spawnStore(port, location);
    let stopping = false;
    let problem: string | undefined;
    let failures = 0;

    const supervise = (current: ChildProcess) => {
      current.once('exit', (code, signal) => {
        if (stopping) return;
        problem = `The embedded Azurite store stopped (${signal ?? `exit code ${code}`}); it is being restarted.`;
        logger?.error({ code, signal, pid: current.pid }, 'embedded Azurite stopped unexpectedly; restarting it');
        void restart();
      });
    };
    const restart = async (): Promise<void> => {
      while (!stopping) {
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)]));
        if (stopping) return;
        try {
          child = await spawnStore(port, location);
          if (stopping) return void child.kill('SIGTERM');
          failures = 0;
          problem = undefined;
          supervise(child);
          logger?.info({ port, azuritePid: child.pid }, 'embedded Azurite restarted');
          return;
        } catch (error) {
          failures += 1;
          problem = `The embedded Azurite store is down and could not be restarted yet: ${messageOf(error).split('\n')[0]}`;
          logger?.error({ err: error, attempt: failures }, 'embedded Azurite could not be restarted; trying again');
        }
      }
    };
    supervise(child);

    return {
      connectionString: azuriteConnectionString(port),
      port,
      state: () => (problem === undefined ? { running: true } : { running: false, problem }),
      pid: () => child.pid,
      async stop() {
        stopping = true;
        const current = child;
        if (current.connected) current.send('shutdown');
        else current.kill('SIGTERM');
        const timer = setTimeout(() => current.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited(current);
        clearTimeout(timer);
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}
