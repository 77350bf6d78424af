/**
 * The embedded store's own process: Azurite's table server, started through its internals so that every write it
 * acknowledges is on disk first. Azurite itself saves its LokiJS database every 5 s, so a kill lost what it had
 * acknowledged since; here each mutating request's response waits until its changes are appended to a journal
 * (lokiJournal.ts: writes that arrive during an append share the next one, and the whole database is rewritten
 * only now and then), so the cost of a write does not grow with the database.
 *
 * The internals used (TableServer, TableConfiguration, the store's LokiJS `db`, its load and save steps and batch
 * rollback lists, ServerBase's `httpServer`) are not Azurite's public API: package.json pins azurite to an exact
 * version, and this module is the only place that knows them. Started by azurite.ts with an IPC channel; it never
 * outlives the bot: it stops (after a final snapshot) when the bot asks, when the IPC channel closes (the bot died,
 * however), or on SIGTERM.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { JournalDamagedError, LokiJournal, type LokiDatabase } from './lokiJournal.js';

interface AzuriteDatabase extends LokiDatabase {
  autosave: boolean;
  autosaveDisable(): void;
  saveDatabase(callback: (error?: Error) => void): void;
}
interface TableServerInternals {
  start(): Promise<void>;
  httpServer: Server;
  metadataStore: {
    db: AzuriteDatabase;
    /** Azurite's start-up steps: load the database file, and save it once the system collections exist. */
    loadDB(): Promise<void>;
    saveDBState(): Promise<void>;
    /** A batch's undo lists: not empty while an entity group transaction is half applied. */
    transactionRollbackTheseEntities: unknown[];
    transactionDeleteTheseEntities: unknown[];
  };
}
type TableServerClass = new (configuration: unknown) => TableServerInternals;
type TableConfigurationClass = new (
  host: string,
  port: number,
  keepAliveTimeout: number | undefined,
  metadataDBPath: string,
  enableDebugLog: boolean,
  enableAccessLog: boolean,
  accessLogWriteStream: undefined,
  debugLogFilePath: undefined,
  loose: boolean,
  skipApiVersionCheck: boolean,
  cert: string,
  key: string,
  pwd: string,
  oauth: undefined,
  disableProductStyleUrl: boolean,
  isMemoryPersistence: boolean,
) => unknown;

/** Azurite's own file name for the table database inside its location folder. */
const DATABASE_FILE = '__azurite_db_table__.json';
const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);
/** How long a stop waits for requests in flight before the final save. */
const DRAIN_MS = 5_000;

export interface TableServerOptions {
  host: string;
  port: number;
  /** Undefined keeps the data in memory (tests). */
  location: string | undefined;
  /**
   * How a write is made durable before it is acknowledged: appended to the journal (the default), or by LokiJS
   * rewriting the whole database (the earlier design, whose cost grows with the data; kept for bench-durability).
   */
  persistence?: 'journal' | 'full-save';
  /** The journal could not write: the store must stop, as memory is ahead of the disk. Default: log and exit. */
  onFailure?: (error: Error) => void;
}

export interface EmbeddedTableServer {
  /** Stops taking requests, waits for those in flight, writes a final snapshot of the database. */
  close(): Promise<void>;
}

function load() {
  const require = createRequire(import.meta.url);
  const TableServer = (require('azurite/dist/src/table/TableServer.js') as { default: TableServerClass }).default;
  const TableConfiguration = (require('azurite/dist/src/table/TableConfiguration.js') as { default: TableConfigurationClass }).default;
  const logger = require('azurite/dist/src/common/Logger.js') as { configLogger(enable: boolean): void };
  return { TableServer, TableConfiguration, logger };
}

