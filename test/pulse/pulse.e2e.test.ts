import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { TablePulseWorkStore } from '../../src/store/pulseWorkStore.js';
import { openTable } from '../../src/store/tables.js';
import { LocalConnector } from '../support/connector.js';
import { answerInDialog } from '../support/dialog.js';
import { actionData, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { message, mia, noah, ola, TENANT, type Member, type Where } from '../support/teams.js';

const ADMIN_ENV = { COE_ADMINS: ola.aadObjectId, MIN_RESPONDENTS: '3' };
const channel = (n: number): Where & { kind: 'channel' } => ({
  kind: 'channel',
  channelId: `19:pulse${n}@thread.tacv2`,
  teamName: `Team ${n}`,
});
const extra: Member[] = [mia, noah, ola];
/** Waiting for something the bot does in the background: generous, for a busy machine (vitest's default is 1 s). */
const SETTLED = { timeout: 20_000, interval: 50 };

/** A clock the test moves by hand: nothing in these tests waits for real time to pass. */
function clock(start: string) {
  let current = new Date(start);
  return { now: () => current, set: (iso: string) => void (current = new Date(iso)) };
}

const harnesses: Harness[] = [];
const connectors: LocalConnector[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await Promise.all(connectors.splice(0).map((c) => c.stop()));
});

async function start(now: () => Date, options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness({ now, env: ADMIN_ENV, ...options });
  harnesses.push(h);
  return h;
}

/** The bot's reply to this message: its own, even when another instance posts into the same connector meanwhile. */
async function say(h: Harness, member: Member, where: Where, text: string): Promise<string> {
  const activity = message(h.connector.url, member, where, text);
  await h.post(activity);
  const replies = h.connector.activities().filter((reply) => reply.replyToId === activity.id);
  return String(replies.at(-1)?.text ?? '');
}

const pulsePosts = (c: LocalConnector, where: Where & { kind: 'channel' }) =>
  c.delivered('POST', where.channelId).filter((call) => !call.path.match(/activities\/[^/]+$/));
const threadReplies = (c: LocalConnector, where: Where & { kind: 'channel' }) =>
  c.delivered('POST', where.channelId).filter((call) => call.path.match(/activities\/[^/]+$/));
const cardIn = (call: { body: Record<string, unknown> }) => (call.body.attachments as { content: any }[])[0]!.content;

