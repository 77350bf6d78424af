import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoundKey } from '../../src/store/answerStore.js';
import { LocalConnector } from '../support/connector.js';
import { pretendEntraIssuedToken } from '../support/botFrameworkAuth.js';
import { parseCsv } from './csvParser.js';
import { getJson, startTabApp, type TabApp } from './tabHarness.js';
import { AUDIENCE, OTHER_TENANT, serveKeySet, signToken, TENANT, type KeySet } from './tokens.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const BOT = { MicrosoftAppId: '00000000-aaaa-bbbb-cccc-000000000001', MicrosoftAppPassword: 'not-a-real-secret' };
const LISTED_ADMIN = 'aaaaaaaa-0000-0000-0000-0000000000a1';
const COE_MEMBER = 'aaaaaaaa-0000-0000-0000-0000000000a2';
const MAKER = 'bbbbbbbb-0000-0000-0000-0000000000b1';
const COE_TEAM = '19:coe@thread.tacv2';
const TEAMS = [
  { scopeId: '19:finance@thread.tacv2', name: 'Contoso · Finance', members: 4, level: 200 },
  { scopeId: '19:sales@thread.tacv2', name: 'Contoso · Sales', members: 3, level: 400 },
  { scopeId: '19:legal@thread.tacv2', name: 'Contoso · Legal', members: 2, level: 100 },
] as const;

let keys: KeySet;
let tab: TabApp | undefined;
/** The connector knows the CoE team's members: COE_MEMBER (and not MAKER). */
let connector: LocalConnector;
let forgetBotToken: () => void;
beforeAll(async () => {
  keys = await serveKeySet();
  connector = await new LocalConnector().start();
  connector.responder = (call) =>
    call.method === 'GET' && call.path.startsWith(`/v3/conversations/${encodeURIComponent(COE_TEAM)}/pagedmembers`)
      ? { status: 200, body: { members: [{ id: '29:coe', aadObjectId: COE_MEMBER.toUpperCase() }] } }
      : undefined;
  forgetBotToken = pretendEntraIssuedToken(BOT.MicrosoftAppId, 'bot-token-for-the-connector');
});
afterAll(async () => {
  forgetBotToken();
  await Promise.all([keys.close(), connector.stop()]);
});
afterEach(async () => {
  await tab?.close();
  tab = undefined;
});

const bearer = async (memberId: string, tenantId = TENANT) => ({
  authorization: `Bearer ${await signToken({ key: keys.privateKey, kid: keys.kid, memberId, tenantId })}`,
});

async function start() {
  const app = await startTabApp({
    now: () => NOW,
    env: { ...BOT, TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: keys.url, COE_ADMINS: LISTED_ADMIN, COE_TEAM_ID: COE_TEAM },
  });
  const at = new Date('2026-11-20T09:00:00Z');
  for (const team of TEAMS) {
    await app.conversations.save(
      { tenantId: TENANT, conversationId: team.scopeId, kind: 'channel', serviceUrl: connector.url, botId: '28:bot', name: team.name },
      NOW,
    );
    const key: RoundKey = { tenantId: TENANT, scopeId: team.scopeId, modelId: 'adoption', round: '2026-11' };
    for (let member = 0; member < team.members; member += 1) {
      for (const capability of ['governance', 'security'])
        await app.store.record(key, `${team.scopeId}-${member}`, capability, team.level, at);
    }
    app.app.org.noteAnswer(key);
  }
  await app.app.org.settle();
  return app;
}

const url = (app: TabApp, path: string) => `${app.url}/api/tab/${path}`;

