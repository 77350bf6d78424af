import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { loadContent } from '../../src/content/loadContent.js';
import { capabilityVersion } from '../../src/model/levels.js';
import { roundOf } from '../../src/model/round.js';

export interface IngestionFigures {
  connections: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  idleRssMb: number;
  loadRssMb: number;
}

const MEMBERS = 5000;

/** The Node flags `npm start` uses (package.json config.nodeFlags), so the benchmark runs the bot as deployed. */
function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { config?: { nodeFlags?: string } };
  return (manifest.config?.nodeFlags ?? '').split(' ').filter(Boolean);
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the bot did not answer /healthz');
}

/**
 * Answer submissions at the real HTTP endpoint of the bot running as its own process (npm start's
 * entry point), at a fixed concurrency: each request is a new member's answer in a channel dialog.
 */
export async function benchIngestion(
  connectionString: string,
  port: number,
  connections: number,
  seconds: number,
): Promise<IngestionFigures> {
  // The compiled bot, as `npm start` runs it (bench.ts builds it first).
  const child = spawn(process.execPath, [...startFlags(), 'dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      STORAGE_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: `benchin${Date.now().toString(36)}`,
      LOG_LEVEL: 'silent',
      MIN_RESPONDENTS: '3',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleRssMb = rssMb(child.pid!);

    const model = loadContent('content').models.get('adoption')!;
    const round = roundOf(new Date());
    let sequence = 0;
    const nextBody = () => {
      const index = sequence++;
      // Capability by capability across many members, as a team answers: each member answers one question at a time.
      const member = index % MEMBERS;
      const capability = model.capabilities[Math.floor(index / MEMBERS) % model.capabilities.length]!;
      return JSON.stringify({
        type: 'invoke',
        name: 'task/submit',
        id: `bench-${index}`,
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:9/',
        from: { id: `29:bench-${member}`, aadObjectId: `00000000-0000-4000-8000-${String(member).padStart(12, '0')}` },
        recipient: { id: '28:bench' },
        conversation: { id: '19:benchchannel@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: 'bench-tenant' },
        channelData: {
          tenant: { id: 'bench-tenant' },
          channel: { id: '19:benchchannel@thread.tacv2', name: 'General' },
          team: { id: '19:benchteam@thread.tacv2', name: 'Bench' },
        },
        value: {
          data: {
            verb: 'answer',
            model: 'adoption',
            capability: capability.id,
            round,
            v: capabilityVersion(capability),
            level: String(100 * (1 + (index % 5))),
          },
        },
      });
    };

    let loadRssMb = idleRssMb;
    const sampler = setInterval(() => (loadRssMb = Math.max(loadRssMb, rssMb(child.pid!))), 250);
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/messages',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: nextBody() }),
        },
      ],
    });
    clearInterval(sampler);
    return {
      connections,
      seconds,
      requests: result.requests.total,
      perSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx,
      idleRssMb,
      loadRssMb,
    };
  } finally {
    child.kill('SIGINT');
  }
}
