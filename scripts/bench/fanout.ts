import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TablePulseStore } from '../../src/store/pulseStore.js';
import { openTable } from '../../src/store/tables.js';
import { cpuMs, rssMb, startFlags, waitForHealth } from './ingestion.js';
import { monotonicMicros, summariseProfile } from './profile.js';
import { LimitingConnector } from './limitingConnector.js';

export interface FanoutFigures {
  channels: number;
  tenants: number;
  seconds: number;
  sendsPerSecond: number;
  /** Sends per second as a share of the configured ceiling (tenants × the per-tenant rate). */
  ofCeiling: number;
  throttled: number;
  injected: number;
  duplicates: number;
  lost: number;
  peakRssMb: number;
  /** The bot's CPU (user + system) from its first tick to the last post, per channel posted. */
  cpuMsPerSend: number;
  /** Where that CPU went (`--cpu-prof`), when asked for. */
  profile?: string;
  /** Why the bot stopped before the round was out, if it did (a crash under the heap cap shows here). */
  exit: string | undefined;
}

const RATE = 50;

/**
 * The monthly pulse to `channels` channels in `tenants` tenants, sent by the bot running as `npm start` runs it
 * (compiled, with its memory flags), against a connector that enforces Teams' limits and throttles a share of
 * requests at random besides.
 */
export async function benchFanout(
  connectionString: string,
  port: number,
  channels: number,
  tenants: number,
  profile = false,
): Promise<FanoutFigures> {
  const profileDir = path.resolve('out/bench-profile-fanout');
  if (profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const connector = await new LimitingConnector({ perTenantPerSecond: RATE, perConversationPerSecond: 7, injected429Rate: 0.01 }).start();
  const tablePrefix = `benchfan${Date.now().toString(36)}`;
  const pulses = new TablePulseStore(await openTable(connectionString, `${tablePrefix}pulse`));
  for (let start = 0; start < channels; start += 64) {
    await Promise.all(
      Array.from({ length: Math.min(64, channels - start) }, (_, offset) => {
        const index = start + offset;
        return pulses.subscribe({
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
          subscribedAt: new Date().toISOString(),
        });
      }),
    );
  }
  const profileFlags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...startFlags(), ...profileFlags, 'dist/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      STORAGE_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: tablePrefix,
      LOG_LEVEL: 'silent',
      // Every minute, so this month's round opens at the bot's first tick.
      PULSE_SCHEDULE: '* * * * *',
      PULSE_WINDOW_DAYS: '1',
      PULSE_TICK_SECONDS: '5',
      TEAMS_APP_RATE_PER_SECOND: String(RATE),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `exited with ${signal ?? code}`));
  let peakRssMb = 0;
  const cpu = { start: 0, end: 0 };
  /** How the bot ended before the round was out, if it did (not the stop below). */
  let stoppedEarly: string | undefined;
  const window = { from: 0, to: 0 };
  const sampler = setInterval(() => {
    if (!exit) peakRssMb = Math.max(peakRssMb, rssMb(child.pid!));
  }, 250);
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child);
    cpu.start = cpuMs(child.pid!);
    window.from = monotonicMicros();
    const deadline = performance.now() + 15 * 60_000;
    while (connector.postsByConversation.size < channels && !exit && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!exit) cpu.end = cpuMs(child.pid!);
    stoppedEarly = exit;
    window.to = monotonicMicros();
    await new Promise((resolve) => setTimeout(resolve, 2000)); // late duplicates would show now
  } finally {
    clearInterval(sampler);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    if (child.exitCode === null) await exited; // the profile is written as it exits
    await connector.stop();
  }
  const profileFile = profile ? readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile')) : undefined;
  const posts = [...connector.postsByConversation.values()];
  const sent = posts.reduce((sum, count) => sum + count, 0);
  const seconds = (connector.lastPostAt - connector.firstPostAt) / 1000;
  const sendsPerSecond = sent / Math.max(seconds, 0.001);
  return {
    channels,
    tenants,
    seconds,
    sendsPerSecond,
    ofCeiling: sendsPerSecond / (tenants * RATE),
    throttled: connector.throttled,
    injected: connector.injected,
    duplicates: posts.reduce((sum, count) => sum + Math.max(0, count - 1), 0),
    lost: channels - posts.filter((count) => count >= 1).length,
    peakRssMb,
    cpuMsPerSend: (cpu.end - cpu.start) / Math.max(1, sent),
    exit: stoppedEarly,
    ...(profileFile ? { profile: summariseProfile(path.join(profileDir, profileFile), [window]) } : {}),
  };
}
