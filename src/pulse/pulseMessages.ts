import { pulseCard, pulseReminderText } from '../cards/pulseCards.js';
import type { CardRenderer } from '../cards/templates.js';
import type { Content } from '../content/loadContent.js';
import type { ModelId } from '../model/content.js';
import type { PulseRound } from '../store/pulseStore.js';
import type { OutgoingActivity } from './messenger.js';
import { dayLabel } from './schedule.js';

export interface PulseMessageDeps {
  content: Content;
  cards: CardRenderer;
  minRespondents: number;
  timeZone: string;
}

/** Rendered pulse cards kept for reuse: a fan-out posts the same card to every channel of a round. */
const RENDERED_LIMIT = 64;

/** What the pulse posts, from the card templates in src/cards, rendered once per distinct card. */
export class PulseMessages {
  private readonly rendered = new Map<string, OutgoingActivity>();

  constructor(private readonly deps: PulseMessageDeps) {}

  dayLabel(date: Date | string): string {
    return dayLabel(new Date(date), this.deps.timeZone);
  }

  /** The pulse card with its "N answered" line; `open` shows the Take the pulse button. */
  card(round: Pick<PulseRound, 'modelId' | 'round' | 'closesAt' | 'answered'>, open: boolean): OutgoingActivity {
    const id = [round.modelId, round.round, round.closesAt, round.answered, open].join('|');
    const cached = this.rendered.get(id);
    if (cached) return cached;
    const card = pulseCard(this.deps.cards, {
      model: this.deps.content.models[round.modelId as ModelId],
      round: round.round,
      closesOn: this.dayLabel(round.closesAt),
      answered: round.answered,
      open,
      minRespondents: this.deps.minRespondents,
    });
    const activity: OutgoingActivity = {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    };
    this.rendered.set(id, activity);
    if (this.rendered.size > RENDERED_LIMIT) this.rendered.delete(this.rendered.keys().next().value!);
    return activity;
  }

  reminder(round: Pick<PulseRound, 'round' | 'closesAt'>, answered: number): OutgoingActivity {
    return { type: 'message', text: pulseReminderText({ round: round.round, answered, closesOn: this.dayLabel(round.closesAt) }) };
  }
}
