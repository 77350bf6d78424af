import { TableClient } from '@azure/data-tables';
import { pino } from 'pino';
import { loadCardTemplates } from '../../src/cards/templates.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/loadContent.js';
import type { Messenger } from '../../src/pulse/messenger.js';
import { startPulse } from '../../src/pulse/pulse.js';
import { TableAnswerStore } from '../../src/store/answerStore.js';
import { TablePulseStore } from '../../src/store/pulseStore.js';
import { TablePulseWorkStore } from '../../src/store/pulseWorkStore.js';
import { STORAGE_RETRY } from '../../src/store/tables.js';

export interface IdleTickFigures {
  channels: number;
  medianMs: number;
  requests: number;
}

/** A tick with nothing due while `channels` channels each have a round open (posted, reminder not yet due). */
export async function benchIdleTick(connectionString: string, channels: number, tenants: number): Promise<IdleTickFigures> {
  const requests: string[] = [];
  const prefix = `benchidle${Date.now().toString(36)}`;
  const table = async (name: string) => {
    const client = TableClient.fromConnectionString(connectionString, `${prefix}${name}`, {
      allowInsecureConnection: true,
      retryOptions: STORAGE_RETRY,
      additionalPolicies: [
        { position: 'perCall', policy: { name: 'count', sendRequest: (request, next) => (requests.push(request.url), next(request)) } },
      ],
    });
    await client.createTable();
    return client;
  };
  const content = loadContent('content');
  const config = loadConfig({ STORAGE_CONNECTION_STRING: connectionString, LOG_LEVEL: 'silent' });
  const pulses = new TablePulseStore(await table('pulse'));
  // Setting up the open rounds is not what is measured: posts go nowhere, at any rate.
  const messenger: Messenger = { post: async () => 'posted', reply: async () => 'reply', update: async () => undefined };
  let now = new Date('2026-12-01T10:00:00Z');
  const pulse = startPulse({
    content,
    answers: new TableAnswerStore(await table('answers')),
    pulses,
    work: new TablePulseWorkStore(await table('pulsework')),
    messenger,
    cards: loadCardTemplates('cards'),
    teamResultCard: async () => ({ type: 'AdaptiveCard', version: '1.5' }),
    config: { ...config.pulse, appRatePerSecond: 1_000_000 },
    allowedTenants: [],
    minRespondents: 3,
    now: () => now,
    logger: pino({ level: 'silent' }),
    options: { timer: false },
  });
  const runner = pulse.runner;
  for (let start = 0; start < channels; start += 64) {
    await Promise.all(
      Array.from({ length: Math.min(64, channels - start) }, (_, offset) => {
        const index = start + offset;
        return pulses.subscribe({
          target: {
            tenantId: `tenant-${index % tenants}`,
            conversationId: `19:idle${index}@thread.tacv2`,
            kind: 'channel',
            serviceUrl: 'http://127.0.0.1:9/',
            botId: '28:bench',
            name: `Team ${index}`,
          },
          modelId: 'adoption',
          status: 'active',
          problem: '',
          subscribedBy: 'bench',
          subscribedAt: now.toISOString(),
        });
      }),
    );
  }
  now = new Date('2026-12-07T09:00:30Z');
  await runner.tick(); // opens and posts every round

  now = new Date('2026-12-08T12:00:00Z'); // rounds open, the reminder not due yet
  const times: number[] = [];
  for (let run = 0; run < 7; run += 1) {
    requests.length = 0;
    const started = performance.now();
    await runner.tick();
    times.push(performance.now() - started);
  }
  await pulse.stop();
  return { channels, medianMs: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, requests: requests.length };
}
