import path from 'node:path';
import { pino } from 'pino';
import { inject } from 'vitest';
import { startApp, type AppOptions, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadContent, type Content } from '../../src/content/loadContent.js';
import { TableAnswerStore } from '../../src/store/answerStore.js';
import { openTable } from '../../src/store/tables.js';
import { TableConversationStore } from '../../src/store/conversationStore.js';
import { freePort } from '../support/ports.js';
import { uniquePrefix } from '../support/storage.js';

export interface TabApp {
  app: RunningApp;
  url: string;
  /** The same answers table the app reads, for seeding through the real store. */
  store: TableAnswerStore;
  /** Where the bot is installed (the app asks that conversation's Bot Connector who its members are). */
  conversations: TableConversationStore;
  content: Content;
  /** The server's log lines at warn level and above (JSON), so a test can show what went wrong on the server. */
  serverLog(): string[];
  close(): Promise<void>;
}

/** Starts the real app (bot, pulse, tab) on a free port with fresh tables in the run's Azurite. */
export async function startTabApp(
  options: { env?: Record<string, string>; now?: () => Date; org?: AppOptions['org'] } = {},
): Promise<TabApp> {
  const tablePrefix = uniquePrefix();
  const log: string[] = [];
  const connectionString = inject('azuriteConnectionString');
  const app = await startApp(
    loadConfig({ PORT: String(await freePort()), STORAGE_CONNECTION_STRING: connectionString, TABLE_PREFIX: tablePrefix, ...options.env }),
    {
      logger: pino({ level: 'warn' }, { write: (line: string) => void log.push(line.trim()) }),
      pulse: { timer: false },
      org: { teamIntervalMs: 50, orgIntervalMs: 50, ...options.org },
      ...(options.now ? { now: options.now } : {}),
    },
  );
  return {
    app,
    url: app.url,
    store: new TableAnswerStore(await openTable(connectionString, `${tablePrefix}answers`)),
    conversations: new TableConversationStore(await openTable(connectionString, `${tablePrefix}conversations`)),
    content: loadContent(path.resolve('content')),
    serverLog: () => [...log],
    close: () => app.close(),
  };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
