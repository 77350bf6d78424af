// npx tsx scripts/bench-durability.ts: what the embedded store's durability costs, and what a kill -9 loses.
// Compares Azurite's own CLI (saves every 5 s), our store process with the earlier design (a full save of the
// database before each write is acknowledged) and with the journal (each write appended to a journal before it
// is acknowledged; the default). Prints figures; asserts nothing. Builds dist/ first.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { azuriteConnectionString } from '../src/store/azurite.js';
import { freePort } from '../test/support/ports.js';
import { benchIngestion } from './bench/ingestion.js';

type Variant = 'azurite-cli' | 'full-save' | 'journal';
const VARIANTS: readonly Variant[] = ['azurite-cli', 'full-save', 'journal'];
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
      : fork(
          'dist/store/azuriteServer.js',
          ['--maturity-pulse-azurite', '--port', String(port), '--location', location, '--persistence', variant],
          { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
        );
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
  const store = await startStore(variant, storePort, location);
  try {
    const figures = await benchIngestion(azuriteConnectionString(storePort), { connections, seconds, rounds: 1, profile: false });
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${store.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const { bot } = figures;
    console.log(
      `${variant}: ${bot.perSecond.toFixed(0)} answers/s, p50 ${bot.p50} ms, p99 ${bot.p99} ms, errors ${bot.errors}, bot RSS under load ${bot.rssMb.toFixed(0)} MB, store RSS ${rss.toFixed(0)} MB`,
    );
  } finally {
    store.kill('SIGKILL');
    await exited(store);
    await rm(location, { recursive: true, force: true });
  }
}

const percentile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * share)] ?? NaN;
const bytesWritten = (pid: number) => Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);

/**
 * The defect the journal fixes: with a full save before each acknowledgement, a write's latency grows with the
 * database. One data folder grows to each size (filled through the journal, which is quick), and at each size the
 * store is restarted on it with each design and timed on writes one at a time (no group commit to hide behind).
 */
async function latencyBySize(): Promise<void> {
  const location = await mkdtemp(path.join(os.tmpdir(), 'pulse-durability-'));
  const port = await freePort();
  const writes = Number(process.env.BENCH_LATENCY_WRITES ?? 30);
  const stop = async (store: ChildProcess) => {
    store.kill('SIGTERM'); // a clean stop: the journal writes a final snapshot, which the full save loads
    await exited(store);
  };
  const client = TableClient.fromConnectionString(azuriteConnectionString(port), 'answers', { allowInsecureConnection: true });
  let store: ChildProcess | undefined;
  try {
    let rows = 0;
    for (const size of (process.env.BENCH_LATENCY_ROWS ?? '1000,50000').split(',').map(Number)) {
      store = await startStore('journal', port, location);
      await client.createTable();
      while (rows < size) {
        const actions: TransactionAction[] = Array.from({ length: 100 }, (_, i) => [
          'upsert',
          { partitionKey: `p${Math.floor(rows / 1000)}`, rowKey: `r${rows + i}`, level: 300, filler: 'x'.repeat(200) },
        ]);
        await client.submitTransaction(actions);
        rows += 100;
      }
      await stop(store);
      for (const variant of ['full-save', 'journal'] as const) {
        store = await startStore(variant, port, location);
        const times: number[] = [];
        const pid = store.pid ?? 0;
        const before = bytesWritten(pid);
        for (let i = 0; i < writes; i += 1) {
          const started = performance.now();
          await client.upsertEntity({ partitionKey: 'timing', rowKey: `${variant}-${size}-${i}`, level: 100 });
          times.push(performance.now() - started);
        }
        const perWrite = (bytesWritten(pid) - before) / writes;
        console.log(
          `${variant}, ${size.toLocaleString('en')} rows: one acknowledged write p50 ${percentile(times, 0.5).toFixed(1)} ms, p90 ${percentile(times, 0.9).toFixed(1)} ms; ${(perWrite / 1024).toFixed(1)} KB written per write`,
        );
        await stop(store);
      }
    }
  } finally {
    if (store) await stop(store);
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
// BENCH_PARTS=throughput,latency,hard-kill picks parts (all by default); BENCH_VARIANTS picks the designs compared.
const parts = new Set((process.env.BENCH_PARTS ?? 'throughput,latency,hard-kill').split(','));
const variants = VARIANTS.filter((variant) => (process.env.BENCH_VARIANTS ?? VARIANTS.join(',')).split(',').includes(variant));
if (parts.has('throughput')) for (const variant of variants) await throughput(variant);
if (parts.has('latency')) await latencyBySize();
if (parts.has('hard-kill')) for (const variant of variants) await hardKill(variant);
