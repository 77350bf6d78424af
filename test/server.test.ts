import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerRows } from './support/answers.js';
import { authenticatedBotEnv, serveBotFrameworkKeys, type BotFrameworkKeys } from './support/botFrameworkAuth.js';
import { startHarness, type Harness } from './support/botHarness.js';
import { activity, message, mia, type Where } from './support/teams.js';

// Request intake at /api/messages: transport problems and malformed activities get a 4xx with a short plain
// reason, never a 5xx, never an internal error text, and never take the process down.
const APP_ID = '0b0f0000-0000-4000-8000-00000000c0c0';
const where: Where = { kind: 'personal', member: mia };
const INTERNAL = /Cannot read|undefined|TypeError|at .*\(|stack|validateAndFixActivity|Invalid JSON: Unexpected/;

export async function postRaw(url: string, body: string | Buffer, headers: Record<string, string>) {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

let local: Harness;
let authenticated: Harness;
let keys: BotFrameworkKeys;
beforeAll(async () => {
  keys = await serveBotFrameworkKeys();
  [local, authenticated] = await Promise.all([startHarness(), startHarness({ env: authenticatedBotEnv(keys, APP_ID) })]);
});
afterAll(async () => {
  await Promise.all([local?.close(), authenticated?.close()]);
  await keys?.close();
});

const json = { 'content-type': 'application/json' };
const stillServing = async (harness: Harness) => {
  const health = await fetch(`${harness.app.url}/healthz`);
  expect(health.status).toBe(200);
};

describe('compressed bodies (the Bot Connector never compresses what it posts)', () => {
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  const cases: [string, string, Buffer | string][] = [
    ['a body that is not gzip at all', 'gzip', 'this is not gzip'],
    ['a ~200 KB gzip bomb that inflates to 200 MB', 'gzip', bomb],
    ['a valid gzip activity', 'gzip', gzipSync(JSON.stringify({ type: 'message', text: 'help' }))],
    ['deflate', 'deflate', deflateSync('{"type":"message"}')],
    ['an encoding nobody knows', 'x-unknown', 'abc'],
    ['gzip in capitals', 'GZIP', 'garbage'],
  ];
  it.each(cases)('refuses %s with 415, with or without an app id, and keeps serving', async (_case, encoding, body) => {
    expect(bomb.length).toBeLessThan(300 * 1024);
    for (const harness of [local, authenticated]) {
      const headers = { ...json, 'content-encoding': encoding, ...(harness === authenticated ? { authorization: 'Bearer x.y.z' } : {}) };
      const response = await postRaw(harness.app.url, body, headers);
      expect(response.status).toBe(415);
      expect(response.text).toMatch(/not accepted/);
      await stillServing(harness);
    }
  });
});

describe('bodies too large or not JSON', () => {
  it('refuses a body over 256 KB with 413, whether its length is declared or it is streamed', async () => {
    const big = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
    expect((await postRaw(local.app.url, big, json)).status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(10 * 1024)));
        controller.close();
      },
    });
    const streamed = await fetch(`${local.app.url}/api/messages`, {
      method: 'POST',
      headers: json,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    await stillServing(local);
  });

  it.each([
    ['a form-urlencoded body', 'type=message&text=help', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', '{"type":"message"}', {}],
    ['text/plain', 'help', { 'content-type': 'text/plain' }],
    ['broken JSON', '{"type":"message",', json],
    ['a JSON string', '"message"', json],
    ['a JSON array', '[{"type":"message"}]', json],
    ['null', 'null', json],
    ['an empty body', '', json],
  ])('refuses %s with 400 and a short plain reason', async (_case, body, headers) => {
    const response = await postRaw(local.app.url, body, headers);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.text.length).toBeLessThan(200);
    expect(response.text).not.toMatch(INTERNAL);
  });
});

describe('malformed activities', () => {
  const valid = () => message(local.connector.url, mia, where, 'help');
  const without = (field: string) => {
    const copy: Record<string, unknown> = { ...valid() };
    delete copy[field];
    return copy;
  };
  const cases: [string, () => unknown][] = [
    ['an activity with no type', () => without('type')],
    ['{"type":"message"} alone', () => ({ type: 'message' })],
    ['an activity with no conversation', () => without('conversation')],
    ['an activity with no serviceUrl', () => without('serviceUrl')],
    ['an activity with no from', () => without('from')],
    ['an invoke with no name', () => activity(local.connector.url, mia, where, { type: 'invoke', value: { data: {} } })],
    ['a conversation id that is a number', () => ({ ...valid(), conversation: { id: 42 } })],
    ['text that is an object', () => ({ ...valid(), text: { evil: true } })],
    ['entities that are a string', () => ({ ...valid(), entities: 'mention' })],
    ['a serviceUrl that is not http', () => ({ ...valid(), serviceUrl: 'file:///etc/passwd' })],
    ['a conversation id of 5,000 characters', () => ({ ...valid(), conversation: { id: 'c'.repeat(5000) } })],
    ['membersAdded that is an object', () => ({ ...valid(), type: 'conversationUpdate', membersAdded: { id: 'x' } })],
  ];
  it.each(cases)('refuses %s with 400 and a short plain reason, storing nothing', async (_case, body) => {
    const response = await postRaw(local.app.url, JSON.stringify(body()), json);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/malformed|JSON object/);
    expect(response.text).not.toMatch(INTERNAL);
    expect(await answerRows(local.tablePrefix)).toEqual([]);
  });
});

describe('with an app id, the caller is authenticated before the activity is looked at', () => {
  const bearer = async (overrides: { key?: Parameters<BotFrameworkKeys['sign']>[0]['key'] } = {}) => ({
    authorization: `Bearer ${await keys.sign({ audience: APP_ID, serviceUrl: authenticated.connector.url, ...overrides })}`,
  });
  const malformed = () => ({ channelId: 'msteams', serviceUrl: authenticated.connector.url, text: 'no type here' });

  it('answers 401 to a malformed activity that carries no token, or a forged one, or one claiming another issuer', async () => {
    const emulatorLike = `Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', aud: APP_ID })).toString('base64url')}.c2ln`;
    for (const headers of [{}, { authorization: 'Basic abc' }, await bearer({ key: keys.forgerKey }), { authorization: emulatorLike }]) {
      for (const body of [JSON.stringify(malformed()), JSON.stringify({ type: 'message' }), 'not json', '[]']) {
        const response = await postRaw(authenticated.app.url, body, { ...json, ...headers });
        expect(response.status, `${JSON.stringify(headers).slice(0, 40)} ${body.slice(0, 30)}`).toBe(401);
        expect(response.text).not.toMatch(INTERNAL);
      }
    }
    expect(authenticated.connector.calls).toEqual([]);
  });

  it('answers 400 to a malformed activity once the token is valid', async () => {
    const response = await postRaw(authenticated.app.url, JSON.stringify(malformed()), { ...json, ...(await bearer()) });
    expect(response.status).toBe(400);
    expect(response.text).toContain('"type"');
    await stillServing(authenticated);
  });
});
