// npm run bench: speed and memory on this machine, against Azurite on loopback. Prints each figure; asserts nothing.
// BENCH_SECTIONS=aggregation,ingestion,fanout picks sections; BENCH_CHANNELS sets the fan-out size (default 10,000).
import { execFileSync } from 'node:child_process';
import { startAzurite } from '../src/store/azurite.js';
import { freePort } from '../test/support/ports.js';
import { benchAggregation } from './bench/aggregation.js';
import { benchFanout } from './bench/fanout.js';
import { benchIngestion } from './bench/ingestion.js';

const channels = Number(process.env.BENCH_CHANNELS ?? 10_000);
const sections = new Set((process.env.BENCH_SECTIONS ?? 'aggregation,ingestion,fanout').split(','));

async function aggregation(connectionString: string): Promise<void> {
  const figures = await benchAggregation(connectionString, 1000);
  console.log(`Team aggregation: ${figures.members} members × ${figures.capabilities} capabilities (${figures.rows} answers)`);
  console.log(`  median ${figures.medianMs.toFixed(1)} ms, best ${figures.bestMs.toFixed(1)} ms (target < 50 ms)`);
  console.log(
    `  ${figures.requests} HTTP request(s) for one partition query, single partition: ${figures.singlePartition ? 'yes' : 'NO'}\n`,
  );
}

async function ingestion(connectionString: string): Promise<void> {
  const figures = await benchIngestion(connectionString, await freePort(), Number(process.env.BENCH_CONNECTIONS ?? 16), 15);
  console.log(`Answer ingestion at /api/messages: ${figures.connections} concurrent connections for ${figures.seconds} s`);
  console.log(
    `  ${figures.perSecond.toFixed(0)} submissions/s (target ≥ 500), p50 ${figures.p50} ms, p99 ${figures.p99} ms (target < 100 ms), ${figures.requests} requests, ${figures.errors} errors`,
  );
  console.log(`  bot RSS idle ${figures.idleRssMb.toFixed(0)} MB, under load ${figures.loadRssMb.toFixed(0)} MB (target < 200 MB)\n`);
}

async function fanout(connectionString: string): Promise<void> {
  const figures = await benchFanout(connectionString, await freePort(), channels, 20);
  console.log(`Pulse fan-out: ${figures.channels} channels in ${figures.tenants} tenants, connector enforcing Teams' limits`);
  console.log(
    `  ${figures.seconds.toFixed(1)} s, ${figures.sendsPerSecond.toFixed(0)} sends/s, ${figures.retries} retries, ${figures.throttled} throttled (429), duplicates ${figures.duplicates}, lost ${figures.lost}\n`,
  );
}

// The ingestion section runs the compiled bot, as `npm start` does.
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
const azurite = await startAzurite({ port: await freePort(), location: undefined });
try {
  console.log('Maturity Pulse benchmark (Azurite in memory, loopback only)\n');
  if (sections.has('aggregation')) await aggregation(azurite.connectionString);
  if (sections.has('ingestion')) await ingestion(azurite.connectionString);
  if (sections.has('fanout')) await fanout(azurite.connectionString);
} finally {
  await azurite.stop();
}