describe('the monthly pulse', () => {
  /** The month-long story, step by step: each test replays the steps before its own, then checks its own. */
  async function story(options: Parameters<typeof startHarness>[0] = {}) {
    const time = clock('2026-11-20T10:00:00Z');
    const h = await start(time.now, options);
    const [a, b] = [channel(1), channel(2)];
    const take = () => actionData(cardIn(pulsePosts(h.connector, a)[0]!), 'Take the pulse');
    const answerAll = async () => {
      await answerInDialog(h, mia, a, take(), ['200', '300', '200', '200', '200', '200', '200', '200', '200']);
      await answerInDialog(h, noah, a, take(), ['200', '300', '200', '200', '200', '200', '200', '200', '200']);
      await answerInDialog(h, ola, a, take(), ['300', '300', '200', '200', '200', '200', '200', '200', '200']);
    };
    return {
      h,
      time,
      a,
      b,
      answerAll,
      async subscribe() {
        const replies = [await say(h, ola, a, 'pulse on'), await say(h, ola, b, 'pulse on')];
        // November answers in channel A, for the trend (no pulse ran in November: it was switched on after the round).
        const open = { verb: 'open', model: 'adoption', msteams: { type: 'task/fetch' } };
        for (const member of extra)
          await answerInDialog(h, member, a, open, ['100', '400', '200', '200', '200', '200', '200', '200', '200']);
        await h.app.pulse.tick();
        return replies;
      },
      async post() {
        time.set('2026-12-07T09:00:30Z');
        await h.app.pulse.tick();
        await h.app.pulse.tick();
      },
      async remind() {
        time.set('2026-12-10T22:00:00Z');
        await h.app.pulse.tick();
        await h.app.pulse.tick();
      },
      async close() {
        time.set('2026-12-14T09:00:30Z');
        await h.app.pulse.tick();
        await h.app.pulse.tick();
      },
    };
  }

  it('step 1: pulse on says when the next pulse goes out, and posts nothing before then', async () => {
    const s = await story();
    const [reply] = await s.subscribe();
    expect(reply).toContain('The monthly adoption pulse is on for this channel. The next one goes out on Monday 7 December');
    expect(pulsePosts(s.h.connector, s.a)).toHaveLength(0);
  });

  it('step 2: when the schedule fires, posts the pulse card once in every subscribed channel', async () => {
    const s = await story();
    await s.subscribe();
    await s.post();
    expect(pulsePosts(s.h.connector, s.a)).toHaveLength(1);
    expect(pulsePosts(s.h.connector, s.b)).toHaveLength(1);
    const card = cardIn(pulsePosts(s.h.connector, s.a)[0]!);
    expect(cardText(card)).toContain('Maturity pulse · December 2026');
    expect(cardText(card)).toContain('closes Monday 14 December');
    expect(cardText(card)).toContain('0 people have answered so far');
  });

  it("step 3: keeps the card's answered count current as members answer, one update per change at most", async () => {
    const s = await story({ pulse: { countIntervalMs: 100 } });
    await s.subscribe();
    await s.post();
    await s.answerAll();
    await vi.waitFor(
      () => expect(cardText(cardIn(s.h.connector.delivered('PUT', s.a.channelId).at(-1)!))).toContain('3 people have answered so far'),
      SETTLED,
    );
    // Only a change in the count updates the card, coalesced: three members, at most three updates, however many answers.
    expect(s.h.connector.delivered('PUT', s.a.channelId).length).toBeLessThanOrEqual(3);
    expect(await say(s.h, ola, s.a, 'pulse status')).toContain('3 answered so far');
  });

  it("step 3: a member's answer never waits for the card update, and a burst of answers is one update", async () => {
    const connector = await new LocalConnector().start();
    const s = await story({ connector, pulse: { countIntervalMs: 60_000, sleep: async () => undefined } });
    await s.subscribe();
    await s.post();
    // The connector never answers card updates: if an answer waited for one, it would not come back.
    connector.responder = (call) => (call.method === 'PUT' ? { status: 0 } : undefined);
    const started = performance.now();
    await s.answerAll();
    expect(performance.now() - started).toBeLessThan(15_000);
    // The first respondent's update went out at once; the other two wait for the interval, to be coalesced into one.
    const updates = () => connector.calls.filter((call) => call.method === 'PUT');
    await vi.waitFor(() => expect(updates()).toHaveLength(1), SETTLED);
    expect(cardText(cardIn(updates()[0]!))).toContain('1 person has answered so far');
    await connector.stop();
  });

  it("step 4: reminds halfway through, in the pulse's thread, with how many have answered", async () => {
    const s = await story({ pulse: { countIntervalMs: 0 } });
    await s.subscribe();
    await s.post();
    await s.answerAll();
    await s.remind();
    const reminders = threadReplies(s.h.connector, s.a);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.body.text).toContain(
      'Halfway through the December 2026 pulse: 3 people have answered so far. It closes on Monday 14 December.',
    );
    expect(threadReplies(s.h.connector, s.b)[0]!.body.text).toContain('0 people have answered');
  });

  it('step 5: closes with the team result and the trend since last month, and marks the card closed', async () => {
    const s = await story({ pulse: { countIntervalMs: 0 } });
    await s.subscribe();
    await s.post();
    await s.answerAll();
    await s.remind();
    await s.close();
    const replies = threadReplies(s.h.connector, s.a);
    expect(replies).toHaveLength(2);
    const result = cardText(cardIn(replies[1]!));
    expect(result).toContain('Team 1 · General · December 2026');
    expect(result).toContain('3 people answered');
    expect(result).toContain('▲ up from 100 in November'); // strategy and vision: 100 → 200
    expect(result).toContain('▼ down from 400 in November'); // business value: 400 → 300
    expect(result).toContain('= same as November');
    expect(cardText(cardIn(threadReplies(s.h.connector, s.b)[1]!))).toContain('Results appear once 3 people have answered — 0 so far.');
    expect(cardText(cardIn(s.h.connector.delivered('PUT', s.a.channelId).at(-1)!))).toContain('Closed on Monday 14 December');
    expect(pulsePosts(s.h.connector, s.a)).toHaveLength(1);
    expect(await say(s.h, ola, s.a, 'pulse status')).toContain('December 2026: closed, 3 answered.');
  });

  it('posts each round once when two bot instances share one store', async () => {
    const time = clock('2026-12-01T10:00:00Z');
    const connector = await new LocalConnector().start();
    connectors.push(connector);
    const first = await start(time.now, { connector });
    const second = await start(time.now, { connector, tablePrefix: first.tablePrefix });
    const channels = [1, 2, 3, 4, 5, 6].map((n) => channel(10 + n));
    for (const [index, where] of channels.entries()) await say(index % 2 ? first : second, ola, where, 'pulse on');

    time.set('2026-12-07T09:05:00Z');
    await Promise.all([first.app.pulse.tick(), second.app.pulse.tick(), first.app.pulse.tick(), second.app.pulse.tick()]);
    for (const where of channels) expect(pulsePosts(connector, where), where.channelId).toHaveLength(1);

    // A double "pulse now" in a channel, through both instances at once, still posts once.
    const extraChannel = channel(30);
    const [one, two] = await Promise.all([say(first, ola, extraChannel, 'pulse now'), say(second, ola, extraChannel, 'pulse now')]);
    expect(pulsePosts(connector, extraChannel)).toHaveLength(1);
    const replies = JSON.stringify([one, two]);
    expect(
      [one, two].filter((reply) => reply.includes("This month's pulse is out")),
      replies,
    ).toHaveLength(1);
    expect(
      [one, two].filter((reply) => reply.includes("This month's pulse is already running here")),
      replies,
    ).toHaveLength(1);
  });

  it("sends nothing for an organisation while another instance holds its lease: pulse now and the card's count wait for it", async () => {
    const s = await story({ pulse: { countIntervalMs: 100 } });
    await s.subscribe();
    const work = new TablePulseWorkStore(await openTable(inject('azuriteConnectionString'), `${s.h.tablePrefix}pulsework`));
    // Another instance is sending this tenant's pulses (the lease is on the app's clock).
    const holdTenant = async () =>
      (await work.claimLease(`tenant|${TENANT}`, 'another-instance', new Date(s.time.now().getTime() + 600_000), s.time.now()))!;
    s.time.set('2026-12-03T10:00:00Z');
    let held = await holdTenant();
    const now = channel(61);
    expect(await say(s.h, ola, now, 'pulse now')).toContain("This month's pulse is on its way");
    expect(pulsePosts(s.h.connector, now)).toHaveLength(0);
    await work.releaseLease(held);
    await s.h.app.pulse.tick();
    expect(pulsePosts(s.h.connector, now)).toHaveLength(1);

    await s.post();
    held = await holdTenant();
    await s.answerAll();
    // The count is stored, but the card is left to the lease's holder.
    await vi.waitFor(async () => expect(await say(s.h, ola, s.a, 'pulse status')).toContain('3 answered so far'), SETTLED);
    expect(s.h.connector.delivered('PUT', s.a.channelId)).toHaveLength(0);
    // Once this instance holds the tenant again, the next pass brings the card up to date.
    await work.releaseLease(held);
    await s.h.app.pulse.tick();
    expect(cardText(cardIn(s.h.connector.delivered('PUT', s.a.channelId).at(-1)!))).toContain('3 people have answered so far');
  });

  it('resumes after a crash midway through the fan-out without posting twice', async () => {
    const time = clock('2026-12-01T10:00:00Z');
    const connector = await new LocalConnector().start();
    connectors.push(connector);
    const env = { ...ADMIN_ENV, PULSE_LEASE_SECONDS: '60' };
    const crashing = await start(time.now, { connector, env, pulse: { sleep: async () => undefined } });
    const channels = Array.from({ length: 10 }, (_, n) => channel(40 + n));
    for (const where of channels) await say(crashing, ola, where, 'pulse on');

    // The first instance stops making progress after five posts (its process hangs, then is killed):
    // the connector never answers its later posts, and it leaves its leases behind.
    let posts = 0;
    connector.responder = (call) => (call.method === 'POST' && call.path.includes('pulse') && ++posts > 5 ? { status: 0 } : undefined);
    time.set('2026-12-07T09:05:00Z');
    const dying = crashing.app.pulse.tick();
    await vi.waitFor(() => expect(connector.calls.filter((call) => call.status === 0)).toHaveLength(5), SETTLED);
    expect(channels.filter((where) => pulsePosts(connector, where).length === 1)).toHaveLength(5);
    await crashing.close();
    harnesses.splice(harnesses.indexOf(crashing), 1);

    // A new instance before the leases expire leaves the claimed channels alone...
    connector.responder = () => undefined;
    const resumed = await start(time.now, { connector, env, tablePrefix: crashing.tablePrefix });
    await resumed.app.pulse.tick();
    expect(channels.filter((where) => pulsePosts(connector, where).length === 1)).toHaveLength(5);
    // ...and takes them over once they have, posting each remaining channel once.
    time.set('2026-12-07T09:06:30Z');
    await resumed.app.pulse.tick();
    await resumed.app.pulse.tick();
    for (const where of channels) expect(pulsePosts(connector, where), where.channelId).toHaveLength(1);
    await connector.stop();
    connectors.splice(connectors.indexOf(connector), 1);
    await dying.catch(() => undefined);
  });

  it('backs off on 429, honours Retry-After, and finally delivers everything', async () => {
    const time = clock('2026-12-01T10:00:00Z');
    const waits: number[] = [];
    const h = await start(time.now, { pulse: { sleep: async (ms) => void waits.push(ms) } });
    const channels = [1, 2, 3].map((n) => channel(60 + n));
    for (const where of channels) await say(h, ola, where, 'pulse on');

    const refused = new Map<string, number>();
    h.connector.responder = (call) => {
      if (call.method !== 'POST' || !call.path.includes('pulse')) return undefined;
      const count = refused.get(call.path) ?? 0;
      if (count >= 2) return undefined;
      refused.set(call.path, count + 1);
      return { status: 429, headers: { 'Retry-After': '3' } };
    };
    time.set('2026-12-07T09:05:00Z');
    await h.app.pulse.tick();
    for (const where of channels) expect(pulsePosts(h.connector, where)).toHaveLength(1);
    expect(h.connector.calls.filter((call) => call.status === 429)).toHaveLength(6);
    expect(waits).toEqual([3000, 3000, 3000, 3000, 3000, 3000]);
    expect(h.app.delivery.stats).toMatchObject({ retries: 6, failed: 0 });
  });

  it('marks a channel it can no longer post to, reports it, and still delivers to the others', async () => {
    const time = clock('2026-12-01T10:00:00Z');
    const h = await start(time.now);
    const [gone, fine] = [channel(70), channel(71)];
    await say(h, ola, gone, 'pulse on');
    await say(h, ola, fine, 'pulse on');
    h.connector.responder = (call) =>
      call.path.includes(encodeURIComponent(gone.channelId)) && call.method === 'POST' ? { status: 403 } : undefined;
    time.set('2026-12-07T09:05:00Z');
    await h.app.pulse.tick();
    expect(pulsePosts(h.connector, fine)).toHaveLength(1);
    h.connector.responder = () => undefined;
    const status = await say(h, ola, gone, 'pulse status');
    expect(status).toContain('my last post here failed for good');
    expect(status).toContain('403');
    await h.app.pulse.tick();
    expect(pulsePosts(h.connector, gone)).toHaveLength(0);
  });

  it('follows a channel to a new connector address before posting', async () => {
    const time = clock('2026-12-01T10:00:00Z');
    const h = await start(time.now);
    const moved = await new LocalConnector().start();
    connectors.push(moved);
    const where = channel(77);
    await say(h, ola, where, 'pulse on');
    await h.post(message(moved.url, mia, where, 'help'));
    time.set('2026-12-07T09:05:00Z');
    await h.app.pulse.tick();
    expect(pulsePosts(moved, where)).toHaveLength(1);
    expect(pulsePosts(h.connector, where)).toHaveLength(0);
  });

  it('sends no more pulses to an organisation taken off ALLOWED_TENANTS', async () => {
    const time = clock('2026-12-01T10:00:00Z');
    const connector = await new LocalConnector().start();
    connectors.push(connector);
    const before = await start(time.now, { connector });
    const where = channel(75);
    await say(before, ola, where, 'pulse on');
    await before.close();
    harnesses.splice(harnesses.indexOf(before), 1);

    const after = await start(time.now, {
      connector,
      tablePrefix: before.tablePrefix,
      env: { ...ADMIN_ENV, ALLOWED_TENANTS: '11111111-2222-4333-8444-555555555555' },
    });
    time.set('2026-12-07T09:05:00Z');
    await after.app.pulse.tick();
    expect(pulsePosts(connector, where)).toHaveLength(0);
  });

  it('refuses admin commands to anyone else, saying who can run them', async () => {
    const h = await start(() => new Date('2026-12-01T10:00:00Z'));
    const reply = await say(h, mia, channel(80), 'pulse on');
    expect(reply).toContain('Only CoE admins can run **pulse on**: the people in the CoE_ADMINS setting. Please ask one of them.');
    expect(await say(h, mia, channel(80), 'target governance 300')).toContain('Only CoE admins');
    expect(await say(h, ola, channel(80), 'pulse status')).toContain('The monthly pulse is **off**');
  });

  it('sets targets that result cards show with the gap, and validates the arguments', async () => {
    const h = await start(() => new Date('2026-12-02T10:00:00Z'), { env: { ...ADMIN_ENV, MIN_RESPONDENTS: '1' } });
    const where = channel(90);
    expect(await say(h, ola, where, 'target governance 700')).toContain('"700" is not a level');
    expect(await say(h, ola, where, 'target teleportation 300')).toContain('I don\'t know the capability "teleportation"');
    expect(await say(h, ola, where, 'target business value 400')).toContain('Target for Business value (Adoption) set to **400 Capable**');
    await answerInDialog(h, mia, where, { verb: 'open', model: 'adoption', msteams: { type: 'task/fetch' } }, ['200', '200']);
    await h.post(message(h.connector.url, mia, where, 'results'));
    const card = (h.connector.activities().at(-1)!.attachments as { content: any }[])[0]!.content;
    expect(cardText(card)).toContain('Target 400: 2 levels to go');
    expect(cardText(card)).toContain('Business value → 300 Defined');
  });

  it('remembers where it is installed and forgets on uninstall', async () => {
    const h = await start(() => new Date('2026-12-02T10:00:00Z'));
    const where = channel(95);
    const base = message(h.connector.url, ola, where, 'x');
    await h.post({ ...base, type: 'installationUpdate', action: 'add', text: undefined });
    await say(h, ola, where, 'pulse on');
    expect(await say(h, ola, where, 'pulse status')).toContain('**on**');
    await h.post({ ...base, type: 'installationUpdate', action: 'remove', text: undefined });
    expect(await say(h, ola, where, 'pulse status')).toContain('**off**');
  });
});
