import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { answerData, answerRows, capabilityIds } from '../support/answers.js';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import {
  pretendEntraIssuedToken,
  authenticatedBotEnv,
  serveBotFrameworkKeys,
  type BotFrameworkKeys,
  type TokenOptions,
} from '../support/botFrameworkAuth.js';
import { execute, message, mia, submit, type Where } from '../support/teams.js';

// Bot Framework authentication, proven offline: the bot is configured with an app id and checks every request's
// token against an OpenID configuration and key set served by this test, with keys it generated.
const APP_ID = '0b0f0000-0000-4000-8000-00000000b0b0';
const APP_PASSWORD = 'app-secret-that-must-not-be-logged';
/** The token the bot's replies carry (see pretendEntraIssuedToken for why it comes from the cache). */
const REPLY_TOKEN = 'reply-token-from-entra-that-must-not-be-logged';
const where: Where = { kind: 'personal', member: mia };

let keys: BotFrameworkKeys;
let harness: Harness;
let forgetReplyToken: () => void;
const logLines: string[] = [];

beforeAll(async () => {
  keys = await serveBotFrameworkKeys();
  forgetReplyToken = pretendEntraIssuedToken(APP_ID, REPLY_TOKEN);
  harness = await startHarness({
    env: {
      ...authenticatedBotEnv(keys, APP_ID, APP_PASSWORD),
    },
    // The app's own logger (redaction included), writing to memory so the test can read every line.
    logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }),
  });
});

afterAll(async () => {
  await harness?.close();
  await keys?.close();
  forgetReplyToken?.();
});

const valid = (overrides: Partial<TokenOptions> = {}) => keys.sign({ audience: APP_ID, serviceUrl: harness.connector.url, ...overrides });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** Answering the first adoption question: the request that would store something if it got through. */
const answer = (level = '300') => execute(harness.connector.url, mia, where, 'answer', answerData('adoption', 0, level));

describe('Bot Framework authentication on /api/messages (with MicrosoftAppId set)', () => {
  /**
   * Each refused request, and what botframework-connector itself prints for it: its JwtTokenExtractor writes an expired
   * token's TokenExpiredError, and "Error finding key" for a bad signature, to console.error before it throws. The
   * test captures those two, expected prints; anything else printed (such as CloudAdapter's AuthenticationError stack,
   * which the bot's adapter now answers without) fails it.
   */
  const refused: [string, () => Promise<Record<string, string>>, RegExp?][] = [
    ['no token at all', async () => ({})],
    ['a token that is not a JWT', async () => bearer('not-a-token')],
    ['an expired token', async () => bearer(await valid({ expiresIn: -3600 })), /^TokenExpiredError: jwt expired$/],
    ['a token for another bot (wrong audience)', async () => bearer(await valid({ audience: '0b0f0000-0000-4000-8000-0000000000ff' }))],
    [
      'a forged token (signed with a key that is not in the key set)',
      async () => bearer(await valid({ key: keys.forgerKey })),
      /^Error finding key for token\. Available keys: -----BEGIN RSA PUBLIC KEY-----/,
    ],
    ['a token from another issuer', async () => bearer(await valid({ issuer: 'https://issuer.example.com' }))],
    [
      'a token for another service URL (replies would go elsewhere)',
      async () => bearer(await valid({ serviceUrl: 'https://attacker.example.com/' })),
    ],
  ];

  it.each(refused)('refuses %s with 401, and nothing is stored or sent', async (_case, headers, libraryPrint) => {
    const sent = await headers();
    // A refusal is routine traffic: one warning in the JSON log, never a stack trace on stderr.
    const printed: string[] = [];
    const stderr = vi.spyOn(console, 'error').mockImplementation((first: unknown) => void printed.push(String(first)));
    try {
      const submitted = await harness.post(answer(), sent);
      const typed = await harness.post(message(harness.connector.url, mia, where, 'assess'), sent);
      expect(submitted.status).toBe(401);
      expect(typed.status).toBe(401);
    } finally {
      stderr.mockRestore();
    }
    expect(printed.filter((line) => !libraryPrint?.test(line))).toEqual([]);
    expect(await answerRows(harness.tablePrefix)).toEqual([]);
    expect(harness.connector.calls).toEqual([]);
  });

  it('accepts a valid Bot Connector token: the bot replies (with its own token) and stores the answer', async () => {
    const typed = await harness.post(message(harness.connector.url, mia, where, 'assess'), bearer(await valid()));
    expect(typed.status).toBe(200);
    const reply = harness.connector.calls.at(-1)!;
    expect(cardText(cardOf(reply.body))).toContain('1 of 9');
    // The reply went out authenticated, with the token botbuilder holds for this app.
    expect(reply.authorization).toBe(`Bearer ${REPLY_TOKEN}`);

    const answered = await harness.post(answer('300'), bearer(await valid()));
    expect(answered.status).toBe(200);
    expect(cardText(answered.body.value)).toContain('2 of 9');
    const rows = await answerRows(harness.tablePrefix);
    const current = rows.find((row) => String(row.rowKey).startsWith('m|'));
    expect(JSON.parse(String(current?.choices))).toMatchObject({ [capabilityIds('adoption')[0]!]: [300, expect.any(String)] });
    // The key set was fetched once and then cached, not once per request.
    expect(keys.keyFetches()).toBe(1);
  });

  it('writes one log line per activity with a correlation id and latency, and never a token, message text or card value', async () => {
    const question = 'Who supports the zebra-striped expense app for Quentin?';
    await harness.post(message(harness.connector.url, mia, where, question), bearer(await valid()));
    const tampered = { ...answerData('adoption', 1, '400'), note: 'card-value-that-must-not-be-logged' };
    await harness.post(submit(harness.connector.url, mia, where, tampered), bearer(await valid()));
    await harness.post(answer('200'), bearer(await valid()));
    await harness.post(answer('200'), { authorization: 'Bearer forged.token.value' });

    const log = logLines.join('');
    const activityLines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'activity');
    expect(activityLines.length).toBeGreaterThanOrEqual(4);
    for (const line of activityLines) {
      expect(line.correlationId, JSON.stringify(line)).toEqual(expect.any(String));
      expect(line.ms).toEqual(expect.any(Number));
    }
    expect(activityLines.map((line) => line.status)).toContain(401);
    // A refused request says why, under the same correlation id as its activity line.
    const refusedLine = activityLines.find((line) => line.status === 401)!;
    const reason = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.correlationId === refusedLine.correlationId && line.msg !== 'activity');
    expect(reason?.reason).toMatch(/^Unauthorized/);

    for (const secret of [
      APP_PASSWORD,
      REPLY_TOKEN,
      'forged.token.value',
      'zebra-striped',
      'Quentin',
      'card-value-that-must-not-be-logged',
    ]) {
      expect(log, secret).not.toContain(secret);
    }
    // No JWT at all (three base64url parts starting with a JSON header), and nothing of the cards: no field names, no question ids.
    expect(log).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(log).not.toMatch(/"capability"|"choices"|"round"/);
    for (const capabilityId of capabilityIds('adoption').slice(0, 2)) expect(log).not.toContain(capabilityId);
  });
});
