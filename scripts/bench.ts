// npm run bench: speed and memory on this machine, against Azurite on loopback. Prints each figure; asserts nothing.
// BENCH_SECTIONS=aggregation,ingestion,idle,fanout,organisation picks sections; BENCH_CHANNELS sets the fan-out size (default 10,000).
// Ingestion: BENCH_CONNECTIONS (16), BENCH_SECONDS per run (15), BENCH_ROUNDS (3); BENCH_PROFILE=1 profiles the bot
// (in the ingestion and fan-out sections).
import { execFileSync } from 'node:child_process';
import { startAzurite } from '../src/store/azurite.js';
import { freePort } from '../test/support/ports.js';
import { benchAggregation } from './bench/aggregation.js';
import { benchFanout } from './bench/fanout.js';
import { benchIdleTick } from './bench/idleTick.js';
import { benchIngestion } from './bench/ingestion.js';
import { benchOrganisation } from './bench/organisation.js';

const channels = Number(process.env.BENCH_CHANNELS ?? 10_000);
const sections = new Set((process.env.BENCH_SECTIONS ?? 'aggregation,ingestion,idle,fanout,organisation').split(','));

async function aggregation(connectionString: string): Promise<void> {
  const figures = await benchAggregation(connectionString, 1000);
  console.log(`Team aggregation: ${figures.members} members × ${figures.capabilities} capabilities (${figures.rows} answers)`);
  console.log(`  median ${figures.medianMs.toFixed(1)} ms, best ${figures.bestMs.toFixed(1)} ms (target < 50 ms)`);
  console.log(
    `  ${figures.requests} HTTP request(s) for one partition query, single partition: ${figures.singlePartition ? 'yes' : 'NO'}\n`,
  );
}

async function ingestion(connectionString: string): Promise<void> {
  const figures = await benchIngestion(connectionString, {
    connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
    seconds: Number(process.env.BENCH_SECONDS ?? 15),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    profile: process.env.BENCH_PROFILE === '1',
  });
  const { bare } = figures;
  console.log(
    `Answer ingestion at /api/messages: members each open the dialog and answer all 9 questions; ${figures.connections} connections, ${figures.seconds} s per run, median of ${figures.rounds} rounds`,
  );
  const row = (label: string, run: typeof bare) =>
    `  ${label.padEnd(22)} ${run.perSecond.toFixed(0).padStart(5)} req/s (${(run.perSecond / bare.perSecond).toFixed(2)}× bare)` +
    `  p50 ${run.p50} ms  p99 ${run.p99} ms (${(run.p99 / bare.p99).toFixed(2)}× bare)` +
    `  ${run.cpuMsPerRequest.toFixed(2)} CPU-ms/req (${(run.cpuMsPerRequest / bare.cpuMsPerRequest).toFixed(2)}× bare)` +
    `  RSS ${run.rssMb.toFixed(0)} MB  errors ${run.errors}`;
  console.log(row('bare botbuilder bot', bare));
  console.log(row('Maturity Pulse', figures.bot));
  console.log(row('  with an open pulse', figures.pulse));
  console.log('  targets: ≥ 0.8× the bare bot, p99 ≤ 1.5× its p99, with and without an open pulse; RSS under load < 200 MB');
  const { storage } = figures;
  console.log(
    `  storage requests per answer ${storage.perAnswer.toFixed(2)} (open pulse ${storage.perAnswerWithPulse.toFixed(2)}), per dialog open ${storage.perOpen.toFixed(2)} (${storage.perOpenWithPulse.toFixed(2)})`,
  );
  console.log(
    `  bot RSS idle ${figures.idleRssMb.toFixed(0)} MB, under load ${Math.max(figures.bot.rssMb, figures.pulse.rssMb).toFixed(0)} MB\n`,
  );
  if (figures.profile)
    console.log(`Where the bot's CPU went in the runs without a pulse (--cpu-prof, out/bench-profile):\n${figures.profile}\n`);
}

async function idleTick(connectionString: string): Promise<void> {
  console.log('Pulse tick with nothing due, every channel with a round open (the reminder not due yet)');
  for (const size of [1000, 10_000]) {
    const figures = await benchIdleTick(connectionString, size, 20);
    console.log(
      `  ${figures.channels} channels: median ${figures.medianMs.toFixed(1)} ms (target < 100 ms), ${figures.requests} storage request(s)`,
    );
  }
  console.log('');
}

async function fanout(connectionString: string): Promise<void> {
  const figures = await benchFanout(connectionString, await freePort(), channels, 20, process.env.BENCH_PROFILE === '1');
  console.log(
    `Pulse fan-out: ${figures.channels} channels in ${figures.tenants} tenants, sent by the bot's own process (npm start's flags), connector enforcing Teams' limits and throttling 1% at random`,
  );
  console.log(
    `  ${figures.seconds.toFixed(1)} s, ${figures.sendsPerSecond.toFixed(0)} sends/s = ${(figures.ofCeiling * 100).toFixed(0)}% of the ceiling (${figures.tenants} × 50/s; target ≥ 50%)`,
  );
  console.log(
    `  ${figures.throttled} throttled (429, ${figures.injected} of them injected), duplicates ${figures.duplicates}, lost ${figures.lost}, bot peak RSS ${figures.peakRssMb.toFixed(0)} MB${figures.exit ? `, the bot ${figures.exit} before the round was out` : ', completed under the heap cap'}`,
  );
  console.log(`  bot CPU ${figures.cpuMsPerSend.toFixed(2)} ms per send (first tick to last post)\n`);
  if (figures.profile)
    console.log(`Where the bot's CPU went during the fan-out (--cpu-prof, out/bench-profile-fanout):\n${figures.profile}\n`);
}

async function organisation(connectionString: string): Promise<void> {
  for (const teams of [100, 1000]) {
    const figures = await benchOrganisation(connectionString, teams, 20);
    console.log(
      `Organisation roll-up: ${figures.teams} teams × ${figures.members} members, ${figures.months} months of history (${figures.summaries} team summaries stored)`,
    );
    console.log(`  median ${figures.medianMs.toFixed(0)} ms, best ${figures.bestMs.toFixed(0)} ms (target < 500 ms for 1,000 teams)`);
    console.log(`  ${figures.requests} storage requests for one roll-up: ${figures.reads.join('; ')}`);
    console.log(
      `  kept current off the answer path: a team's summary ${figures.teamRecompute.ms.toFixed(0)} ms (${figures.teamRecompute.requests} requests), the month's figures ${figures.monthRefresh.ms.toFixed(0)} ms (${figures.monthRefresh.requests} requests)\n`,
    );
  }
}

// The ingestion and fan-out sections run the compiled bot, as `npm start` does.
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
const azurite = await startAzurite({ port: await freePort(), location: undefined });
try {
  console.log('Maturity Pulse benchmark (Azurite in memory, loopback only)\n');
  if (sections.has('aggregation')) await aggregation(azurite.connectionString);
  if (sections.has('ingestion')) await ingestion(azurite.connectionString);
  if (sections.has('idle')) await idleTick(azurite.connectionString);
  if (sections.has('fanout')) await fanout(azurite.connectionString);
  if (sections.has('organisation')) await organisation(azurite.connectionString);
} finally {
  await azurite.stop();
}
