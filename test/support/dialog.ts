import { expect } from 'vitest';
import { actionData, type Harness } from './botHarness.js';
import { taskFetch, taskSubmit, type Member, type Where } from './teams.js';

/** Opens the assessment dialog with a card's button data and answers each question in turn; returns the last card. */
export async function answerInDialog(
  h: Harness,
  member: Member,
  where: Where,
  openData: Record<string, unknown>,
  levels: readonly string[],
) {
  const opened = await h.post(taskFetch(h.connector.url, member, where, openData));
  expect(opened.status).toBe(200);
  let card = opened.body.task.value.card.content;
  for (const level of levels) {
    const next = await h.post(taskSubmit(h.connector.url, member, where, { ...actionData(card, 'Next'), level }));
    expect(next.body.task.type).toBe('continue');
    card = next.body.task.value.card.content;
  }
  return card;
}
