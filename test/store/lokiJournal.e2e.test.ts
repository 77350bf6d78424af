import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TableClient, TableServiceClient, type TransactionAction } from '@azure/data-tables';
import { afterEach, describe, expect, it } from 'vitest';
import { TableAnswerStore, type RoundKey } from '../../src/store/answerStore.js';
import { azuriteConnectionString, spawnStore, StoreStartError } from '../../src/store/azurite.js';
import { openTable } from '../../src/store/tables.js';
import { freePort } from '../support/ports.js';

// The embedded store's journal (src/store/lokiJournal.ts), against the real store process: what a write
// acknowledged before a kill -9 looks like after a restart, whatever kind of write it was.
const DATABASE = '__azurite_db_table__.json';
const folders: string[] = [];
const stores: ChildProcess[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) if (store.exitCode === null && store.signalCode === null) store.kill('SIGKILL');
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'pulse-journal-'));
  folders.push(folder);
  return folder;
}

interface Store {
  child: ChildProcess;
  connectionString: string;
  /** A client that never retries, so a write either was acknowledged or failed. */
  table(name: string): TableClient;
  kill(): Promise<void>;
}

async function startStore(location: string, flags: string[] = []): Promise<Store> {
  const port = await freePort();
  const child = await spawnStore(port, location, flags);
  stores.push(child);
  const connectionString = azuriteConnectionString(port);
  return {
    child,
    connectionString,
    table: (name) =>
      TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } }),
    async kill() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function rows(table: TableClient): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for await (const row of table.listEntities<Record<string, unknown>>()) found.set(`${row.partitionKey}/${row.rowKey}`, row);
  return found;
}

async function journals(location: string): Promise<string[]> {
  return (await readdir(location))
    .filter((name) => name.startsWith(`${DATABASE}.journal.`))
    .sort((a, b) => generationOf(a) - generationOf(b));
}
const generationOf = (name: string) => Number(name.slice(name.lastIndexOf('.') + 1));

