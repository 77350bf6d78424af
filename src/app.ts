import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { createAdapter } from './bot/adapter.js';
import { AssessmentFlow } from './bot/assessmentFlow.js';
import { SupportDesk } from './bot/supportDesk.js';
import { MaturityPulseBot } from './bot/teamsBot.js';
import { loadCardTemplates } from './cards/templates.js';
import type { Config } from './config.js';
import { loadContent } from './content/loadContent.js';
import { createServer } from './server.js';
import { TableAnswerStore } from './store/answerStore.js';
import { startAzurite, type RunningAzurite } from './store/azurite.js';
import { openTable } from './store/tables.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppOptions {
  now?: () => Date;
  logger?: Logger;
}

export interface RunningApp {
  url: string;
  storage: 'azure' | 'azurite';
  close(): Promise<void>;
}

/** Builds and starts everything from a validated config: content, store, bot, HTTP server. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const content = loadContent(path.join(root, 'content'));
  const cards = loadCardTemplates(path.join(root, 'cards'));

  let azurite: RunningAzurite | undefined;
  if (config.storage.kind === 'azurite') {
    azurite = await startAzurite({ port: config.storage.port, location: path.resolve(config.storage.location) });
    logger.info({ port: azurite.port, location: config.storage.location }, 'embedded Azurite started');
  }
  const connectionString = config.storage.kind === 'azure' ? config.storage.connectionString : azurite!.connectionString;
  const store = new TableAnswerStore(await openTable(connectionString, `${config.tablePrefix}answers`));

  const flow = new AssessmentFlow({ content, store, cards, minRespondents: config.minRespondents, now: options.now ?? (() => new Date()) });
  const supportDesk = new SupportDesk({ support: content.support, store, cards, minRespondents: config.minRespondents });
  const bot = new MaturityPulseBot({ flow, supportDesk, cards, logger });
  const server = createServer(createAdapter(config.bot, logger), bot, logger);
  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  const address = server.address();
  const url = `http://localhost:${address.port}`;
  logger.info({ url, mode: config.bot ? 'authenticated' : 'local (no app id)', storage: config.storage.kind }, 'Maturity Pulse is listening');

  return {
    url,
    storage: config.storage.kind,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await azurite?.stop();
    },
  };
}
