import type { ModelId } from '../model/content.js';
import { countRespondents } from '../model/scoring.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { ConversationTarget } from '../store/conversationStore.js';
import type { Content } from '../content/loadContent.js';
import type { PulseRound } from '../store/pulseStore.js';
import type { AdaptiveCard } from '../cards/templates.js';
import type { Logger } from 'pino';
import type { Delivery, SendPermit } from './delivery.js';
import type { Messenger, OutgoingActivity } from './messenger.js';
import type { PulseMessages } from './pulseMessages.js';

/** A round's steps: post the card, remind halfway, close with the results; and refresh the card's count when it is behind. */
export type Step = 'post' | 'remind' | 'close' | 'refresh';

/** What a step changes on the round; applied on top of the round as stored, so a live count written meanwhile is kept. */
export type StepOutcome = Pick<PulseRound, 'status'> & Partial<Pick<PulseRound, 'activityId' | 'answered' | 'shownAnswered'>>;

/** Builds the team result card for a closed round (the assessment flow does this for `results` too). */
export type TeamResultCard = (target: ConversationTarget, modelId: ModelId, round: string) => Promise<AdaptiveCard>;

export interface RoundStepDeps {
  content: Content;
  answers: AnswerStore;
  messenger: Messenger;
  delivery: Delivery;
  messages: PulseMessages;
  teamResultCard: TeamResultCard;
  logger: Logger;
}

type Schedule = Pick<PulseRound, 'status' | 'opensAt' | 'remindAt' | 'closesAt'>;

/**
 * What a round needs next at `now`: post when open, remind halfway, close at the end; in between, refresh the
 * card when its count is behind (an answer counted by an instance that could not send for the tenant).
 */
export function dueStep(round: Schedule & Pick<PulseRound, 'answered' | 'shownAnswered'>, now: Date): Step | undefined {
  const refresh = round.answered !== round.shownAnswered ? 'refresh' : undefined;
  switch (round.status) {
    case 'open':
      return now >= new Date(round.opensAt) ? 'post' : undefined;
    case 'posted':
      if (now >= new Date(round.closesAt)) return 'close';
      return now >= new Date(round.remindAt) ? 'remind' : refresh;
    case 'reminded':
      return now >= new Date(round.closesAt) ? 'close' : refresh;
    case 'closed':
    case 'failed':
      return undefined;
  }
}

/** When the round's next step falls due (undefined once it is closed or failed). */
export function nextStepAt(round: Schedule): string | undefined {
  switch (round.status) {
    case 'open':
      return round.opensAt;
    case 'posted':
      return round.remindAt < round.closesAt ? round.remindAt : round.closesAt;
    case 'reminded':
      return round.closesAt;
    case 'closed':
    case 'failed':
      return undefined;
  }
}

type Send = <T>(operation: () => Promise<T>) => Promise<T>;

const asCard = (card: AdaptiveCard): OutgoingActivity => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
});

/** The three steps of a round in one channel: post the pulse card, remind in its thread, close with the results. */
export class RoundSteps {
  constructor(private readonly deps: RoundStepDeps) {}

  /** Sends only while `permit` (the tenant's lease) holds. */
  run(step: Step, round: PulseRound, permit: SendPermit): Promise<StepOutcome> {
    const send = <T>(operation: () => Promise<T>) => this.deps.delivery.send(round.target.tenantId, permit, operation);
    switch (step) {
      case 'post':
        return this.post(round, send);
      case 'remind':
        return this.remind(round, send);
      case 'close':
        return this.close(round, send);
      case 'refresh':
        return this.refresh(round, send);
    }
  }

  private async post(round: PulseRound, send: Send): Promise<StepOutcome> {
    const activityId = await send(() => this.deps.messenger.post(round.target, this.deps.messages.card(round, true)));
    return { status: 'posted', activityId, shownAnswered: round.answered };
  }

  private async remind(round: PulseRound, send: Send): Promise<StepOutcome> {
    const answered = await this.respondents(round);
    await send(() => this.deps.messenger.reply(round.target, round.activityId, this.deps.messages.reminder(round, answered)));
    return { status: 'reminded', answered };
  }

  private async close(round: PulseRound, send: Send): Promise<StepOutcome> {
    const answered = await this.respondents(round);
    const result = await this.deps.teamResultCard(round.target, round.modelId as ModelId, round.round);
    await send(() => this.deps.messenger.reply(round.target, round.activityId, asCard(result)));
    const closed = { ...round, answered };
    // The results are out; retrying the whole step for a stale pulse card would post them twice.
    await send(() => this.deps.messenger.update(round.target, round.activityId, this.deps.messages.card(closed, false))).catch(
      (error: unknown) =>
        this.deps.logger.warn({ err: error, conversationId: round.target.conversationId }, 'pulse card not marked closed'),
    );
    return { status: 'closed', answered, shownAnswered: answered };
  }

  private async refresh(round: PulseRound, send: Send): Promise<StepOutcome> {
    await send(() => this.deps.messenger.update(round.target, round.activityId, this.deps.messages.card(round, true)));
    return { status: round.status, shownAnswered: round.answered };
  }

  private async respondents(round: PulseRound): Promise<number> {
    const model = this.deps.content.models[round.modelId as ModelId];
    const members = await this.deps.answers.team({
      tenantId: round.target.tenantId,
      scopeId: round.target.conversationId,
      modelId: round.modelId,
      round: round.round,
    });
    return countRespondents(model, members);
  }
}
