import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import { startApp, type AppOptions, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { freePort } from './ports.js';
import { LocalConnector } from './connector.js';
import { uniquePrefix } from './storage.js';

export interface Harness {
  app: RunningApp;
  connector: LocalConnector;
  tablePrefix: string;
  /** Posts an activity to /api/messages, with extra headers (say, a bearer token). */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the real server on a free port against the run's Azurite, with a local connector as serviceUrl. */
export interface HarnessOptions {
  env?: Record<string, string>;
  now?: () => Date;
  pulse?: AppOptions['pulse'];
  /** Share storage (and a connector) with another harness, as a second bot instance would. */
  tablePrefix?: string;
  connector?: LocalConnector;
  /** The app's logger; silent by default. */
  logger?: Logger;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ownConnector = !options.connector;
  const connector = options.connector ?? (await new LocalConnector().start());
  const tablePrefix = options.tablePrefix ?? uniquePrefix();
  const boot = async () =>
    startApp(
      loadConfig({
        PORT: String(await freePort()),
        STORAGE_CONNECTION_STRING: inject('azuriteConnectionString'),
        TABLE_PREFIX: tablePrefix,
        ...options.env,
      }),
      {
        logger: options.logger ?? pino({ level: 'silent' }),
        ...(options.now ? { now: options.now } : {}),
        pulse: { timer: false, ...options.pulse },
        // The organisation roll-up coalesces changes for seconds in production; tests wait for it with org.settle().
        org: { teamIntervalMs: 50, orgIntervalMs: 50 },
      },
    );
  const harness: Harness = {
    app: await boot(),
    connector,
    tablePrefix,
    async post(activity, headers = {}) {
      const response = await fetch(`${harness.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? parseBody(text) : undefined };
    },
    async restart() {
      await harness.app.close();
      harness.app = await boot();
    },
    async close() {
      await harness.app.close();
      if (ownConnector) await connector.stop();
    },
  };
  return harness;
}

/** JSON, or the text as is (a 401 may carry botbuilder's plain-text reason). */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The Adaptive Card carried by an activity the bot sent. */
export function cardOf(activity: Record<string, unknown> | undefined): any {
  const attachments = (activity?.attachments ?? []) as { contentType: string; content: unknown }[];
  const card = attachments.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`No Adaptive Card in ${JSON.stringify(activity)}`);
  return card.content;
}

/** All text of a card, for assertions that read like what a person sees. */
export function cardText(card: any): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'label') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return texts.join('\n');
}

export function actionData(card: any, title: string): Record<string, unknown> {
  const action = (card.actions ?? []).find((candidate: any) => candidate.title === title);
  if (!action) throw new Error(`No "${title}" action on card: ${cardText(card)}`);
  return action.data;
}