async function snapshotGeneration(location: string): Promise<number> {
  return Number(
    (JSON.parse(await readFile(path.join(location, DATABASE), 'utf8')) as { maturityPulseJournal?: number }).maturityPulseJournal,
  );
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Bytes the process has passed to write(2) so far: files and sockets alike. */
async function bytesWritten(pid: number): Promise<number> {
  return Number(/wchar:\s+(\d+)/.exec(await readFile(`/proc/${pid}/io`, 'utf8'))![1]);
}

describe('the embedded store keeps every write it acknowledged through a kill -9', { timeout: 180_000 }, () => {
  it('single writes, deletes and entity group transactions, across two kills at random moments', async () => {
    const location = await tempFolder();
    const acked = new Map<string, number>(); // row → the value last acknowledged
    const deleted = new Set<string>();
    // A write in flight at the kill may or may not have been applied: either is right, as it was never acknowledged.
    const inFlight = new Map<string, number | 'deleted'>();
    const write = async (key: string, value: number | 'deleted', request: () => Promise<unknown>) => {
      inFlight.set(key, value);
      await request();
      inFlight.delete(key);
      if (value !== 'deleted') acked.set(key, value);
      else {
        acked.delete(key);
        deleted.add(key);
      }
    };
    const batches = new Map<string, boolean>(); // partition of a transaction → acknowledged?
    const refused: string[] = []; // partitions of transactions refused as a whole (their last operation conflicted)

    for (const cycle of [0, 1]) {
      const store = await startStore(location);
      const table = store.table('load');
      if (cycle === 0) await table.createTable();
      let running = true;
      const writer = async (w: number) => {
        try {
          for (let i = 0; running; i += 1) {
            const key = `c${cycle}w${w}i${i}`;
            await write(`single/${key}`, i, () => table.upsertEntity({ partitionKey: 'single', rowKey: key, value: i }));
            await write(`single/${key}`, i + 1, () => table.updateEntity({ partitionKey: 'single', rowKey: key, value: i + 1 }, 'Merge'));
            if (i % 4 === 1) {
              const old = `c${cycle}w${w}i${i - 1}`;
              await write(`single/${old}`, 'deleted', () => table.deleteEntity('single', old));
            }
            const partition = `batch-${key}`;
            const actions: TransactionAction[] = Array.from({ length: 5 }, (_, r) => [
              'create',
              { partitionKey: partition, rowKey: `r${r}`, value: r },
            ]);
            if (i % 3 === 2) {
              // The last operation creates a row that exists: Azurite has applied four when it fails, and undoes them.
              await write(`${partition}/r4`, -1, () => table.upsertEntity({ partitionKey: partition, rowKey: 'r4', value: -1 }));
              const outcome = await table.submitTransaction(actions).then(
                () => 'applied',
                (error: { statusCode?: number }) => error.statusCode,
              );
              if (!running) break;
              expect(outcome).toBe(409);
              refused.push(partition);
            } else {
              batches.set(partition, false);
              await table.submitTransaction(actions);
              batches.set(partition, true);
            }
          }
        } catch (error) {
          if (running) throw error;
        }
      };
      const writers = Array.from({ length: 6 }, (_, w) => writer(w));
      await new Promise((resolve) => setTimeout(resolve, 1_500 + Math.random() * 2_500));
      running = false;
      await store.kill();
      await Promise.all(writers);
    }

    const store = await startStore(location);
    const stored = await rows(store.table('load'));
    const lost = [...acked]
      .map(([key, value]) => ({ key, acknowledged: value, inFlight: inFlight.get(key), found: stored.get(key)?.value }))
      .filter(
        ({ acknowledged, inFlight, found }) =>
          found !== acknowledged && (inFlight === 'deleted' ? found !== undefined : found !== inFlight),
      );
    expect(lost).toEqual([]);
    expect([...deleted].filter((key) => stored.has(key))).toEqual([]);
    for (const [partition, acknowledged] of batches) {
      const present = [0, 1, 2, 3, 4].filter((r) => stored.has(`${partition}/r${r}`)).length;
      // All or nothing; all if acknowledged (one in flight at the kill may have gone either way).
      expect([acknowledged ? 5 : 0, 5]).toContain(present);
    }
    for (const partition of refused)
      expect([...stored.keys()].filter((key) => key.startsWith(`${partition}/`))).toEqual([`${partition}/r4`]);
    expect(acked.size).toBeGreaterThan(20);
    expect(batches.size).toBeGreaterThan(10);
    expect(refused.length).toBeGreaterThan(5);
  });

  it('a table created and one deleted after start, and a member forgotten, stay so after a kill -9', async () => {
    const location = await tempFolder();
    let store = await startStore(location);
    const gone = await openTable(store.connectionString, 'gone');
    await gone.upsertEntity({ partitionKey: 'p', rowKey: 'r' });
    const answers = new TableAnswerStore(await openTable(store.connectionString, 'answers'));
    const round = (scopeId: string): RoundKey => ({ tenantId: 'tenant-1', scopeId, modelId: 'adoption', round: '2026-11' });
    for (const scope of ['19:a', '19:b', '19:c'])
      for (const member of ['mia', 'noah'])
        for (const capability of ['strategy', 'governance']) await answers.record(round(scope), member, capability, 300, new Date());
    await TableServiceClient.fromConnectionString(store.connectionString, { allowInsecureConnection: true }).deleteTable('gone');
    expect(await answers.forgetMember('tenant-1', 'mia')).toMatchObject({ answers: 6, assessments: 3 });
    await store.kill();

    store = await startStore(location);
    const service = TableServiceClient.fromConnectionString(store.connectionString, { allowInsecureConnection: true });
    const tables: string[] = [];
    for await (const table of service.listTables()) tables.push(table.name!);
    expect(tables.sort()).toEqual(['answers']);
    const left = [...(await rows(store.table('answers'))).values()];
    expect(left.filter((row) => row.memberId === 'mia')).toEqual([]);
    expect(left.filter((row) => row.memberId === 'noah')).toHaveLength(9); // 3 member rows, 6 history rows
    // And the member can answer again.
    const again = new TableAnswerStore(store.table('answers'));
    await again.record(round('19:a'), 'mia', 'strategy', 200, new Date());
    expect((await again.member(round('19:a'), 'mia')).get('strategy')).toBe(200);
  });
});

describe('a journal that a kill or a disk left imperfect', { timeout: 180_000 }, () => {
  it('ignores a last line cut short (an append the kill interrupted, never acknowledged)', async () => {
    const location = await tempFolder();
    let store = await startStore(location);
    let table = store.table('notes');
    await table.createTable();
    for (let i = 0; i < 5; i += 1) await table.upsertEntity({ partitionKey: 'p', rowKey: `r${i}` });
    await store.kill();
    const last = (await journals(location)).at(-1)!;
    await appendFile(path.join(location, last), '[["I","devstoreaccount1$notes",{"PartitionKey":"p","RowKey":"cut');

    store = await startStore(location);
    table = store.table('notes');
    expect([...(await rows(table)).keys()].sort()).toEqual(['p/r0', 'p/r1', 'p/r2', 'p/r3', 'p/r4']);
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r5' });
    await store.kill();
    store = await startStore(location);
    expect((await rows(store.table('notes'))).size).toBe(6);
  });

  it('refuses to start on a damaged line before the last, says which and what to do, and changes nothing on disk', async () => {
    const location = await tempFolder();
    const store = await startStore(location);
    const table = store.table('notes');
    await table.createTable();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r0' });
    await store.kill();
    const last = path.join(location, (await journals(location)).at(-1)!);
    const original = await readFile(last, 'utf8');
    const lines = original.split('\n').length - 1;
    await appendFile(last, '[["I","devstoreaccount1$notes",{"PartitionKey":"p"\n[]\n');
    const fingerprint = async () => {
      const hash = createHash('sha256');
      for (const name of (await readdir(location)).sort()) hash.update(name).update(await readFile(path.join(location, name)));
      return hash.digest('hex');
    };
    const before = await fingerprint();

    const refused = await startStore(location).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StoreStartError);
    const message = (refused as Error).message.split('\n')[0]!;
    expect(message).toContain(`${last} is damaged at line ${lines + 1} (not a complete line)`);
    expect(message).toMatch(/does not start\. Nothing was changed on disk\. To start from the last snapshot instead, move/);
    expect(await fingerprint()).toBe(before);

    // A line that is whole JSON but not a list of changes is damage too, even as the last line.
    await writeFile(last, `${original}{"not":"changes"}\n`);
    await expect(startStore(location)).rejects.toThrow(`is damaged at line ${lines + 1} (not a list of changes)`);
  });
});

