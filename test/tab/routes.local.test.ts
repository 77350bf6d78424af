import { afterEach, describe, expect, it } from 'vitest';
import { LEVEL_NAMES, type Level } from '../../src/model/content.js';
import { scoreTeam, type Choice } from '../../src/model/scoring.js';
import type { RoundKey } from '../../src/store/answerStore.js';
import { DEMO_VIEWER, PLAYGROUND_USER } from '../../src/tab/demoData.js';
import { LocalConnector } from '../support/connector.js';
import { execute, message, type Member, type Where } from '../support/teams.js';
import { parseCsv } from './csvParser.js';
import { getJson, startTabApp, type TabApp } from './tabHarness.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const ROUNDS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
const demoKey = (round: string, modelId = 'adoption'): RoundKey => ({ tenantId: 'local', scopeId: 'demo', modelId, round });

let tab: TabApp | undefined;
afterEach(async () => {
  await tab?.close();
  tab = undefined;
});

/** Answers for the demo team, written through the real store: level per capability index, in content order. */
async function seed(app: TabApp, round: string, memberId: string, levels: readonly Choice[]) {
  const model = app.content.models.adoption;
  for (const [index, choice] of levels.entries()) {
    await app.store.record(demoKey(round), memberId, model.capabilities[index]!.id, choice, new Date(`${round}-10T09:00:00Z`));
  }
}

/** Nine adoption capabilities: three rounds with answers, one of them below the minimum of three. */
async function seedTeam(app: TabApp) {
  await seed(app, '2026-09', 'mia', [100, 100, 100, 100, 100, 100, 100, 100, 100]);
  await seed(app, '2026-09', 'noah', [200, 200, 200, 200, 200, 200, 200, 200, 200]);
  await seed(app, '2026-09', 'ola', [100, 300, 100, 300, 100, 300, 100, 300, 100]);
  await seed(app, '2026-10', 'mia', [300, 300, 300, 300, 300, 300, 300, 300, 300]);
  await seed(app, '2026-10', 'noah', [200, 200, 200, 200, 200, 200, 200, 200, 200]);
  await seed(app, '2026-11', DEMO_VIEWER, [300, 200, 400, 200, 300, null, 300, 200, 500]);
  await seed(app, '2026-11', 'mia', [400, 200, 300, 300, 300, null, 200, 200]);
  await seed(app, '2026-11', 'noah', [200, 300, 300, 200, 400, 500, 300, 300]);
  await seed(app, '2026-11', 'ola', [300, 300, 200, 200, 300, null, 400, 200]);
}

