import { pino } from 'pino';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TablePulseStore } from '../../src/store/pulseStore.js';
import { openTable } from '../../src/store/tables.js';
import { LimitingConnector } from './limitingConnector.js';

export interface FanoutFigures {
  channels: number;
  tenants: number;
  seconds: number;
  sendsPerSecond: number;
  retries: number;
  throttled: number;
  duplicates: number;
  lost: number;
}

/** The monthly pulse to `channels` channels spread over `tenants` tenants, against a connector enforcing Teams' limits. */
export async function benchFanout(connectionString: string, port: number, channels: number, tenants: number): Promise<FanoutFigures> {
  const connector = await new LimitingConnector().start();
  const tablePrefix = `bench${Date.now().toString(36)}`;
  let now = new Date('2026-12-01T10:00:00Z');
  const app = await startApp(
    loadConfig({ PORT: String(port), STORAGE_CONNECTION_STRING: connectionString, TABLE_PREFIX: tablePrefix, LOG_LEVEL: 'silent' }),
    {
      logger: pino({ level: 'silent' }),
      now: () => now,
      pulse: { timer: false },
    },
  );
  const pulses = new TablePulseStore(await openTable(connectionString, `${tablePrefix}pulse`));
  const ids = Array.from({ length: channels }, (_, index) => index);
  for (let start = 0; start < ids.length; start += 64) {
    await Promise.all(
      ids.slice(start, start + 64).map((index) =>
        pulses.subscribe({
          target: {
            tenantId: `tenant-${index % tenants}`,
            conversationId: `19:bench${index}@thread.tacv2`,
            kind: 'channel',
            serviceUrl: connector.url,
            botId: '28:bench',
            name: `Team ${index}`,
          },
          modelId: 'adoption',
          status: 'active',
          problem: '',
          subscribedBy: 'bench',
          subscribedAt: now.toISOString(),
        }),
      ),
    );
  }

  now = new Date('2026-12-07T09:00:30Z');
  const started = performance.now();
  await app.pulse.tick();
  const seconds = (performance.now() - started) / 1000;
  const posts = [...connector.postsByConversation.values()];
  const figures: FanoutFigures = {
    channels,
    tenants,
    seconds,
    sendsPerSecond: app.delivery.stats.sent / seconds,
    retries: app.delivery.stats.retries,
    throttled: connector.throttled,
    duplicates: posts.reduce((sum, count) => sum + Math.max(0, count - 1), 0),
    lost: channels - posts.filter((count) => count >= 1).length,
  };
  await app.close();
  await connector.stop();
  return figures;
}