describe('snapshots', { timeout: 180_000 }, () => {
  it('rewrites the database once the journal has grown, drops the journals it holds, and a kill -9 after loses nothing', async () => {
    const location = await tempFolder();
    let store = await startStore(location);
    let table = store.table('big');
    await table.createTable();
    const started = await snapshotGeneration(location);
    // ~8 MB of journal: past the 4 MB at which a snapshot is cut, while writes go on.
    const filler = (i: number) => `${i}`.padEnd(30_000, 'x');
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = next++; i < 280; i = next++)
          await table.upsertEntity({ partitionKey: 'p', rowKey: `r${String(i).padStart(3, '0')}`, filler: filler(i) });
      }),
    );
    await waitUntil('a snapshot', async () => (await snapshotGeneration(location)) > started);
    await waitUntil(
      'the journals it holds to go',
      async () => generationOf((await journals(location))[0] ?? `x.${Infinity}`) >= (await snapshotGeneration(location)),
    );
    for (let i = 280; i < 300; i += 1) await table.upsertEntity({ partitionKey: 'p', rowKey: `r${i}`, filler: filler(i) });
    await table.deleteEntity('p', 'r000');
    await store.kill();

    store = await startStore(location);
    table = store.table('big');
    const stored = await rows(table);
    expect(stored.size).toBe(299);
    for (let i = 1; i < 300; i += 1) expect(stored.get(`p/r${String(i).padStart(3, '0')}`)?.filler).toBe(filler(i));
  });
});

describe('what a write costs', { timeout: 180_000 }, () => {
  /** Bytes the store writes per acknowledged write, its database holding ~3 MB. */
  async function bytesPerWrite(flags: string[]): Promise<number> {
    const store = await startStore(await tempFolder(), flags);
    const table = store.table('notes');
    await table.createTable();
    for (let i = 0; i < 100; i += 1) await table.upsertEntity({ partitionKey: 'bulk', rowKey: `r${i}`, filler: 'x'.repeat(30_000) });
    const before = await bytesWritten(store.child.pid!);
    for (let i = 0; i < 20; i += 1) await table.upsertEntity({ partitionKey: 'p', rowKey: `r${i}`, level: 300 });
    return ((await bytesWritten(store.child.pid!)) - before) / 20;
  }

  it('is about the size of the write, not of the database', async () => {
    // A row of ~100 bytes, as JSON in the journal plus the HTTP response: a few KB at most.
    expect(await bytesPerWrite([])).toBeLessThan(4_000);
    // The earlier design (a full save before each acknowledgement) writes the whole database every time.
    expect(await bytesPerWrite(['--persistence', 'full-save'])).toBeGreaterThan(3_000_000);
  });
});