describe('the dashboard API in local mode (real app, Azurite)', () => {
  it('serves the demo team: current result, six-round trend, next actions and the viewer’s own answers', async () => {
    tab = await startTabApp({ now: () => NOW });
    await seedTeam(tab);
    const { status, body, headers } = await getJson(`${tab.url}/api/tab/dashboard?model=adoption&scope=demo`);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({
      mode: 'local',
      team: { scopeId: 'demo', demo: true },
      round: { id: '2026-11', label: 'November 2026' },
      minimum: 3,
    });

    const model = tab.content.models.adoption;
    const expected = scoreTeam(model, await tab.store.team(demoKey('2026-11')), 3);
    if (expected.status !== 'ready') throw new Error('the seeded round should have a result');
    expect(body.current.status).toBe('ready');
    expect(body.current.respondents).toBe(4);
    expect(body.current.overall).toMatchObject({ level: expected.overall.level, mean: expected.overall.mean });
    expect(body.current.capabilities.map((entry: any) => [entry.id, entry.level, entry.lowest, entry.highest, entry.respondents])).toEqual(
      expected.capabilities.map((score) => [score.capability.id, score.level, score.lowest, score.highest, score.respondents]),
    );
    // Community: one level among four members (three "Not sure") is withheld; Fusion teams has only the viewer's answer.
    expect(body.current.capabilities[5]).toMatchObject({ id: 'community', level: null, withheld: true, respondents: 1 });
    expect(body.current.capabilities[8]).toMatchObject({ id: 'fusion-teams', level: null, withheld: true, respondents: 1 });

    expect(body.trend.map((point: any) => [point.round, point.status, point.respondents, point.overall])).toEqual([
      ['2026-06', 'empty', 0, null],
      ['2026-07', 'empty', 0, null],
      ['2026-08', 'empty', 0, null],
      ['2026-09', 'ready', 3, 100],
      ['2026-10', 'withheld', 2, null],
      ['2026-11', 'ready', 4, expected.overall.level],
    ]);
    expect(body.trend[3].levels['business-value']).toBe(200);

    expect(body.nextActions.length).toBeGreaterThan(0);
    expect(body.nextActions[0].capabilityId).toBe(expected.nextActions[0]!.capability.id);
    for (const action of body.nextActions) for (const link of action.links) expect(link.url).toMatch(/^https:\/\//);

    expect(body.you.map((row: any) => [row.capabilityId, row.yoursLabel])).toEqual(
      model.capabilities.map((capability, index) => {
        const mine = ([300, 200, 400, 200, 300, null, 300, 200, 500] as const)[index]!;
        return [capability.id, mine === null ? 'Not sure' : `${mine} ${LEVEL_NAMES[mine as Level]}`];
      }),
    );
    // Only the viewer's own answers: no member id, and nobody else's answers.
    const json = JSON.stringify(body);
    for (const id of [DEMO_VIEWER, 'mia', 'noah', 'ola']) expect(json).not.toContain(id);
  });

  it('exports the team aggregate per round and capability, equal to scoreTeam, with no member ids', async () => {
    tab = await startTabApp({ now: () => NOW });
    await seedTeam(tab);
    const response = await fetch(`${tab.url}/api/tab/export.csv?model=adoption&scope=demo`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="maturity-adoption.csv"');
    const text = await response.text();
    for (const id of [DEMO_VIEWER, 'mia', 'noah', 'ola']) expect(text).not.toContain(id);

    const model = tab.content.models.adoption;
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['round', 'capability', 'level', 'lowest', 'highest', 'respondents', 'status']);
    expect(rows).toHaveLength(1 + ROUNDS.length * model.capabilities.length);
    const cell = (value: number | null) => (value === null ? '' : String(value));
    let index = 1;
    for (const round of ROUNDS) {
      const result = scoreTeam(model, await tab.store.team(demoKey(round)), 3);
      for (const capability of model.capabilities) {
        const row = rows[index]!;
        index += 1;
        expect(row.slice(0, 2)).toEqual([round, capability.title]);
        if (result.status === 'withheld') {
          expect(row.slice(2, 6)).toEqual(['', '', '', String(result.respondents)]);
          continue;
        }
        const score = result.capabilities.find((entry) => entry.capability.id === capability.id)!;
        expect(row.slice(2, 6)).toEqual([cell(score.level), cell(score.lowest), cell(score.highest), String(score.respondents)]);
      }
    }
    // A withheld round keeps its rows, without levels.
    expect(rows.filter((row) => row[0] === '2026-10').every((row) => row[2] === '' && row[6]!.startsWith('withheld'))).toBe(true);
  });

  it('seeds the demo team on the first request when it has no answers this month, and only once', async () => {
    tab = await startTabApp({ now: () => NOW });
    const [first, second] = await Promise.all([
      getJson(`${tab.url}/api/tab/dashboard?model=automation`),
      getJson(`${tab.url}/api/tab/dashboard?model=automation`),
    ]);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body.trend.map((point: any) => point.respondents)).toEqual([0, 0, 0, 3, 4, 5]);
    expect(first.body.current.status).toBe('ready');
    expect(first.body.you.some((row: any) => row.yours !== null)).toBe(true);
    const again = await getJson(`${tab.url}/api/tab/dashboard?model=automation`);
    expect(again.body).toEqual(first.body);
    const history = await tab.store.history(demoKey('2026-11', 'automation'), DEMO_VIEWER);
    expect(history).toHaveLength(tab.content.models.automation.capabilities.length);
  });

  it('leaves a demo team that already has answers this month alone', async () => {
    tab = await startTabApp({ now: () => NOW });
    await seed(tab, '2026-11', 'mia', [300]);
    const { body } = await getJson(`${tab.url}/api/tab/dashboard?model=adoption`);
    expect(body.trend.map((point: any) => point.respondents)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(body.current).toMatchObject({ status: 'withheld', respondents: 1 });
  });

  it('serves only the demo team, and refuses an unknown model, saying what to do', async () => {
    tab = await startTabApp({ now: () => NOW });
    const other = await getJson(`${tab.url}/api/tab/dashboard?scope=${encodeURIComponent('19:abc@thread.tacv2')}`);
    expect(other.status).toBe(404);
    expect(other.body.error).toMatch(
      /local mode .* only the demo team \(scope=demo\) and a local user's own assessment \(scope=personal\)/,
    );
    const badModel = await getJson(`${tab.url}/api/tab/export.csv?model=sales`);
    expect(badModel.status).toBe(400);
    expect(badModel.body.error).toMatch(/model must be one of adoption, automation, support/);
  });

  it("shows the Agents Playground's user their own answers from their chat with the bot (scope=personal), or another's by user=", async () => {
    tab = await startTabApp({ now: () => NOW });
    const connector = await new LocalConnector().start();
    try {
      /** An activity as the Playground sends it: its tenant and its user's ids. */
      const asPlayground = (member: Member, body: Record<string, unknown>) => ({
        ...body,
        conversation: { ...(body.conversation as object), tenantId: PLAYGROUND_USER.tenantId },
        channelData: { tenant: { id: PLAYGROUND_USER.tenantId } },
        from: { id: `29:${member.aadObjectId}`, name: member.name, aadObjectId: member.aadObjectId },
      });
      const post = async (body: Record<string, unknown>) => {
        const response = await fetch(`${tab!.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status).toBe(200);
      };
      const alex: Member = { name: 'Alex Wilber', aadObjectId: PLAYGROUND_USER.objectId };
      const megan: Member = { name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' };

      const before = await getJson(`${tab.url}/api/tab/dashboard?model=support&scope=personal`);
      expect(before.status).toBe(404);
      expect(before.body.error).toMatch(/Agents Playground's user.*Type "assess" in the Playground's chat/);

      for (const [member, level] of [
        [alex, '300'],
        [megan, '500'],
      ] as const) {
        const where: Where = { kind: 'personal', member };
        await post(asPlayground(member, message(connector.url, member, where, 'support maturity')));
        const question = (connector.activities().at(-1)?.attachments as any)[0].content;
        const next = question.actions.find((action: any) => action.title === 'Next' || action.title === 'Save');
        await post(asPlayground(member, execute(connector.url, member, where, next.verb, { ...next.data, level })));
      }

      const mine = await getJson(`${tab.url}/api/tab/dashboard?model=support&scope=personal`);
      expect(mine.status).toBe(200);
      expect(mine.body.team).toMatchObject({ demo: false });
      expect(mine.body.current).toMatchObject({ status: 'ready', respondents: 1 });
      expect(mine.body.you.map((row: any) => row.yoursLabel)).toEqual(['300 Defined']);

      const hers = await getJson(
        `${tab.url}/api/tab/dashboard?model=support&scope=personal&user=${megan.aadObjectId}&tenant=${PLAYGROUND_USER.tenantId}`,
      );
      expect(hers.body.you.map((row: any) => row.yoursLabel)).toEqual(['500 Efficient']);
    } finally {
      await connector.stop();
    }
  });

  it('tells the page it is in local mode and which models exist', async () => {
    tab = await startTabApp({ now: () => NOW });
    const { status, body } = await getJson(`${tab.url}/api/tab/info`);
    expect(status).toBe(200);
    expect(body).toEqual({
      mode: 'local',
      models: [
        { id: 'adoption', title: expect.any(String), shortTitle: 'Adoption' },
        { id: 'automation', title: expect.any(String), shortTitle: 'Automation' },
        { id: 'support', title: expect.any(String), shortTitle: 'Support' },
      ],
      demoTeam: { scopeId: 'demo', name: 'Demo team' },
    });
  });

  it('serves the tab pages and the two browser bundles, framable by Teams only, and nothing else from disk', async () => {
    tab = await startTabApp({ now: () => NOW });
    for (const [route, type] of [
      ['/tab/index.html', 'text/html; charset=utf-8'],
      ['/tab/config.html', 'text/html; charset=utf-8'],
      ['/tab/dashboard.js', 'text/javascript; charset=utf-8'],
      ['/tab/styles.css', 'text/css; charset=utf-8'],
      ['/tab/vendor/teams-js.min.js', 'text/javascript; charset=utf-8'],
      ['/tab/vendor/chart.umd.min.js', 'text/javascript; charset=utf-8'],
    ] as const) {
      const response = await fetch(`${tab.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type'), route).toBe(type);
      expect(response.headers.get('content-security-policy'), route).toMatch(
        /frame-ancestors 'self' https:\/\/teams\.microsoft\.com .*https:\/\/\*\.cloud\.microsoft/,
      );
      await response.arrayBuffer();
    }
    expect(await (await fetch(`${tab.url}/tab/vendor/teams-js.min.js`)).text()).toContain('microsoftTeams');
    for (const route of ['/tab/../package.json', '/tab/%2e%2e/package.json', '/tab/vendor/chart.cjs', '/tab/vendor/../../src/config.ts']) {
      const response = await fetch(`${tab.url}${route}`);
      expect(response.status, route).toBe(404);
      await response.arrayBuffer();
    }
    const redirect = await fetch(`${tab.url}/tab`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/tab/index.html']);
  });
});
