import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { azuriteConnectionString } from '../../src/store/azurite.js';
import { freePort } from './ports.js';

/**
 * The bot as `npm start` runs it (src/main.ts through tsx, with npm start's heap cap), in its own process group
 * as a terminal would start it, with the real embedded Azurite child and its data folder under a temp dir.
 */
export interface BotProcess {
  url: string;
  port: number;
  azuritePort: number;
  dataDir: string;
  connectionString: string;
  child: ChildProcess;
  /** Everything the bot wrote to stdout and stderr. */
  output(): string;
  /** The embedded Azurite's current process id, from the bot's log. */
  storePid(): number;
  /** A signal to the bot alone, or to its whole process group (a terminal's Ctrl-C). */
  signal(signal: NodeJS.Signals, group?: boolean): void;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  dataDir?: string;
  port?: number;
  azuritePort?: number;
  env?: Record<string, string>;
  /** Resolve once the process exits instead of waiting for it to listen (a start expected to fail). */
  expectExit?: boolean;
}

const started: BotProcess[] = [];
const dataDirs: string[] = [];

export async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pulse-bot-'));
  dataDirs.push(dir);
  return dir;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` is still one of our store processes (and not a process that reused its id). */
export function isStore(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--maturity-pulse-azurite');
  } catch {
    return false;
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startBotProcess(options: StartOptions = {}): Promise<BotProcess> {
  const dataDir = options.dataDir ?? (await tempDataDir());
  const port = options.port ?? (await freePort());
  const azuritePort = options.azuritePort ?? (await freePort());
  const child = spawn(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', 'src/main.ts'], {
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      AZURITE_PORT: String(azuritePort),
      AZURITE_LOCATION: dataDir,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const bot: BotProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    azuritePort,
    dataDir,
    connectionString: azuriteConnectionString(azuritePort),
    child,
    output: () => output,
    storePid() {
      const pids = [...output.matchAll(/"azuritePid":(\d+)/g)].map((match) => Number(match[1]));
      if (pids.length === 0) throw new Error(`The bot has not logged its store's pid:\n${output}`);
      return pids.at(-1)!;
    },
    signal(signal, group = false) {
      process.kill(group ? -child.pid! : child.pid!, signal);
    },
    exited: () => exit,
  };
  started.push(bot);
  if (options.expectExit) {
    await exit;
    return bot;
  }
  await waitFor(
    `the bot to listen on ${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`The bot exited (${child.exitCode}):\n${output}`);
      return output.includes('Maturity Pulse is listening') || undefined;
    },
    60_000,
  );
  return bot;
}

/** Kills every bot a test started (and their stores), and removes their data folders. */
export async function cleanUpBotProcesses(): Promise<void> {
  for (const bot of started.splice(0)) {
    const store = [...bot.output().matchAll(/"azuritePid":(\d+)/g)].map((match) => Number(match[1]));
    if (bot.child.exitCode === null && bot.child.signalCode === null) {
      process.kill(-bot.child.pid!, 'SIGKILL');
      await bot.exited();
    }
    for (const pid of store) if (isStore(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
}
