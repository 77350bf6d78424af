// npm run bench: speed and memory on this machine, against Azurite. Prints each figure; no assertions.
import { startAzurite } from '../src/store/azurite.js';
import { freePort } from '../test/support/ports.js';
import { benchAggregation } from './bench/aggregation.js';
import { benchFanout } from './bench/fanout.js';
import { benchIngestion } from './bench/ingestion.js';

const channels = Number(process.env.BENCH_CHANNELS ?? 10_000);
const azurite = await startAzurite({ port: await freePort(), location: undefined });
try {
  console.log('Maturity Pulse benchmark (Azurite in memory, loopback only)\n');

  const aggregation = await benchAggregation(azurite.connectionString, 1000);
  console.log(`Team aggregation: ${aggregation.members} members × ${aggregation.capabilities} capabilities (${aggregation.rows} answers)`);
  console.log(`  median ${aggregation.medianMs.toFixed(1)} ms, best ${aggregation.bestMs.toFixed(1)} ms (target < 50 ms)`);
  console.log(`  ${aggregation.requests} HTTP requests (pages of one query), single partition: ${aggregation.singlePartition ? 'yes' : 'NO'}\n`);

  const ingestion = await benchIngestion(azurite.connectionString, await freePort(), 16, 15);
  console.log(`Answer ingestion at /api/messages: ${ingestion.connections} concurrent connections for ${ingestion.seconds} s`);
  console.log(`  ${ingestion.perSecond.toFixed(0)} submissions/s (target ≥ 500), p50 ${ingestion.p50} ms, p99 ${ingestion.p99} ms (target < 100 ms), ${ingestion.requests} requests, ${ingestion.errors} errors`);
  console.log(`  bot RSS idle ${ingestion.idleRssMb.toFixed(0)} MB, under load ${ingestion.loadRssMb.toFixed(0)} MB (target < 200 MB)\n`);

  const fanout = await benchFanout(azurite.connectionString, await freePort(), channels, 20);
  console.log(`Pulse fan-out: ${fanout.channels} channels in ${fanout.tenants} tenants, connector enforcing Teams' limits`);
  console.log(`  ${fanout.seconds.toFixed(1)} s, ${fanout.sendsPerSecond.toFixed(0)} sends/s, ${fanout.retries} retries, ${fanout.throttled} throttled (429), duplicates ${fanout.duplicates}, lost ${fanout.lost}`);
} finally {
  await azurite.stop();
}
