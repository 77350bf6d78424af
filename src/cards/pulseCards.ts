import type { MaturityModel } from '../model/content.js';
import { roundLabel } from '../model/round.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

export interface PulseCardView {
  model: MaturityModel;
  round: string;
  closesOn: string;
  answered: number;
  open: boolean;
  minRespondents: number;
}

/** Teams' own dialog-opening payload: the button opens the assessment dialog for this model. */
export const openDialogData = (modelId: string) => ({ verb: 'open', model: modelId, msteams: { type: 'task/fetch' } });

export function pulseCard(cards: CardRenderer, view: PulseCardView): AdaptiveCard {
  const questions = view.model.capabilities.length;
  return cards.render('pulse', {
    heading: `Maturity pulse · ${roundLabel(view.round)}`,
    description: `This month's check of where the team stands on the ${view.model.title}.`,
    effortLine: view.open
      ? `About ${Math.max(1, Math.round(questions / 3))} minutes, ${questions} ${questions === 1 ? 'question' : 'questions'} · closes ${view.closesOn}`
      : `Closed on ${view.closesOn}. The results are in the replies.`,
    answeredLine: `${view.answered} ${view.answered === 1 ? 'person has' : 'people have'} answered${view.open ? ' so far' : ''}`,
    privacyLine: `Your answers stay private: the channel sees only the team's levels, once ${view.minRespondents} people have answered.`,
    open: view.open,
    openData: openDialogData(view.model.id),
  });
}

/** The reminder posted in the pulse's thread halfway through the round. */
export function pulseReminderText(view: { round: string; answered: number; closesOn: string }): string {
  const { answered } = view;
  return `Halfway through the ${roundLabel(view.round)} pulse: ${answered} ${answered === 1 ? 'person has' : 'people have'} answered so far. It closes on ${view.closesOn}. Press **Take the pulse** above to answer.`;
}
