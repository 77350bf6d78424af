import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadContent } from '../../src/content/loadContent.js';
import { capabilityVersion } from '../../src/model/levels.js';
import { roundOf } from '../../src/model/round.js';
import { freePort } from '../../test/support/ports.js';
import { storageProxy } from '../../test/support/storageProxy.js';
import { LimitingConnector } from './limitingConnector.js';
import { monotonicMicros, summariseProfile, type Window } from './profile.js';

/** One load run against one server: what members saw and what it cost the server's process. */
export interface RunFigures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of the server process (user + system) per request. */
  cpuMsPerRequest: number;
  /** The highest RSS sampled during the run. */
  rssMb: number;
}

export interface IngestionFigures {
  connections: number;
  seconds: number;
  rounds: number;
  /** Medians over the rounds, per server. */
  bare: RunFigures;
  bot: RunFigures;
  pulse: RunFigures;
  /** Storage requests the bot sent, per answer and per dialog open, counted at a proxy (no pulse / open pulse). */
  storage: { perAnswer: number; perOpen: number; perAnswerWithPulse: number; perOpenWithPulse: number };
  idleRssMb: number;
  /** Where the bot's CPU went under load without a pulse, when BENCH_PROFILE is set. */
  profile?: string;
}

const TENANT = 'bench-tenant';
const ADMIN = '00000000-0000-4000-8000-0000000000ad';
/** Channels the members are spread over per run (a fresh set each run, so partitions start empty). */
const CHANNELS = 8;

/** The Node flags `npm start` uses (package.json config.nodeFlags), so the benchmark runs the bot as deployed. */
export function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { config?: { nodeFlags?: string } };
  return (manifest.config?.nodeFlags ?? '').split(' ').filter(Boolean);
}
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** User + system CPU of a process in ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms). */
export const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Waits until the process answers /healthz (30 s at most). */
export async function waitForHealth(url: string, child: ChildProcess, name = 'the bot'): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    if (attempt === 300) throw new Error(`${name} did not answer /healthz`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, args.at(-1));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { url, child, stop: () => (child.kill('SIGINT'), exited) };
}

/** Teams activities of a channel dialog: members open the assessment, then answer its questions one after another. */
class Assessments {
  private readonly model = loadContent('content').models.adoption;
  private readonly round = roundOf(new Date());

  constructor(
    private readonly serviceUrl: string,
    readonly channels: string[],
  ) {}

  private activity(member: number, fields: Record<string, unknown>): Record<string, unknown> {
    const channel = this.channels[member % this.channels.length]!;
    return {
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      from: { id: `29:bench-${member}`, aadObjectId: `00000000-0000-4000-8000-${String(member).padStart(12, '0')}` },
      recipient: { id: '28:bench' },
      conversation: { id: channel, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      channelData: { tenant: { id: TENANT }, channel: { id: channel, name: 'General' }, team: { id: `${channel}-team`, name: 'Bench' } },
      ...fields,
    };
  }

  get questions(): number {
    return this.model.capabilities.length;
  }

  open(member: number): Record<string, unknown> {
    return this.activity(member, {
      type: 'invoke',
      name: 'task/fetch',
      value: { data: { verb: 'open', model: 'adoption', msteams: { type: 'task/fetch' } } },
    });
  }

  answer(member: number, index: number): Record<string, unknown> {
    const capability = this.model.capabilities[index]!;
    const level = String(100 * (1 + ((member + index) % 5)));
    const data = {
      verb: 'answer',
      model: 'adoption',
      capability: capability.id,
      round: this.round,
      v: capabilityVersion(capability),
      level,
    };
    return this.activity(member, { type: 'invoke', name: 'task/submit', value: { data } });
  }

  message(member: string, channelIndex: number, text: string): Record<string, unknown> {
    const channel = this.channels[channelIndex]!;
    return {
      ...this.activity(channelIndex, { type: 'message', text }),
      from: { id: `29:${member}`, aadObjectId: member },
      conversation: { id: channel, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    };
  }
}

async function post(url: string, activity: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  if (response.status !== 200) throw new Error(`${String(activity.type)} got ${response.status}: ${await response.text()}`);
}

/** Opens this month's pulse in each channel, as a CoE admin would (pulse on, pulse now). */
async function openPulses(url: string, assessments: Assessments): Promise<void> {
  for (const [index] of assessments.channels.entries()) {
    await post(url, assessments.message(ADMIN, index, 'pulse on adoption'));
    await post(url, assessments.message(ADMIN, index, 'pulse now'));
  }
}

let members = 0;

/** Every connection plays members in turn, each opening the dialog and answering every question. */
async function load(
  server: Server,
  assessments: Assessments,
  connections: number,
  seconds: number,
  windows: Window[] = [],
): Promise<RunFigures> {
  const steps = [
    { kind: 'open' as const },
    ...Array.from({ length: assessments.questions }, (_, index) => ({ kind: 'answer' as const, index })),
  ];
  const pid = server.child.pid!;
  let rss = rssMb(pid);
  const sampler = setInterval(() => (rss = Math.max(rss, rssMb(pid))), 250);
  const cpuBefore = cpuMs(pid);
  const from = monotonicMicros();
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    requests: steps.map((step) => ({
      method: 'POST' as const,
      path: '/api/messages',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request: autocannon.Request, context: { member?: number }) => {
        if (step.kind === 'open') context.member = members++;
        const member = context.member ?? members++;
        const activity = step.kind === 'open' ? assessments.open(member) : assessments.answer(member, step.index);
        return { ...request, body: JSON.stringify(activity) };
      },
    })),
  });
  clearInterval(sampler);
  windows.push({ from, to: monotonicMicros() });
  const cpu = cpuMs(pid) - cpuBefore;
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMsPerRequest: cpu / Math.max(1, result.requests.total),
    rssMb: rss,
  };
}