export async function startTableServer(options: TableServerOptions): Promise<EmbeddedTableServer> {
  const { TableServer, TableConfiguration, logger } = load();
  logger.configLogger(false);
  if (options.location) await mkdir(options.location, { recursive: true });
  const configuration = new TableConfiguration(
    options.host,
    options.port,
    undefined,
    path.join(options.location ?? '.', DATABASE_FILE),
    false,
    false,
    undefined,
    undefined,
    false,
    true,
    '',
    '',
    '',
    undefined,
    false,
    options.location === undefined,
  );
  const server = new TableServer(configuration);
  const persist = options.location === undefined ? undefined : durability(server, path.join(options.location, DATABASE_FILE), options);

  let inFlight = 0;
  let drained: (() => void) | undefined;
  // Runs before Azurite's own request listener: counts requests, and holds back a write's response until it is on disk.
  server.httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    if (persist === undefined || !MUTATING_METHODS.has(req.method ?? '')) return;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode >= 400) return end(...args);
      persist.commit().then(
        () => end(...args),
        (error: unknown) => {
          // Not on disk, so not acknowledged: the client sees a failed request and retries or reports it.
          console.error('Azurite could not write its journal:', error);
          res.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return res;
    }) as ServerResponse['end'];
  });
  await server.start();

  return {
    async close() {
      // Stop taking connections; keep-alive ones still open end with the process.
      server.httpServer.close();
      server.httpServer.closeIdleConnections();
      if (inFlight > 0)
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, DRAIN_MS).unref();
        });
      await persist?.close();
    },
  };
}

interface Persistence {
  /** Resolves once every change made so far is on disk. */
  commit(): Promise<void>;
  close(): Promise<void>;
}

/** Replaces Azurite's 5-second saves with the journal (or, for comparison, a full save before each acknowledgement). */
function durability(server: TableServerInternals, file: string, options: TableServerOptions): Persistence {
  const store = server.metadataStore;
  const { db } = store;
  if (options.persistence === 'full-save') {
    const save = () => new Promise<void>((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())));
    return { commit: save, close: save };
  }
  // The journal owns the files from here: LokiJS must never save the database by itself.
  db.autosaveDisable();
  db.autosave = false;
  const journal = new LokiJournal(db, {
    file,
    midTransaction: () => store.transactionRollbackTheseEntities.length > 0 || store.transactionDeleteTheseEntities.length > 0,
    onFailure:
      options.onFailure ??
      ((error) => {
        console.error('The embedded store could not write its journal, so it stops (the bot restarts it from disk):', error);
        process.exit(1);
      }),
  });
  store.loadDB = () => journal.recover();
  store.saveDBState = () => journal.snapshot();
  return { commit: () => journal.commit(), close: () => journal.close() };
}

/** Run as a child process of the bot (see azurite.ts): arguments `--port N [--location DIR]`. */
async function runAsChild(): Promise<void> {
  const argument = (name: string) => {
    const index = process.argv.indexOf(name);
    return index === -1 ? undefined : process.argv[index + 1];
  };
  let embedded: EmbeddedTableServer;
  try {
    embedded = await startTableServer({
      host: '127.0.0.1',
      port: Number(argument('--port')),
      location: argument('--location'),
      persistence: argument('--persistence') === 'full-save' ? 'full-save' : 'journal',
    });
  } catch (error) {
    // The bot shows the first line of what this process said (at start-up, and on /healthz while restarting it).
    console.error(error instanceof JournalDamagedError ? error.message : error);
    process.exit(1);
  }
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    stopping ??= embedded.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Azurite could not stop cleanly (${why}):`, error);
        process.exit(1);
      },
    );
  };
  // The bot decides when its store stops; a terminal's Ctrl-C reaches this process too, and is left to the bot.
  process.on('SIGINT', () => (process.connected ? undefined : stop('SIGINT')));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('disconnect', () => stop('the bot is gone'));
  process.on('message', (message) => (message === 'shutdown' ? stop('asked by the bot') : undefined));
  process.send?.({ ready: true });
}

if (process.argv.includes('--maturity-pulse-azurite')) await runAsChild();
