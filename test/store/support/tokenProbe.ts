// Run in a child process by test/store/tokenAuth.test.ts, with NODE_EXTRA_CA_CERTS trusting the test's certificate
// (Node reads it only at start-up). Configured from the environment as the bot is in Azure (STORAGE_ACCOUNT_URL +
// AZURE_CLIENT_ID, and App Service's managed-identity endpoint in IDENTITY_ENDPOINT/IDENTITY_HEADER), it starts the
// app, which opens its tables, then works one table the way the stores do, and prints what happened as one JSON line.
import { odata, TableServiceClient } from '@azure/data-tables';
import { startApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { TableAnswerStore } from '../../../src/store/answerStore.js';
import { listAll, openTable, statusOf, storageCredential } from '../../../src/store/tables.js';

/** The error's whole message on one line (storage puts the reason after an XML header). */
const oneLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 600);

interface Row {
  level: number;
}

async function outcome<T>(
  step: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; status: number | undefined; message: string }> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    return { ok: false, status: statusOf(error), message: oneLine(error) };
  }
}

async function probe(): Promise<unknown> {
  const config = loadConfig();
  if (config.storage.kind !== 'azure' || !('accountUrl' in config.storage)) throw new Error('the probe needs STORAGE_ACCOUNT_URL');
  const { accountUrl, managedIdentityClientId } = config.storage;
  const started = await outcome(() => startApp(config, { pulse: { timer: false } }));
  if (!started.ok) return { started };
  await started.value.close();

  const table = await openTable({ url: accountUrl, credential: storageCredential(managedIdentityClientId) }, `${config.tablePrefix}probe`);
  const partitionKey = 'team';
  await table.createEntity<Row>({ partitionKey, rowKey: 'a', level: 200 });
  const read = await table.getEntity<Row>(partitionKey, 'a');
  await table.updateEntity<Row>({ partitionKey, rowKey: 'a', level: 300 }, 'Merge', { etag: read.etag });
  const stale = await outcome(() => table.updateEntity<Row>({ partitionKey, rowKey: 'a', level: 400 }, 'Merge', { etag: read.etag }));
  await table.submitTransaction([
    ['create', { partitionKey, rowKey: 'b', level: 100 }],
    ['create', { partitionKey, rowKey: 'c', level: 500 }],
  ]);
  const rows = await listAll<Row>(table, odata`PartitionKey eq ${partitionKey}`);
  // The answer store's own path: entity-group transactions through the client's pipeline, ETag-checked.
  const answers = new TableAnswerStore(
    await openTable({ url: accountUrl, credential: storageCredential(managedIdentityClientId) }, `${config.tablePrefix}answers`),
  );
  const key = { tenantId: 'tenant', scopeId: 'channel', modelId: 'adoption', round: '2026-11' };
  const recorded = [
    (await answers.record(key, 'mia', 'governance', 200, new Date('2026-11-02T09:00:00Z'))).outcome,
    (await answers.record(key, 'mia', 'governance', 300, new Date('2026-11-02T09:01:00Z'))).outcome,
  ];
  const memberAnswers = Object.fromEntries(await answers.member(key, 'mia'));
  const tables: string[] = [];
  const service = new TableServiceClient(accountUrl, storageCredential(managedIdentityClientId));
  for await (const entry of service.listTables()) if (entry.name?.startsWith(config.tablePrefix)) tables.push(entry.name);
  return {
    started: { ok: true },
    tables: tables.sort(),
    staleUpdate: stale.ok ? 'accepted' : stale.status,
    recorded,
    memberAnswers,
    rows: rows.map((row) => [row.rowKey, row.level]),
  };
}

probe().then(
  (result) => console.log(JSON.stringify(result)),
  (error: unknown) => {
    console.log(
      JSON.stringify({
        failed: { status: statusOf(error), message: oneLine(error) },
      }),
    );
  },
);
