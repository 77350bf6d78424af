import { z } from 'zod';
import type { AdaptiveCard, CardRenderer } from './templates.js';

/**
 * What the forget-me card's buttons send: Delete (verb forget) or Cancel (verb keep), the chat the card was
 * shown in and when. Who is forgotten never comes from here: it comes from the activity.
 */
export const forgetActionSchema = z.strictObject({
  verb: z.enum(['forget', 'keep']),
  chat: z.string().min(1).max(500),
  issued: z.iso.datetime(),
});
export type ForgetAction = z.infer<typeof forgetActionSchema>;

export interface ForgetConfirmView {
  answers: number;
  assessments: number;
  /** The personal chat the card is shown in, and when: Delete only counts there, and only for a while. */
  chat: string;
  issued: Date;
  validMinutes: number;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** Asks before anything is deleted, and says what will be. */
export function forgetConfirmCard(cards: CardRenderer, view: ForgetConfirmView): AdaptiveCard {
  const data = (verb: ForgetAction['verb']): ForgetAction => ({ verb, chat: view.chat, issued: view.issued.toISOString() });
  const answers =
    view.answers + view.assessments === 0
      ? 'Your answers: I have none from you at the moment.'
      : `Every answer you gave: ${plural(view.answers, 'answer', 'answers')} in ${plural(view.assessments, 'assessment', 'assessments')} (each team, model and month you answered in), earlier answers you changed included. Team results will no longer count you.`;
  return cards.render('forgetMe', {
    heading: 'Delete what I keep about you?',
    intro: "In this organisation, I'll delete:",
    items: [
      { text: answers },
      { text: "My record of this chat (where I'd write to you). It comes back if you write to me again." },
      { text: 'Your name on team targets and monthly pulses you set up: they stay, marked as set by a former member.' },
    ],
    note: `This can't be undone. Only **Delete** deletes anything; **Cancel**, or leaving this card, keeps everything. The button works for ${view.validMinutes} minutes.`,
    pending: true,
    deleteData: data('forget'),
    cancelData: data('keep'),
  });
}

/** What happened, in place of the confirmation card (no buttons, so it cannot be pressed again). */
export function forgetOutcomeCard(cards: CardRenderer, view: { heading: string; text: string; items?: string[] }): AdaptiveCard {
  return cards.render('forgetMe', {
    heading: view.heading,
    intro: view.text,
    items: (view.items ?? []).map((text) => ({ text })),
    note: 'Type **forget me** in this chat whenever you want to delete what I keep about you.',
    pending: false,
    deleteData: {},
    cancelData: {},
  });
}
