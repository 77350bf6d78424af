import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
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
import { openTable, storageCredential, type TableAccount } from './store/tables.js';
import { probeStorage } from './store/storageHealth.js';
import { TableConversationStore } from './store/conversationStore.js';
import { TablePulseStore } from './store/pulseStore.js';
import { TablePulseWorkStore } from './store/pulseWorkStore.js';
import { TableTargetStore } from './store/targetStore.js';
import { TableSupportStatsStore } from './store/supportStatsStore.js';
import { SupportLearning } from './bot/supportLearning.js';
import { BotConnectorMessenger, connectorCredentials } from './bot/connectorClient.js';
import { ConversationMembership } from './bot/membership.js';
import { PulseCommands } from './bot/pulseCommands.js';
import { PrivacyCommands } from './bot/privacyCommands.js';
import { CoeAdmins } from './bot/coeAdmins.js';
import { createRoutes } from './bot/routes.js';
import { createLogger } from './logging.js';
import { openDialogData } from './cards/pulseCards.js';
import type { Delivery } from './pulse/delivery.js';
import { startPulse, type PulseOptions } from './pulse/pulse.js';
import { startPulseTimer } from './pulse/timer.js';
import type { PulseRunner } from './pulse/pulseRunner.js';
import { DashboardService } from './tab/dashboardService.js';
import { mountTab } from './tab/routes.js';
import { CoeRoster } from './bot/coeRoster.js';
import { OrganisationCommands } from './bot/organisationCommands.js';
import { OrgStore } from './store/orgStore.js';
import { OrgUpkeep, type OrgUpkeepDeps } from './store/orgUpkeep.js';
import { OrganisationService } from './tab/organisationService.js';
import { DEMO_COE, DemoOrganisation } from './tab/demoOrganisation.js';
import { DEMO_TEAM } from './tab/demoData.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppOptions {
  now?: () => Date;
  logger?: Logger;
  /** Tests drive the pulse themselves: no timer, and waits between retries that return at once. */
  pulse?: PulseOptions;
  /** Tests shorten how long the organisation roll-up waits to coalesce changes. */
  org?: Pick<OrgUpkeepDeps, 'teamIntervalMs' | 'orgIntervalMs'>;
}

export interface RunningApp {
  url: string;
  storage: 'azure' | 'azurite';
  pulse: PulseRunner;
  delivery: Delivery;
  /** Keeps the organisation roll-up current off the response path (tests wait for it with settle()). */
  org: OrgUpkeep;
  close(): Promise<void>;
}