/** The bot's storage requests for whole assessments, counted at a proxy in front of the store. */
async function storageCost(connectionString: string, connector: LimitingConnector, withPulse: boolean) {
  const proxy = await storageProxy(connectionString);
  const bot = await startBot(proxy.connectionString, `benchcost${withPulse ? 'p' : ''}${Date.now().toString(36)}`);
  try {
    const assessments = new Assessments(connector.url, [`19:cost-${withPulse ? 'pulse' : 'plain'}@thread.tacv2`]);
    if (withPulse) await openPulses(bot.url, assessments);
    let opens = 0;
    let answers = 0;
    for (let member = 0; member < 20; member += 1) {
      const before = proxy.state.requests.length;
      await post(bot.url, assessments.open(member));
      opens += proxy.state.requests.length - before;
      const after = proxy.state.requests.length;
      for (let index = 0; index < assessments.questions; index += 1) await post(bot.url, assessments.answer(member, index));
      answers += proxy.state.requests.length - after;
    }
    return { perOpen: opens / 20, perAnswer: answers / (20 * assessments.questions) };
  } finally {
    await bot.stop();
    await proxy.close();
  }
}

function startBot(connectionString: string, tablePrefix: string, extraFlags: string[] = []): Promise<Server> {
  // The compiled bot, as `npm start` runs it (bench.ts builds it first).
  return startServer([...startFlags(), ...extraFlags, 'dist/main.js'], {
    STORAGE_CONNECTION_STRING: connectionString,
    TABLE_PREFIX: tablePrefix,
    MIN_RESPONDENTS: '3',
    COE_ADMINS: ADMIN,
  });
}

/**
 * Answer ingestion at the real HTTP endpoint: Maturity Pulse as `npm start` runs it (with and without an open
 * pulse in the members' channels) against a bare botbuilder bot on restify that stores nothing, answering the
 * same activities in the same run. Rounds alternate between the servers; each figure is the median of the rounds.
 */
export async function benchIngestion(
  connectionString: string,
  options: { connections: number; seconds: number; rounds: number; profile: boolean },
): Promise<IngestionFigures> {
  const connector = await new LimitingConnector({ perTenantPerSecond: 1_000_000, perConversationPerSecond: 1_000_000 }).start();
  const profileDir = path.resolve('out/bench-profile');
  if (options.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const prefix = `benchin${Date.now().toString(36)}`;
  const bare = await startServer([...startFlags(), '--import', 'tsx', 'scripts/bench/bareBot.ts'], {});
  const bot = await startBot(connectionString, prefix, options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const runs: Record<'bare' | 'bot' | 'pulse', RunFigures[]> = { bare: [], bot: [], pulse: [] };
  let idleRssMb: number;
  const loaded: Window[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idleRssMb = rssMb(bot.child.pid!);
    for (let round = 0; round < options.rounds; round += 1) {
      const channels = (kind: string) => Array.from({ length: CHANNELS }, (_, index) => `19:${kind}-${round}-${index}@thread.tacv2`);
      const plain = new Assessments(connector.url, channels('plain'));
      const pulsed = new Assessments(connector.url, channels('pulse'));
      await openPulses(bot.url, pulsed);
      runs.bare.push(await load(bare, plain, options.connections, options.seconds));
      runs.bot.push(await load(bot, plain, options.connections, options.seconds, loaded));
      runs.pulse.push(await load(bot, pulsed, options.connections, options.seconds));
    }
  } finally {
    await Promise.all([bare.stop(), bot.stop()]);
  }
  const plainCost = await storageCost(connectionString, connector, false);
  const pulseCost = await storageCost(connectionString, connector, true);
  await connector.stop();
  const medians = (figures: RunFigures[]): RunFigures => ({
    requests: median(figures.map((run) => run.requests)),
    perSecond: median(figures.map((run) => run.perSecond)),
    p50: median(figures.map((run) => run.p50)),
    p99: median(figures.map((run) => run.p99)),
    errors: figures.reduce((sum, run) => sum + run.errors, 0),
    cpuMsPerRequest: median(figures.map((run) => run.cpuMsPerRequest)),
    rssMb: Math.max(...figures.map((run) => run.rssMb)),
  });
  const profileFile = options.profile ? readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')) : undefined;
  return {
    connections: options.connections,
    seconds: options.seconds,
    rounds: options.rounds,
    bare: medians(runs.bare),
    bot: medians(runs.bot),
    pulse: medians(runs.pulse),
    storage: {
      perAnswer: plainCost.perAnswer,
      perOpen: plainCost.perOpen,
      perAnswerWithPulse: pulseCost.perAnswer,
      perOpenWithPulse: pulseCost.perOpen,
    },
    idleRssMb,
    ...(profileFile ? { profile: summariseProfile(path.join(profileDir, profileFile), loaded) } : {}),
  };
}