describe('the Organisation view API (SSO, CoE admins only)', () => {
  it('serves the heat map to CoE admins, listed or in the CoE team, with the small team withheld', async () => {
    tab = await start();
    for (const admin of [LISTED_ADMIN, COE_MEMBER]) {
      const { status, body } = await getJson(url(tab, 'organisation?model=adoption'), await bearer(admin));
      expect(status, admin).toBe(200);
      expect(body.round.id).toBe('2026-11');
      expect(body.heatMap.map((row: { name: string; status: string }) => [row.name, row.status])).toEqual([
        ['Contoso · Finance', 'shown'],
        ['Contoso · Legal', 'withheld'],
        ['Contoso · Sales', 'shown'],
      ]);
      expect(body.heatMap[1]).toEqual({ name: 'Contoso · Legal', status: 'withheld' });
      expect(body.summary).toMatchObject({ respondents: 7, teams: { shown: 2, withheld: 1 } });
      const governance = body.organisation.find((entry: { id: string }) => entry.id === 'governance');
      // Finance's four 200s and Sales' three 400s; Legal's two 100s count for nothing.
      expect(governance).toMatchObject({ level: 200, lowest: 200, highest: 400, respondents: 7, distribution: [0, 4, 0, 3, 0] });
      expect(JSON.stringify(body)).not.toMatch(/19:finance@thread\.tacv2-|19:legal/);
    }
    expect((await getJson(url(tab, 'organisation/access'), await bearer(COE_MEMBER))).body).toEqual({ admin: true });
  });

  it('refuses anyone else politely, and a request without a token', async () => {
    tab = await start();
    const refused = await getJson(url(tab, 'organisation?model=adoption'), await bearer(MAKER));
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.body)).toEqual(['error']);
    expect(refused.body.error).toMatch(/The Organisation view is for CoE admins/);
    expect((await getJson(url(tab, 'organisation.csv?model=adoption'), await bearer(MAKER))).status).toBe(403);
    expect((await getJson(url(tab, 'organisation/access'), await bearer(MAKER))).body).toEqual({ admin: false });
    expect((await getJson(url(tab, 'organisation?model=adoption'))).status).toBe(401);
    // An admin of another organisation sees their own, empty organisation, never this one.
    const other = await getJson(url(tab, 'organisation?model=adoption'), await bearer(LISTED_ADMIN, OTHER_TENANT));
    expect(other.status).toBe(200);
    expect(other.body.heatMap).toEqual([]);
  });

  it('exports the same figures as CSV, with no person in it', async () => {
    tab = await start();
    const response = await fetch(url(tab, 'organisation.csv?model=adoption&round=2026-11'), { headers: await bearer(LISTED_ADMIN) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="organisation-adoption-2026-11.csv"');
    const text = await response.text();
    expect(text).not.toMatch(/thread\.tacv2-\d/);
    const rows = parseCsv(text);
    const legal = rows.filter((row) => row[2] === 'Contoso · Legal');
    expect(legal).toEqual([
      ['heat map', '2026-11', 'Contoso · Legal', 'Overall', '', '', '', '', '', '', '', '', '', 'not enough answers'],
    ]);
    expect(rows.find((row) => row[0] === 'organisation' && row[3] === 'Governance')?.slice(5, 10)).toEqual([
      '200',
      '286',
      '200',
      '400',
      '7',
    ]);
  });

  it('lets a CoE admin set an organisation target, which then shows as the gap, and checks what is sent', async () => {
    tab = await start();
    const post = async (memberId: string, body: unknown) =>
      fetch(url(tab!, 'organisation/targets'), {
        method: 'POST',
        headers: { ...(await bearer(memberId)), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(MAKER, { model: 'adoption', capability: 'governance', level: 300 })).status).toBe(403);
    const bad = await post(LISTED_ADMIN, { model: 'adoption', capability: 'governance', level: 700 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/level must be 100, 200, 300, 400 or 500/);
    expect((await post(LISTED_ADMIN, { model: 'adoption', capability: 'no-such-thing', level: 300 })).status).toBe(400);
    // What is not JSON, or is too large for a target, is refused with a reason, never a 5xx.
    const raw = async (body: string, headers: Record<string, string>) =>
      fetch(url(tab!, 'organisation/targets'), { method: 'POST', headers: { ...(await bearer(LISTED_ADMIN)), ...headers }, body });
    expect((await raw('model=adoption&level=300', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await raw('{"model":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await raw(JSON.stringify({ padding: 'x'.repeat(10_000) }), { 'content-type': 'application/json' })).status).toBe(413);
    expect((await post(LISTED_ADMIN, { model: 'adoption', capability: 'governance', level: 300 })).status).toBe(200);
    const { body } = await getJson(url(tab, 'organisation?model=adoption'), await bearer(COE_MEMBER));
    expect(body.organisation.find((entry: { id: string }) => entry.id === 'governance')).toMatchObject({ target: 300, gap: 1 });
    const behind = body.actFirst.teamsBehind.find((entry: { capabilityId: string }) => entry.capabilityId === 'governance');
    expect(behind.reference).toEqual({ level: 300, kind: 'target', label: 'target 300' });
    expect(behind.teams).toEqual([{ name: 'Contoso · Finance', level: 200, gap: 1 }]);
  });
});
