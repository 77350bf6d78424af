// npm run eval:helpdesk — the help desk on its evaluation set (test/helpdesk/evalSet.ts), asked the way Teams asks:
// every question is posted to /api/messages of the real bot (its own embedded Azurite, a local connector for the
// replies), and the reply is read as a person reads it. Prints top-1 on answerable questions, correct "don't know"
// and confidently wrong answers on out-of-scope questions, and the median latency at the HTTP endpoint, for the
// tuning part and each held-out part separately, with the `help` command's median in the same run as a baseline (the
// machine is shared: the ratio travels better than the absolute figure). Misses are listed for the tuning part only,
// so the held-out parts stay unseen; `-- --misses <part>` lists another part's misses, for analysis by class.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/loadContent.js';
import { HELD_OUT, TUNING, type EvalCase } from '../test/helpdesk/evalSet.js';
import { FRESH_1, FRESH_2, FRESH_3A, FRESH_3B } from '../test/helpdesk/evalSetFresh.js';
import { describe, describeMiss, figures, score, type Observed, type Outcome } from '../test/helpdesk/evaluate.js';
import { LocalConnector } from '../test/support/connector.js';
import { freePort } from '../test/support/ports.js';
import { message, ola } from '../test/support/teams.js';

const support = loadContent(path.resolve('content')).support;
const tierByName = new Map(support.tiers.tiers.map((tier) => [`${tier.supportLabel} (${tier.name})`, tier.id]));

/** What a person sees in the bot's reply, in the evaluation's terms. */
function observe(reply: Record<string, unknown> | undefined): Observed {
  const attachment = (reply?.attachments as { content: any }[] | undefined)?.[0];
  if (!attachment) return { kind: 'unknown' };
  const card = attachment.content;
  const heading: string = card.body[0].text;
  if (heading === 'Did you mean…')
    return {
      kind: 'suggest',
      entryIds: card.body.flatMap((element: any) => (element.selectAction?.data?.entry ? [element.selectAction.data.entry] : [])),
    };
  if (heading === 'Which support level applies?') return { kind: 'form' };
  const rating = card.body.find((element: any) => element.type === 'ActionSet')?.actions?.[0]?.data?.answer;
  const key = rating ? JSON.parse(rating) : undefined;
  const entry = key?.kind === 'entry' ? support.questions.entries.find((candidate) => candidate.id === key.entry) : undefined;
  const tier = tierByName.get(heading);
  return {
    kind: 'answer',
    ...(entry ? { entryId: entry.id } : {}),
    ...(entry?.about.kind === 'level' ? { level: entry.about.level } : {}),
    ...(tier ? { tier } : {}),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const connector = await new LocalConnector().start();
  const location = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-eval-'));
  const app = await startApp(
    loadConfig({ PORT: String(await freePort()), AZURITE_PORT: String(await freePort()), AZURITE_LOCATION: location, LOG_LEVEL: 'silent' }),
    { logger: pino({ level: 'silent' }), pulse: { timer: false } },
  );
  const where = { kind: 'personal', member: ola } as const;
  const ask = async (question: string) => {
    const before = connector.activities().length;
    const started = performance.now();
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(connector.url, ola, where, question)),
    });
    await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`"${question}" got HTTP ${response.status}`);
    return { reply: connector.activities().slice(before).at(-1), ms };
  };
  try {
    // Warm up: the first requests pay for JIT compilation and the storage connection.
    for (const evalCase of TUNING.slice(0, 10)) await ask(evalCase.question);
    const run = async (set: readonly EvalCase[]) => {
      const outcomes: Outcome[] = [];
      const latencies: number[] = [];
      for (const evalCase of set) {
        const { reply, ms } = await ask(evalCase.question);
        latencies.push(ms);
        outcomes.push(score(evalCase, observe(reply)));
      }
      return { outcomes, latencies };
    };
    const parts = [
      ['tuning', TUNING],
      ['held-out', HELD_OUT],
      ['fresh-1', FRESH_1],
      ['fresh-2', FRESH_2],
      ['fresh-3a', FRESH_3A],
      ['fresh-3b', FRESH_3B],
    ] as const;
    const listed = new Set([
      'tuning',
      ...process.argv.slice(2).flatMap((arg, index, args) => (args[index - 1] === '--misses' ? [arg] : [])),
    ]);
    const results = [];
    for (const [name, set] of parts) results.push({ name, set, ...(await run(set)) });
    const baseline: number[] = [];
    for (let round = 0; round < 40; round++) baseline.push((await ask('help')).ms);
    for (const result of results.filter((candidate) => listed.has(candidate.name))) {
      console.log(`Misses on the ${result.name} part:`);
      for (const outcome of result.outcomes.filter((candidate) => !candidate.right)) console.log(describeMiss(outcome));
      console.log();
    }
    const baselineMedian = median(baseline);
    console.log(`Baseline: the help command, median ${baselineMedian.toFixed(1)} ms at /api/messages (${baseline.length} requests)`);
    for (const result of results) {
      console.log(describe(`Part ${result.name} (${result.outcomes.length} questions)`, figures(result.outcomes)));
      const answerMedian = median(result.latencies);
      console.log(
        `  median latency at /api/messages: ${answerMedian.toFixed(1)} ms (${(answerMedian / baselineMedian).toFixed(2)}× the help command)`,
      );
    }
  } finally {
    await app.close();
    await connector.stop();
    rmSync(location, { recursive: true, force: true });
  }
}

await main();
