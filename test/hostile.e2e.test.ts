import net from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerData, tableRows } from './support/answers.js';
import { authenticatedBotEnv, serveBotFrameworkKeys, type BotFrameworkKeys } from './support/botFrameworkAuth.js';
import { cardOf, startHarness, type Harness } from './support/botHarness.js';
import { execute, message, mia, noah, submit, taskFetch, taskSubmit, type Member, type Where } from './support/teams.js';

// Hostile input at /api/messages, sampled by class: malformed HTTP (encodings, bodies, headers, methods, activity
// shapes), with and without an app id, and mutations of the card actions the bot really sends. Whatever comes in:
// no 5xx, the process keeps answering, and nothing is stored.
const APP_ID = '0b0f0000-0000-4000-8000-00000000d0d0';
const TABLES = ['answers', 'conversations', 'pulse', 'targets'];

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

async function rowCounts(harness: Harness): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = (await tableRows(`${harness.tablePrefix}${table}`).catch(() => [])).length;
  return counts;
}

interface RawRequest {
  label: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

async function send(harness: Harness, request: RawRequest): Promise<number> {
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : new Uint8Array(request.body);
  const response = await fetch(`${harness.app.url}${request.path ?? '/api/messages'}`, {
    method: request.method ?? 'POST',
    headers: request.headers ?? { 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Bytes written straight to the socket, for what fetch refuses to send (lying lengths, broken chunks). */
function sendBytes(harness: Harness, bytes: string): Promise<number> {
  const { port } = new URL(harness.app.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    // The last status line: an interim 100 Continue may come first.
    socket.on('close', () => resolve(Number([...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].at(-1)?.[1] ?? 0)));
    socket.on('error', () => undefined);
  });
}

function httpRequests(harness: Harness): RawRequest[] {
  const valid = message(harness.connector.url, mia, { kind: 'personal', member: mia }, 'assess');
  // Headers, methods and paths are tried with a well-formed activity the bot takes without storing anything.
  const json = JSON.stringify({ ...valid, type: 'typing', text: undefined });
  const jsonHeaders = { 'content-type': 'application/json' };
  const requests: RawRequest[] = [];
  // Encodings.
  for (const [encoding, body] of [
    ['gzip', 'this is not gzip'],
    ['gzip', gzipSync(json)],
    ['gzip', gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20))],
    ['deflate', deflateSync(json)],
    ['deflate', 'not deflate'],
    ['br', 'not brotli'],
    ['gzip, gzip', gzipSync(gzipSync(json))],
    ['identity, gzip', gzipSync(json)],
    ['compress', json],
    ['x-gzip', gzipSync(json)],
  ] as const)
    requests.push({ label: `content-encoding ${encoding}`, headers: { ...jsonHeaders, 'content-encoding': encoding }, body });
  // Content types.
  for (const type of [
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/plain',
    'application/xml',
    'application/octet-stream',
    'application/jsonx',
    '',
    'application/json; boundary=;;;;',
    '*/*',
  ])
    requests.push({ label: `content-type "${type}"`, headers: type ? { 'content-type': type } : {}, body: json });
  // Bodies.
  const bodies: [string, string | Buffer][] = [
    ['empty', ''],
    ['whitespace', '   \n\t '],
    ['broken JSON', json.slice(0, -3)],
    ['a number', '42'],
    ['a string', '"message"'],
    ['true', 'true'],
    ['null', 'null'],
    ['an array of activities', `[${json}]`],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['100,000 nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['a byte-order mark first', `\ufeff${json}`],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['NUL bytes', `{"type":"mess\u0000age","text":"\u0000"}`],
    ['a huge number', `{"type":"message","id":1e999999}`],
    ['duplicate keys', `{"type":"message","type":"invoke","name":"x"}`],
    ['300 KB', JSON.stringify({ ...valid, text: 'x'.repeat(300 * 1024) })],
    ['__proto__ at the top', `{"__proto__":{"polluted":true},"type":"message"}`],
    ['constructor.prototype', `{"constructor":{"prototype":{"polluted":true}},"type":"message"}`],
    ['lone surrogates', `{"type":"message","text":"\\ud800\\udc00\\ud800"}`],
    ['a JSON string of the activity', JSON.stringify(json)],
  ];
  for (const [label, body] of bodies) requests.push({ label: `body: ${label}`, headers: jsonHeaders, body });
  // Methods and paths.
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'])
    requests.push({
      label: `${method} /api/messages`,
      method,
      headers: jsonHeaders,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: json }),
    });
  for (const path of [
    '/api/messages/',
    '/api/messages?x=%zz',
    '/api/messages/../healthz',
    '/api//messages',
    '/api/messages%00',
    '/API/MESSAGES',
  ])
    requests.push({ label: `path ${path}`, path, headers: jsonHeaders, body: json });
  // Headers.
  for (const [label, headers] of [
    ['Accept: application/xml', { ...jsonHeaders, accept: 'application/xml' }],
    ['Accept: nonsense', { ...jsonHeaders, accept: ';;;q=garbage' }],
    ['Authorization: Bearer', { ...jsonHeaders, authorization: 'Bearer' }],
    ['Authorization: Bearer with spaces', { ...jsonHeaders, authorization: 'Bearer a b c' }],
    ['Authorization: Basic', { ...jsonHeaders, authorization: 'Basic dXNlcjpwYXNz' }],
    ['Authorization: a forged JWT', { ...jsonHeaders, authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.' }],
    ['Authorization: 8 KB', { ...jsonHeaders, authorization: `Bearer ${'a'.repeat(8000)}` }],
    ['Content-MD5 wrong', { ...jsonHeaders, 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' }],
    ['X-Forwarded-For spoof', { ...jsonHeaders, 'x-forwarded-for': '127.0.0.1, evil' }],
  ] as const)
    requests.push({ label: `header ${label}`, headers, body: json });
  // Activity shapes: every field the bot reads, missing or of a wrong type.
  const fields = ['type', 'id', 'name', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation', 'channelData', 'text', 'entities'];
  const wrong: unknown[] = [null, 42, true, [], { nested: { deep: [1] } }, 'x'.repeat(5000)];
  for (const field of fields) {
    const { [field]: _dropped, ...rest } = valid;
    if (['type', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation'].includes(field))
      requests.push({ label: `activity without ${field}`, headers: jsonHeaders, body: JSON.stringify(rest) });
    for (const value of wrong) {
      // Values that are valid for the field: a long text, no entities, channel data with fields of its own.
      if ((field === 'text' && typeof value === 'string') || (field === 'entities' && Array.isArray(value))) continue;
      if (field === 'channelData' && typeof value === 'object' && value !== null && !Array.isArray(value)) continue;
      requests.push({
        label: `activity ${field}=${JSON.stringify(value).slice(0, 20)}`,
        headers: jsonHeaders,
        body: JSON.stringify({ ...valid, [field]: value }),
      });
    }
  }
  requests.push({ label: 'invoke without a name', headers: jsonHeaders, body: JSON.stringify({ ...valid, type: 'invoke' }) });
  requests.push({
    label: 'conversation.id an object',
    headers: jsonHeaders,
    body: JSON.stringify({ ...valid, conversation: { id: { $ne: null } } }),
  });
  requests.push({
    label: 'from.aadObjectId 5,000 chars',
    headers: jsonHeaders,
    body: JSON.stringify({ ...valid, from: { id: 'x', aadObjectId: 'a'.repeat(5000) } }),
  });
  requests.push({
    label: 'membersAdded of strings',
    headers: jsonHeaders,
    body: JSON.stringify({ ...valid, type: 'conversationUpdate', membersAdded: ['a'] }),
  });
  return requests;
}

const RAW_REQUESTS = [
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 18\r\n\r\n{"type":"message"}',
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":"message"}',
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"type":"message"}',
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n',
  `POST /api/messages HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 16\r\n\r\nthis is not gzip',
];

describe('malformed and hostile HTTP requests', { timeout: 300_000 }, () => {
  it('never get a 5xx, with or without an app id; the bot keeps answering and stores nothing', async () => {
    let sent = 0;
    for (const harness of [local, authenticated]) {
      const before = await rowCounts(harness);
      const requests = httpRequests(harness);
      for (const request of requests) {
        const status = await send(harness, request);
        expect(status, `${harness === local ? 'local' : 'app id'}: ${request.label}`).toBeLessThan(500);
        sent += 1;
      }
      for (const raw of RAW_REQUESTS) {
        const status = await sendBytes(harness, raw);
        expect(status === 0 || (status >= 400 && status < 500), `raw: ${raw.slice(0, 60)} → ${status}`).toBe(true);
        sent += 1;
      }
      expect((await fetch(`${harness.app.url}/healthz`)).status).toBe(200);
      expect(await rowCounts(harness)).toEqual(before);
    }
    expect(sent).toBeGreaterThanOrEqual(200);
  });
});

/** Every action on a card: its type, verb and data, as a client would send them back. */
function actionsOf(card: unknown): { type: string; verb?: string; data: Record<string, unknown> }[] {
  const found: { type: string; verb?: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && record.type.startsWith('Action.') && record.data && typeof record.data === 'object')
      found.push({
        type: record.type,
        ...(typeof record.verb === 'string' ? { verb: record.verb } : {}),
        data: record.data as Record<string, unknown>,
      });
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}

function mutations(data: Record<string, unknown>): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const wrong: unknown[] = [42, true, null, [], { $gt: '' }, 'x'.repeat(10_000), 'unknown'];
  for (const key of Object.keys(data)) {
    if (key === 'msteams' || key === 'round') continue; // Teams' envelope, and a round left out (the current one), are legitimate
    const { [key]: _dropped, ...rest } = data;
    if (key !== 'capability' || data.verb === 'answer') out.push([`without ${key}`, rest]);
    for (const value of wrong) out.push([`${key}=${JSON.stringify(value).slice(0, 16)}`, { ...data, [key]: value }]);
  }
  for (const [key, value] of Object.entries({
    verb: 'drop',
    model: 'finance',
    capability: 'no-such-capability',
    level: '600',
    round: '2020-01',
    v: 'stale',
  }))
    out.push([`${key}=${String(value)}`, { ...data, [key]: value }]);
  out.push(['round from the future', { ...data, round: '2999-12' }]);
  for (const key of ['memberId', 'aadObjectId', 'userId', 'from', 'tenantId', 'scopeId'])
    out.push([`another member's ${key}`, { ...data, [key]: key === 'from' ? { aadObjectId: noah.aadObjectId } : noah.aadObjectId }]);
  out.push(['__proto__ pollution', { ...JSON.parse(`{"__proto__":{"polluted":true,"verb":"answer"}}`), ...data }]);
  out.push(['constructor pollution', { ...data, constructor: { prototype: { polluted: true } } }]);
  return out;
}

describe('mutated card submissions', { timeout: 300_000 }, () => {
  it('are refused with words and never a 5xx, through every way a card sends, and nothing is stored', async () => {
    const h = local;
    const personal: Where = { kind: 'personal', member: noah };
    const channel: Where = { kind: 'channel', channelId: '19:hostile@thread.tacv2', teamName: 'Hostile' };
    const group: Where = { kind: 'groupChat', chatId: '19:hostile-chat@thread.v2' };
    // The real cards: a question, the channel prompt, the help card and the support form; harvested for their actions.
    const harvested: { where: Where; action: ReturnType<typeof actionsOf>[number] }[] = [];
    for (const [where, text] of [
      [personal, 'assess'],
      [channel, 'assess'],
      [group, 'results'],
      [personal, 'help'],
      [personal, 'support'],
    ] as const) {
      h.connector.clear();
      await h.post(message(h.connector.url, noah, where, text));
      for (const sent of h.connector.activities()) {
        const card = (() => {
          try {
            return cardOf(sent);
          } catch {
            return undefined;
          }
        })();
        for (const action of actionsOf(card)) harvested.push({ where, action });
      }
    }
    // And what a question's Next button sends once a level is chosen.
    harvested.push({ where: personal, action: { type: 'Action.Execute', verb: 'answer', data: answerData('adoption', 0, '300') } });
    expect(harvested.length).toBeGreaterThanOrEqual(5);

    const before = await rowCounts(h);
    let sent = 0;
    const seen = new Set<string>();
    const member: Member = noah;
    // Each mutation goes one of the four ways a card sends, in turn: Action.Execute, Action.Submit, a dialog's submit or its opening.
    const deliveries = [
      (where: Where, verb: string, data: Record<string, unknown>) => execute(h.connector.url, member, where, verb, data),
      (where: Where, _verb: string, data: Record<string, unknown>) => submit(h.connector.url, member, where, data),
      (where: Where, _verb: string, data: Record<string, unknown>) => taskSubmit(h.connector.url, member, where, data),
      (where: Where, _verb: string, data: Record<string, unknown>) => taskFetch(h.connector.url, member, where, data),
    ];
    const bases = new Map(
      harvested.map((base) => [
        `${base.action.verb ?? ''}|${Object.keys(base.action.data).sort().join()}|${String(base.action.data.verb)}`,
        base,
      ]),
    );
    for (const { where, action } of bases.values()) {
      for (const [label, data] of mutations(action.data)) {
        const key = `${action.verb ?? ''}|${JSON.stringify(data)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // Action.Execute carries its verb beside the data: a mutated or missing verb in the data is the verb it sends.
        const verb = 'verb' in action.data ? String(data.verb ?? '') : (action.verb ?? '');
        const delivery = deliveries[sent % deliveries.length]!(where, verb, data);
        const response = await h.post(delivery);
        expect(response.status, `${action.verb ?? action.type} ${label} via ${String(delivery.name ?? 'message')}`).toBeLessThan(500);
        sent += 1;
        if (process.env.HOSTILE_DEBUG && (await rowCounts(h)).answers !== before.answers)
          throw new Error(`stored by ${action.verb} ${label} ${JSON.stringify(delivery).slice(0, 900)}`);
      }
    }
    expect(sent).toBeGreaterThanOrEqual(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Nothing stored beyond the conversation references the harvesting itself saved.
    expect(await rowCounts(h)).toEqual(before);
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    // A good answer still goes through afterwards.
    const good = await h.post(execute(h.connector.url, noah, personal, 'answer', answerData('adoption', 0, '300')));
    expect(JSON.stringify(good.body)).toContain('2 of 9');
  });
});
