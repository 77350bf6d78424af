import { TableClient } from '@azure/data-tables';
import { pino } from 'pino';
import { loadContent } from '../../src/content/loadContent.js';
import { LEVELS } from '../../src/model/content.js';
import { summariseTeam, type DatedMemberAnswers } from '../../src/model/orgRollup.js';
import { recentRounds } from '../../src/model/round.js';
import { TableAnswerStore } from '../../src/store/answerStore.js';
import { TableConversationStore } from '../../src/store/conversationStore.js';
import { OrgStore } from '../../src/store/orgStore.js';
import { OrgUpkeep } from '../../src/store/orgUpkeep.js';
import { TableTargetStore } from '../../src/store/targetStore.js';
import { OrganisationService } from '../../src/tab/organisationService.js';

export interface OrganisationFigures {
  teams: number;
  members: number;
  months: number;
  /** Team summaries stored (teams × months): the history a roll-up must not scan. */
  summaries: number;
  medianMs: number;
  bestMs: number;
  /** Storage requests for one roll-up, and which tables and partitions they read. */
  requests: number;
  reads: string[];
  /** Keeping it current, off the response path: one team's summary, then the month's figures. */
  teamRecompute: { ms: number; requests: number };
  monthRefresh: { ms: number; requests: number };
}

const NOW = new Date('2026-12-20T10:00:00Z');
const MONTHS = 12;

/**
 * One organisation roll-up for `teams` teams of `members` people with `MONTHS` months of history: the time and the
 * storage requests of reading it (this month's team rows, the trend's snapshots, the targets), and of keeping it
 * current. The summaries are written through the store's own code, as the upkeep writes them.
 */
export async function benchOrganisation(connectionString: string, teams: number, members: number): Promise<OrganisationFigures> {
  const content = loadContent('content');
  const model = content.models.adoption;
  const requests: string[] = [];
  const prefix = `benchorg${teams}${Date.now().toString(36)}`;
  const open = async (name: string) => {
    const client = TableClient.fromConnectionString(connectionString, `${prefix}${name}`, {
      allowInsecureConnection: true,
      additionalPolicies: [
        {
          position: 'perCall',
          policy: {
            name: 'recordRequests',
            sendRequest: (request, next) => (requests.push(`${request.method} ${decodeURIComponent(request.url)}`), next(request)),
          },
        },
      ],
    });
    await client.createTable();
    return client;
  };
  const [orgTable, answersTable, conversationsTable, targetsTable] = await Promise.all([
    open('org'),
    open('answers'),
    open('conv'),
    open('targets'),
  ]);
  const store = new OrgStore(orgTable);
  const answers = new TableAnswerStore(answersTable);
  const conversations = new TableConversationStore(conversationsTable);
  const upkeep = new OrgUpkeep({
    answers,
    conversations,
    store,
    models: content.models,
    coeOf: async () => new Set(['member-0', 'member-1', 'member-2']),
    minRespondents: 3,
    now: () => NOW,
    logger: pino({ level: 'silent' }),
  });
  const service = new OrganisationService({
    models: content.models,
    store,
    upkeep,
    targets: new TableTargetStore(targetsTable),
    minRespondents: 3,
    now: () => NOW,
  });
  const tenantId = `bench-tenant-${teams}`;
  const rounds = recentRounds('2026-12', MONTHS);

  // History: a summary per team and month (every tenth team too small to show), then each month's figures.
  const jobs = rounds.flatMap((round, month) => Array.from({ length: teams }, (_, team) => ({ round, month, team })));
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const size = job.team % 10 === 9 ? 2 : members;
      const at = new Date(`${job.round}-10T09:00:00Z`).toISOString();
      const people: DatedMemberAnswers[] = Array.from({ length: size }, (_, member) => ({
        memberId: `member-${job.team === 0 ? member : `${job.team}-${member}`}`,
        choices: new Map(
          model.capabilities.map((capability, index) => [capability.id, LEVELS[(job.team + member + index + job.month) % LEVELS.length]!]),
        ),
        answeredAt: new Map(model.capabilities.map((capability) => [capability.id, at])),
      }));
      const key = { tenantId, scopeId: `19:team-${job.team}@thread.tacv2`, modelId: model.id, round: job.round };
      const summary = summariseTeam(model, people, (id) => ['member-0', 'member-1', 'member-2'].includes(id), 3);
      await store.writeTeam(key, `Contoso region ${job.team} · Makers`, summary, undefined, NOW);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  for (const round of rounds) await upkeep.refreshFigures({ tenantId, modelId: model.id, round });

  const timings: number[] = [];
  let lastRequests: string[] = [];
  for (let run = 0; run < 7; run += 1) {
    requests.length = 0;
    const started = performance.now();
    const result = await service.rollup(tenantId, 'adoption');
    timings.push(performance.now() - started);
    if (result.rollup.heatMap.length !== teams) throw new Error(`the roll-up should show every team, not ${result.rollup.heatMap.length}`);
    lastRequests = [...requests];
  }
  timings.sort((a, b) => a - b);

  // Keeping it current: one team of `members` answers (written as the bot writes), then its summary and the month's figures.
  const team = { tenantId, scopeId: '19:team-0@thread.tacv2', modelId: model.id, round: '2026-12' };
  for (let member = 0; member < members; member += 1) {
    for (const capability of model.capabilities) await answers.record(team, `member-${member}`, capability.id, 300, NOW);
  }
  const measure = async (work: () => Promise<unknown>) => {
    requests.length = 0;
    const started = performance.now();
    await work();
    return { ms: performance.now() - started, requests: requests.length };
  };
  const teamRecompute = await measure(() => upkeep.recomputeTeam(team));
  const monthRefresh = await measure(() => upkeep.refreshFigures({ tenantId, modelId: model.id, round: '2026-12' }));
  await upkeep.stop();
  await Promise.all([orgTable, answersTable, conversationsTable, targetsTable].map((table) => table.deleteTable()));
  return {
    teams,
    members,
    months: MONTHS,
    summaries: teams * MONTHS,
    medianMs: timings[Math.floor(timings.length / 2)]!,
    bestMs: timings[0]!,
    requests: lastRequests.length,
    reads: [...new Set(lastRequests.map(describeRead(prefix)))],
    teamRecompute,
    monthRefresh,
  };
}

/** "org: month partition" rather than a URL: which table and which kind of partition a request read. */
function describeRead(prefix: string) {
  return (request: string) => {
    const table = new RegExp(`/${prefix}(\\w+?)(\\(|\\(\\)|\\?|$)`).exec(request)?.[1] ?? 'unknown';
    const partition = /PartitionKey eq '([a-z]+)\|/.exec(request)?.[1];
    const kinds: Record<string, string> = { m: "this month's team rows", o: "the trend's snapshots" };
    return `${table}: ${(partition && kinds[partition]) ?? 'one partition'}`;
  };
}
