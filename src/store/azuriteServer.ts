/**
 * The embedded store's own process: Azurite's table server, started through its internals so that every write it
 * acknowledges is on disk first. Azurite itself saves its LokiJS database every 5 s, so a kill lost what it had
 * acknowledged since; here each mutating request's response waits for a save that includes it (LokiJS's throttled
 * saves make that a group commit: writes that arrive during a save share the next one).
 *
 * The internals used (TableServer, TableConfiguration, the store's LokiJS `db`, ServerBase's `httpServer`) are not
 * Azurite's public API: package.json pins azurite to an exact version, and this module is the only place that knows
 * them. Started by azurite.ts with an IPC channel; it never outlives the bot: it stops (after a final save) when
 * the bot asks, when the IPC channel closes (the bot died, however), or on SIGTERM.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

interface LokiDatabase {
  saveDatabase(callback: (error?: Error) => void): void;
}
interface TableServerInternals {
  start(): Promise<void>;
  httpServer: Server;
  metadataStore: { db: LokiDatabase };
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
}

export interface EmbeddedTableServer {
  /** Stops taking requests, waits for those in flight, saves the database. */
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
  const db = server.metadataStore.db;
  const save = () => new Promise<void>((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())));

  let inFlight = 0;
  let drained: (() => void) | undefined;
  // Runs before Azurite's own request listener: counts requests, and holds back a write's response until it is saved.
  server.httpServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    if (options.location === undefined || !MUTATING_METHODS.has(req.method ?? '')) return;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode >= 400) return end(...args);
      save().then(
        () => end(...args),
        (error: unknown) => {
          // Not saved, so not acknowledged: the client sees a failed request and retries or reports it.
          console.error('Azurite could not save its database:', error);
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
      if (options.location !== undefined) await save();
    },
  };
}

/** Run as a child process of the bot (see azurite.ts): arguments `--port N [--location DIR]`. */
async function runAsChild(): Promise<void> {
  const argument = (name: string) => {
    const index = process.argv.indexOf(name);
    return index === -1 ? undefined : process.argv[index + 1];
  };
  const embedded = await startTableServer({ host: '127.0.0.1', port: Number(argument('--port')), location: argument('--location') });
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
