import { generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoundKey } from '../../src/store/answerStore.js';
import { AUDIENCE, OTHER_TENANT, serveKeySet, signToken, TENANT, type KeySet } from './tokens.js';
import { getJson, startTabApp, type TabApp } from './tabHarness.js';
import { LocalConnector } from '../support/connector.js';
import { pretendEntraIssuedToken } from '../support/botFrameworkAuth.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const CHANNEL = '19:makers@thread.tacv2';
const ME = 'aaaaaaaa-0000-0000-0000-00000000000a';
const BOT = { MicrosoftAppId: '00000000-aaaa-bbbb-cccc-000000000001', MicrosoftAppPassword: 'not-a-real-secret' };

let keys: KeySet;
let tab: TabApp | undefined;
/** The Bot Connector of the tenant's channels: it knows ME as a member of CHANNEL and nobody else. */
let connector: LocalConnector;
let forgetBotToken: () => void;
beforeAll(async () => {
  keys = await serveKeySet();
  connector = await new LocalConnector().start();
  connector.responder = (call) =>
    call.method === 'GET'
      ? { status: call.path === `/v3/conversations/${encodeURIComponent(CHANNEL)}/members/${ME}` ? 200 : 404 }
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

const dashboardUrl = (app: TabApp, scope = CHANNEL) => `${app.url}/api/tab/dashboard?model=adoption&scope=${encodeURIComponent(scope)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Three members of the channel answered in tenant TENANT; one of them is the signed-in member. */
async function seedChannel(app: TabApp, tenantId = TENANT) {
  const key: RoundKey = { tenantId, scopeId: CHANNEL, modelId: 'adoption', round: '2026-11' };
  const at = new Date('2026-11-20T09:00:00Z');
  for (const [memberId, level] of [
    [ME, 300],
    ['bbbbbbbb-0000-0000-0000-00000000000b', 200],
    ['cccccccc-0000-0000-0000-00000000000c', 400],
  ] as const) {
    await app.store.record(key, memberId, 'governance', level, at);
    await app.store.record(key, memberId, 'security', 200, at);
  }
}

/** The bot is installed in CHANNEL of both tenants, so the app can ask the connector who belongs to it. */
async function startSso() {
  const app = await startTabApp({ now: () => NOW, env: { ...BOT, TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: keys.url } });
  for (const tenantId of [TENANT, OTHER_TENANT]) {
    await app.conversations.save(
      { tenantId, conversationId: CHANNEL, kind: 'channel', serviceUrl: connector.url, botId: '28:bot', name: 'Makers' },
      NOW,
    );
  }
  return app;
}

describe('the dashboard API with an app registration (SSO tokens checked against a local key set)', () => {
  it('refuses a request without a token: 401 with a JSON error and no data', async () => {
    tab = await startSso();
    await seedChannel(tab);
    for (const url of [dashboardUrl(tab), `${tab.url}/api/tab/export.csv?model=adoption&scope=${encodeURIComponent(CHANNEL)}`]) {
      const { status, body, headers } = await getJson(url);
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toBe('Bearer');
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatch(/Sign-in required/);
    }
  });

  it('refuses a token for another audience, an expired token and a forged signature, each with 401 and no data', async () => {
    tab = await startSso();
    await seedChannel(tab);
    const forger = await generateKeyPair('RS256');
    const cases = {
      'wrong audience': await signToken({
        key: keys.privateKey,
        kid: keys.kid,
        memberId: ME,
        audience: 'api://someone-else.example.com/other-app',
      }),
      expired: await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME, expiresIn: -3600 }),
      'forged signature': await signToken({ key: forger.privateKey, kid: keys.kid, memberId: ME }),
      'not a token': 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
    };
    const reasons: Record<string, string> = {};
    for (const [name, token] of Object.entries(cases)) {
      const { status, body } = await getJson(dashboardUrl(tab), bearer(token));
      expect(status, name).toBe(401);
      expect(Object.keys(body), name).toEqual(['error']);
      reasons[name] = body.error;
    }
    expect(reasons['wrong audience']).toMatch(/"aud" claim/);
    expect(reasons.expired).toMatch(/"exp" claim timestamp check failed/);
    expect(reasons['forged signature']).toMatch(/signature verification failed/);
  });

  it('serves the team of the token’s tenant, with the token’s member as “you”', async () => {
    tab = await startSso();
    await seedChannel(tab);
    const token = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME });
    const { status, body } = await getJson(dashboardUrl(tab), bearer(token));
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'teams', team: { scopeId: CHANNEL, demo: false } });
    expect(body.current).toMatchObject({ status: 'ready', respondents: 3 });
    expect(body.current.capabilities.find((entry: any) => entry.id === 'governance')).toMatchObject({
      level: 300,
      lowest: 200,
      highest: 400,
    });
    expect(body.you.find((row: any) => row.capabilityId === 'governance')).toMatchObject({ yours: 300, team: 300 });
    expect(JSON.stringify(body)).not.toMatch(/bbbbbbbb|cccccccc|aaaaaaaa/);

    const csv = await fetch(`${tab.url}/api/tab/export.csv?model=adoption&scope=${encodeURIComponent(CHANNEL)}`, {
      headers: bearer(token),
    });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('2026-11,Governance,300,200,400,3,shown');
  });

  it('refuses a signed-in person who does not belong to the channel, and one asking about a channel where the bot is not installed', async () => {
    tab = await startSso();
    await seedChannel(tab);
    const stranger = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: 'dddddddd-0000-0000-0000-00000000000d' });
    const refused = await getJson(dashboardUrl(tab), bearer(stranger));
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.body)).toEqual(['error']);
    expect(refused.body.error).toMatch(/only for a channel or chat you belong to/);
    const token = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME });
    const elsewhere = await getJson(dashboardUrl(tab, '19:elsewhere@thread.tacv2'), bearer(token));
    expect(elsewhere.status).toBe(403);
    // The connector was asked with the bot's own token.
    expect(connector.calls.find((call) => call.method === 'GET')?.authorization).toBe('Bearer bot-token-for-the-connector');
  });

  it("serves the personal tab the member's own assessment from their chat with the bot, and nobody else's", async () => {
    tab = await startSso();
    const chat = 'a:1personal-chat-of-me';
    await tab.conversations.save(
      { tenantId: TENANT, conversationId: chat, kind: 'personal', serviceUrl: connector.url, botId: '28:bot', name: 'You', memberId: ME },
      NOW,
    );
    await tab.store.record({ tenantId: TENANT, scopeId: chat, modelId: 'adoption', round: '2026-11' }, ME, 'governance', 300, NOW);
    const mine = await getJson(
      dashboardUrl(tab, 'personal'),
      bearer(await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME })),
    );
    expect(mine.status).toBe(200);
    // One respondent is enough here: these are the member's own answers, shown to them alone.
    expect(mine.body.current).toMatchObject({ status: 'ready', respondents: 1 });
    expect(mine.body.current.capabilities.find((entry: any) => entry.id === 'governance')).toMatchObject({ level: 300 });

    const someoneElse = await getJson(
      dashboardUrl(tab, 'personal'),
      bearer(await signToken({ key: keys.privateKey, kid: keys.kid, memberId: 'bbbbbbbb-0000-0000-0000-00000000000b' })),
    );
    expect(someoneElse.status).toBe(404);
    expect(someoneElse.body.error).toMatch(/no assessment in a personal chat/);
  });

  it('takes the tenant from the token, never the query: another tenant’s token sees nothing of this channel', async () => {
    tab = await startSso();
    await seedChannel(tab);
    const outsider = await signToken({ key: keys.privateKey, kid: keys.kid, tenantId: OTHER_TENANT, memberId: ME });
    const { status, body } = await getJson(`${dashboardUrl(tab)}&tenantId=${TENANT}&tid=${TENANT}`, bearer(outsider));
    expect(status).toBe(200);
    expect(body.current).toMatchObject({ status: 'withheld', respondents: 0 });
    expect(body.you.every((row: any) => row.yours === null)).toBe(true);
  });

  it('refuses members of a tenant outside ALLOWED_TENANTS, as the bot does', async () => {
    tab = await startTabApp({
      now: () => NOW,
      env: { ...BOT, TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: keys.url, ALLOWED_TENANTS: OTHER_TENANT },
    });
    const token = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME });
    const { status, body } = await getJson(dashboardUrl(tab), bearer(token));
    expect(status).toBe(401);
    expect(body.error).toMatch(/not available to your organisation/);
  });

  it('needs the channel or chat id, and serves no demo team outside local mode', async () => {
    tab = await startSso();
    const token = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME });
    const missing = await getJson(`${tab.url}/api/tab/dashboard?model=adoption`, bearer(token));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/scope is required/);
    const info = await getJson(`${tab.url}/api/tab/info`);
    expect(info.body).toMatchObject({ mode: 'teams', demoTeam: null });
  });

  it('answers 503 naming TAB_SSO_AUDIENCE when the bot has an app id but the tab has no audience', async () => {
    tab = await startTabApp({ now: () => NOW, env: { ...BOT, TAB_SSO_JWKS_URL: keys.url } });
    const token = await signToken({ key: keys.privateKey, kid: keys.kid, memberId: ME });
    const { status, body } = await getJson(dashboardUrl(tab), bearer(token));
    expect(status).toBe(503);
    expect(body.error).toMatch(/set TAB_SSO_AUDIENCE/);
  });
});
