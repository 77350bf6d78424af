import { TableClient } from '@azure/data-tables';
import { loadContent } from '../../src/content/loadContent.js';
import { scoreTeam } from '../../src/model/scoring.js';
import { LEVELS } from '../../src/model/content.js';
import { TableAnswerStore, partitionKeyOf, type RoundKey } from '../../src/store/answerStore.js';

export interface AggregationFigures {
  members: number;
  capabilities: number;
  /** Answers written (members × capabilities). */
  rows: number;
  medianMs: number;
  bestMs: number;
  requests: number;
  singlePartition: boolean;
}

/** Time to read and aggregate one team round of `members` members answering every capability. */
export async function benchAggregation(connectionString: string, members: number): Promise<AggregationFigures> {
  const model = loadContent('content').models.adoption;
  const requests: string[] = [];
  const table = TableClient.fromConnectionString(connectionString, `benchagg${Date.now().toString(36)}`, {
    allowInsecureConnection: true,
    additionalPolicies: [
      {
        position: 'perCall',
        policy: { name: 'recordRequests', sendRequest: (request, next) => (requests.push(decodeURIComponent(request.url)), next(request)) },
      },
    ],
  });
  await table.createTable();
  const key: RoundKey = { tenantId: 'bench-tenant', scopeId: '19:bench@thread.tacv2', modelId: model.id, round: '2026-12' };
  const partitionKey = partitionKeyOf(key);
  const store = new TableAnswerStore(table);
  // Written through the store itself, so the benchmark reads exactly the layout the bot writes.
  // Capability by capability, as a team answers: concurrent writes go to different members' rows.
  const answers = model.capabilities.flatMap((capability, index) =>
    Array.from({ length: members }, (_, member) => ({ member, capability, level: LEVELS[(member + index) % LEVELS.length]! })),
  );
  const at = new Date('2026-12-07T10:00:00Z');
  for (let start = 0; start < answers.length; start += 64) {
    await Promise.all(
      answers
        .slice(start, start + 64)
        .map((answer) => store.record(key, `member-${answer.member}`, answer.capability.id, answer.level, at)),
    );
  }

  const timings: number[] = [];
  let lastRequests: string[] = [];
  for (let run = 0; run < 7; run += 1) {
    requests.length = 0;
    const started = performance.now();
    const result = scoreTeam(model, await store.team(key), 3);
    timings.push(performance.now() - started);
    if (result.status !== 'ready' || result.respondents !== members) throw new Error('the benchmark team should aggregate every member');
    lastRequests = [...requests];
  }
  await table.deleteTable();
  timings.sort((a, b) => a - b);
  return {
    members,
    capabilities: model.capabilities.length,
    rows: answers.length,
    medianMs: timings[Math.floor(timings.length / 2)]!,
    bestMs: timings[0]!,
    requests: lastRequests.length,
    singlePartition: lastRequests.every((url) => url.includes(`PartitionKey eq '${partitionKey}'`)),
  };
}
