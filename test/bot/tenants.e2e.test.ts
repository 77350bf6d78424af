import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerData, answerRows, tableRows } from '../support/answers.js';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { activity, execute, message, noah, taskFetch, TENANT, type Where } from '../support/teams.js';

// ALLOWED_TENANTS: activities from any other organisation are refused politely, through /api/messages, and leave nothing behind.
const OTHER_TENANT = '0ddba11a-0000-4000-8000-000000000999';
const SECOND_ALLOWED = '5ec0d000-0000-4000-8000-000000000002';
const REFUSAL = "This bot isn't available for your organisation";

const personal: Where = { kind: 'personal', member: noah };
const channel: Where = { kind: 'channel', channelId: '19:elsewhere@thread.tacv2', teamName: 'Elsewhere' };

/** The same activity as Teams would send it from another tenant (the tenant is on the conversation and in channelData). */
function fromTenant(sent: Record<string, unknown>, tenantId: string | undefined): Record<string, unknown> {
  const conversation = { ...(sent.conversation as Record<string, unknown>), tenantId };
  const channelData = { ...(sent.channelData as Record<string, unknown>), tenant: tenantId === undefined ? undefined : { id: tenantId } };
  return { ...sent, conversation, channelData };
}

let harness: Harness;
beforeAll(async () => {
  // Upper case and a space: the setting is read case-insensitively, as GUIDs are.
  harness = await startHarness({ env: { ALLOWED_TENANTS: `${TENANT.toUpperCase()}, ${SECOND_ALLOWED}` } });
});
afterAll(async () => harness?.close());

const lastText = () => String(harness.connector.activities().at(-1)?.text ?? '');

describe('the tenant allow-list (ALLOWED_TENANTS)', () => {
  it('serves an allowed tenant as usual', async () => {
    const reply = await harness.post(message(harness.connector.url, noah, personal, 'assess'));
    expect(reply.status).toBe(200);
    expect(cardText(cardOf(harness.connector.activities().at(-1)))).toContain('1 of 9');
  });

  it('refuses a message from another tenant politely, and stores nothing', async () => {
    harness.connector.clear();
    const before = await answerRows(harness.tablePrefix);
    const reply = await harness.post(fromTenant(message(harness.connector.url, noah, personal, 'assess'), OTHER_TENANT));
    expect(reply.status).toBe(200);
    expect(lastText()).toContain(REFUSAL);
    expect(harness.connector.activities()).toHaveLength(1);
    expect(harness.connector.activities()[0]!.attachments).toBeUndefined();

    // Even a well-formed answer is not stored.
    const answered = await harness.post(
      fromTenant(execute(harness.connector.url, noah, personal, 'answer', answerData('adoption', 0, '300')), OTHER_TENANT),
    );
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining(REFUSAL),
    });
    expect(await answerRows(harness.tablePrefix)).toEqual(before);
  });

  it('answers invokes from another tenant with a message or a 403, never a card', async () => {
    const opened = await harness.post(
      fromTenant(taskFetch(harness.connector.url, noah, channel, { verb: 'open', model: 'adoption' }), OTHER_TENANT),
    );
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ task: { type: 'message', value: expect.stringContaining(REFUSAL) } });

    const other = await harness.post(
      fromTenant(
        activity(harness.connector.url, noah, channel, { type: 'invoke', name: 'composeExtension/query', value: {} }),
        OTHER_TENANT,
      ),
    );
    expect(other.status).toBe(403);
    expect(other.body.value.message).toContain(REFUSAL);
  });

  it('does not remember an installation in another tenant, and says why', async () => {
    harness.connector.clear();
    const installed = {
      ...fromTenant(message(harness.connector.url, noah, channel, 'x'), OTHER_TENANT),
      type: 'installationUpdate',
      action: 'add',
      text: undefined,
      entities: undefined,
    };
    expect((await harness.post(installed)).status).toBe(200);
    const added = {
      ...fromTenant(message(harness.connector.url, noah, channel, 'x'), OTHER_TENANT),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:maturity-pulse' }],
      text: undefined,
      entities: undefined,
    };
    expect((await harness.post(added)).status).toBe(200);
    expect(harness.connector.activities().map((sent) => String(sent.text))).toEqual([
      expect.stringContaining(REFUSAL),
      expect.stringContaining(REFUSAL),
    ]);
    // Earlier tests' messages from allowed tenants are remembered (where the bot may post); nothing of OTHER_TENANT is.
    const channelRows = async () =>
      (await tableRows(`${harness.tablePrefix}conversations`)).filter((row) => row.conversationId === channel.channelId);
    expect((await tableRows(`${harness.tablePrefix}conversations`)).filter((row) => row.tenantId === OTHER_TENANT)).toEqual([]);
    expect(await channelRows()).toEqual([]);

    // The same installation in an allowed tenant is remembered: the check above could have failed.
    await harness.post({ ...installed, ...fromTenant(installed, TENANT) });
    expect((await channelRows()).map((row) => row.tenantId)).toEqual([TENANT]);
  });

  it('refuses an activity that names no tenant, or two different ones', async () => {
    harness.connector.clear();
    await harness.post(fromTenant(message(harness.connector.url, noah, personal, 'help'), undefined));
    expect(lastText()).toContain(REFUSAL);
    const mixed = message(harness.connector.url, noah, personal, 'help');
    await harness.post({ ...mixed, channelData: { tenant: { id: OTHER_TENANT } } });
    expect(lastText()).toContain(REFUSAL);
    expect(harness.connector.activities()).toHaveLength(2);
  });

  it('serves every tenant on the list', async () => {
    harness.connector.clear();
    await harness.post(fromTenant(message(harness.connector.url, noah, personal, 'help'), SECOND_ALLOWED));
    expect(cardText(cardOf(harness.connector.activities().at(-1)))).toContain('forget me');
  });
});
