// npx tsx scripts/bench-durability.ts: what the embedded store's durability costs, and what a kill -9 loses.
// Compares Azurite's own CLI (saves every 5 s), our store process (a save before each write is acknowledged),
// and the same table server inside the bot's process. Prints figures; asserts nothing. Builds dist/ first.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { azuriteConnectionString } from '../src/store/azurite.js';
import { startTableServer } from '../src/store/azuriteServer.js';
import { freePort } from '../test/support/ports.js';
import { benchIngestion } from './bench/ingestion.js';

type Variant = 'azurite-cli' | 'flush-per-write';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const kills = Number(process.env.BENCH_KILLS ?? 5);

function startStore(variant: Variant, port: number, location: string): Promise<ChildProcess> {
  const child =
    variant === 'azurite-cli'
      ? spawn(process.execPath, [
          'node_modules/azurite/dist/src/table/main.js',
          '--tableHost',
          '127.0.0.1',
          '--tablePort',
          String(port),
          '--location',
          location,
          '--silent',
          '--disableTelemetry',
          '--skipApiVersionCheck',
        ])
      : fork('dist/store/azuriteServer.js', ['--maturity-pulse-azurite', '--port', String(port), '--location', location], {
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const probe = async () => {
      const client = TableClient.fromConnectionString(azuriteConnectionString(port), 'probe', { allowInsecureConnection: true });
      try {
        await client.createTable();
        resolve(child);
      } catch {
        if (Date.now() > deadline) reject(new Error(`${variant} did not start`));
        else setTimeout(() => void probe(), 200);
      }
    };
    void probe();
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function throughput(variant: Variant): Promise<void> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'pulse-durability-'));
  const storePort = await freePort();
  try {
    const store = await startStore(variant, storePort, location);
    const figures = await benchIngestion(azuriteConnectionString(storePort), { connections, seconds, rounds: 1, profile: false });
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${store.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const { bot } = figures;
    console.log(
      `${variant}: ${bot.perSecond.toFixed(0)} answers/s, p50 ${bot.p50} ms, p99 ${bot.p99} ms, errors ${bot.errors}, bot RSS under load ${bot.rssMb.toFixed(0)} MB, store RSS ${rss.toFixed(0)} MB`,
    );
    store.kill('SIGKILL');
    await exited(store);
  } finally {
    await rm(location, { recursive: true, force: true });
  }
}

/**
 * The in-process option's cost: the table server in this process (as it would run inside the bot), its database
 * grown to N answer rows; how long one save takes (time the bot's event loop would spend per group commit) and how
 * much heap the database holds (inside the bot's 128 MB old generation).
 */
async function inProcessCost(): Promise<void> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'pulse-durability-'));
  const port = await freePort();
  const heapBefore = process.memoryUsage().heapUsed;
  const server = await startTableServer({ host: '127.0.0.1', port, location });
  try {
    const client = TableClient.fromConnectionString(azuriteConnectionString(port), 'answers', { allowInsecureConnection: true });
    await client.createTable();
    let rows = 0;
    for (const target of [1_000, 10_000]) {
      while (rows < target) {
        const batch = Array.from(
          { length: 100 },
          (_, i) =>
            [
              'upsert',
              { partitionKey: `p${Math.floor(rows / 1000)}`, rowKey: `r${rows + i}`, level: 300, filler: 'x'.repeat(200) },
            ] as const,
        );
        await client.submitTransaction(batch.map(([action, entity]) => [action, entity]));
        rows += 100;
      }
      const started = performance.now();
      await client.upsertEntity({ partitionKey: 'timing', rowKey: String(target), level: 100 });
      const ms = performance.now() - started;
      const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
      console.log(
        `in-process, ${target} rows: one acknowledged write (a full save) ${ms.toFixed(0)} ms; heap held ${heapMb.toFixed(0)} MB`,
      );
    }
  } finally {
    await server.close();
    await rm(location, { recursive: true, force: true });
  }
}

/** Writes as fast as 8 writers can, kills the store with SIGKILL at a random moment, restarts it, counts acknowledged writes lost. */
async function hardKill(variant: Variant): Promise<void> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'pulse-durability-'));
  const port = await freePort();
  let lostTotal = 0;
  let ackedTotal = 0;
  let worst = 0;
  try {
    for (let cycle = 0; cycle < kills; cycle += 1) {
      const store = await startStore(variant, port, location);
      const client = TableClient.fromConnectionString(azuriteConnectionString(port), 'answers', {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
      });
      await client.createTable();
      const acked: { key: string; at: number }[] = [];
      let running = true;
      const writer = async (w: number) => {
        for (let i = 0; running; i += 1) {
          const key = `c${cycle}-w${w}-${i}`;
          try {
            await client.upsertEntity({ partitionKey: 'p', rowKey: key, level: 300, filler: 'x'.repeat(200) });
            acked.push({ key, at: Date.now() });
          } catch {
            return;
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 4000));
      const killedAt = Date.now();
      store.kill('SIGKILL');
      running = false;
      await Promise.all(writers);
      await exited(store);
      const again = await startStore(variant, port, location);
      const stored = new Set<string>();
      try {
        for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq 'p'` } })) stored.add(String(row.rowKey));
      } catch (error) {
        // Azurite's own CLI can lose the table itself, created less than 5 s before the kill: then every write was lost.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      const lost = acked.filter((write) => !stored.has(write.key) && write.at <= killedAt);
      lostTotal += lost.length;
      ackedTotal += acked.length;
      if (lost.length > 0) worst = Math.max(worst, killedAt - Math.min(...lost.map((write) => write.at)));
      again.kill('SIGKILL');
      await exited(again);
    }
    console.log(
      `${variant}: SIGKILL of the store ${kills} times under load: ${lostTotal} of ${ackedTotal} acknowledged writes lost; oldest lost write acknowledged ${worst} ms before the kill`,
    );
  } finally {
    await rm(location, { recursive: true, force: true });
  }
}

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log(`Embedded store durability (${connections} connections, ${seconds} s per run; load average ${os.loadavg()[0]!.toFixed(1)})\n`);
// BENCH_PARTS=throughput,in-process,hard-kill picks parts (all by default).
const parts = new Set((process.env.BENCH_PARTS ?? 'throughput,in-process,hard-kill').split(','));
if (parts.has('throughput')) for (const variant of ['azurite-cli', 'flush-per-write'] as const) await throughput(variant);
if (parts.has('in-process')) await inProcessCost();
if (parts.has('hard-kill')) for (const variant of ['azurite-cli', 'flush-per-write'] as const) await hardKill(variant);