/** Builds and starts everything from a validated config: content, store, bot, HTTP server. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const content = loadContent(path.join(root, 'content'));
  const cards = loadCardTemplates(path.join(root, 'cards'));

  let azurite: RunningAzurite | undefined;
  if (config.storage.kind === 'azurite') {
    azurite = await startAzurite({ port: config.storage.port, location: path.resolve(config.storage.location), logger });
    logger.info({ port: azurite.port, location: config.storage.location, azuritePid: azurite.pid() }, 'embedded Azurite started');
  }
  const account: TableAccount =
    config.storage.kind === 'azurite'
      ? azurite!.connectionString
      : 'connectionString' in config.storage
        ? config.storage.connectionString
        : { url: config.storage.accountUrl, credential: storageCredential(config.storage.managedIdentityClientId) };
  const table = (name: string) => openTable(account, `${config.tablePrefix}${name}`);
  const [store, conversations, pulses, work, targets, supportStats, orgStore] = await Promise.all([
    table('answers').then((client) => new TableAnswerStore(client)),
    table('conversations').then((client) => new TableConversationStore(client)),
    table('pulse').then((client) => new TablePulseStore(client)),
    table('pulsework').then((client) => new TablePulseWorkStore(client)),
    table('targets').then((client) => new TableTargetStore(client)),
    table('supportstats').then((client) => new TableSupportStatsStore(client)),
    table('organisation').then((client) => new OrgStore(client)),
  ]);
  const healthTable = await table('answers');
  const now = options.now ?? (() => new Date());

  const messenger = new BotConnectorMessenger(connectorCredentials(config.bot));
  const roster = new CoeRoster({ admins: config.admins, conversations, connector: messenger });
  // Local mode's demo organisation has its own made-up CoE, so the perception gap can be tried without a tenant.
  const coeOf = async (tenantId: string) =>
    config.bot || tenantId !== DEMO_TEAM.tenantId ? roster.members(tenantId) : new Set([...(await roster.members(tenantId)), ...DEMO_COE]);
  const org = new OrgUpkeep({
    answers: store,
    conversations,
    store: orgStore,
    models: content.models,
    coeOf,
    minRespondents: config.minRespondents,
    now,
    logger,
    ...options.org,
  });
  const organisation = new OrganisationService({
    models: content.models,
    store: orgStore,
    upkeep: org,
    targets,
    minRespondents: config.minRespondents,
    now,
  });
  const pulse = startPulse({
    content,
    answers: store,
    pulses,
    work,
    messenger,
    cards,
    teamResultCard: (target, modelId, round) =>
      flow.teamResult(
        { tenantId: target.tenantId, scopeId: target.conversationId, teamName: target.name },
        modelId,
        openDialogData(modelId),
        round,
      ),
    config: config.pulse,
    allowedTenants: config.allowedTenants,
    minRespondents: config.minRespondents,
    now,
    logger,
    ...(options.pulse ? { options: options.pulse } : {}),
  });
  const runner = pulse.runner;
  // An answer in a team also moves the pulse card's live count and the organisation roll-up, off the member's response path.
  const flow = new AssessmentFlow({
    content,
    store,
    targets,
    cards,
    minRespondents: config.minRespondents,
    now,
    answered: (key, result) => {
      pulse.noteAnswer(key, result);
      org.noteAnswer(key);
    },
  });
  const learning = new SupportLearning({ store: supportStats, keepUnanswered: config.supportKeepUnanswered, now, logger });
  const supportDesk = new SupportDesk({ support: content.support, store, cards, learning, minRespondents: config.minRespondents });
  const membership = new ConversationMembership(conversations, messenger);
  const dashboards = new DashboardService({ models: content.models, store, targets, minRespondents: config.minRespondents, now });
  const routes = createRoutes({
    flow,
    supportDesk,
    pulse: new PulseCommands({ runner, conversations, targets, content, now }),
    privacy: new PrivacyCommands({
      answers: store,
      conversations,
      targets,
      pulses,
      orgUpkeep: org,
      exports: dashboards,
      content,
      cards,
      minRespondents: config.minRespondents,
      now,
    }),
    admins: new CoeAdmins(config.admins),
    organisation: new OrganisationCommands({ organisation, content, cards }),
    cards,
    logger,
  });
  const bot = new MaturityPulseBot({ routes, flow, conversations, pulse: runner, org, allowedTenants: config.allowedTenants, logger });
  const server = createServer(createAdapter(config.bot, logger, config.channelAuth), bot, logger, async () => {
    // A store process known to be down needs no probe to say so.
    const embedded = azurite?.state();
    return embedded && !embedded.running ? { healthy: false, problem: embedded.problem } : probeStorage(healthTable);
  });
  mountTab(server, {
    bot: config.bot,
    tab: config.tab,
    allowedTenants: config.allowedTenants,
    service: dashboards,
    isMember: (team, objectId) => membership.isMember(team.tenantId, team.scopeId, objectId),
    personalChat: async (tenantId, objectId) => (await conversations.personalOf(tenantId, objectId))?.conversationId,
    logger,
    tabDir: path.join(root, 'tab'),
    organisation: {
      service: organisation,
      isAdmin: (tenantId, objectId) => roster.isAdmin(tenantId, objectId),
      demo: new DemoOrganisation({ models: content.models, answers: store, conversations, upkeep: org, now }),
    },
  });
  await new Promise<void>((resolve) => {
    server.listen(config.port, '0.0.0.0', resolve);
  });
  const address = server.address();
  const url = `http://localhost:${address.port}`;
  logger.info(
    { url, mode: config.bot ? 'authenticated' : 'local (no app id)', storage: config.storage.kind },
    'Maturity Pulse is listening',
  );
  pulse.start();
  // Redoes organisation summaries a process left unfinished (see OrgUpkeep.repair), as often as the pulse ticks.
  const orgRepair =
    options.pulse?.timer === false ? undefined : startPulseTimer({ tick: () => org.repair() }, config.pulse.tickSeconds, logger);

  return {
    url,
    storage: config.storage.kind,
    pulse: runner,
    delivery: pulse.delivery,
    org,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      await Promise.all([pulse.stop(), learning.stop(), org.stop(), orgRepair?.stop()]);
      await azurite?.stop();
    },
  };
}
