import type { ModelId } from '../model/content.js';
import { countRespondents } from '../model/scoring.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { ConversationTarget } from '../store/conversationStore.js';
import type { Content } from '../content/loadContent.js';
import type { PulseRound } from '../store/pulseStore.js';
import type { AdaptiveCard } from '../cards/templates.js';
import type { Logger } from 'pino';
import type { Delivery } from './delivery.js';
import type { Messenger, OutgoingActivity } from './messenger.js';
import type { PulseMessages } from './pulseMessages.js';

export type Step = 'post' | 'remind' | 'close';

/** What a step changes on the round; applied on top of the round as stored, so a live count written meanwhile is kept. */
export type StepOutcome = Pick<PulseRound, 'status'> & Partial<Pick<PulseRound, 'activityId' | 'answered'>>;

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

/** What a round needs next at `now`: post when open, remind halfway, close at the end. */
export function dueStep(round: Pick<PulseRound, 'status' | 'opensAt' | 'remindAt' | 'closesAt'>, now: Date): Step | undefined {
  switch (round.status) {
    case 'open':
      return now >= new Date(round.opensAt) ? 'post' : undefined;
    case 'posted':
      if (now >= new Date(round.closesAt)) return 'close';
      return now >= new Date(round.remindAt) ? 'remind' : undefined;
    case 'reminded':
      return now >= new Date(round.closesAt) ? 'close' : undefined;
    case 'closed':
    case 'failed':
      return undefined;
  }
}

/** When the round's next step falls due (undefined once it is closed or failed). */
export function nextStepAt(round: Pick<PulseRound, 'status' | 'opensAt' | 'remindAt' | 'closesAt'>): string | undefined {
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

const asCard = (card: AdaptiveCard): OutgoingActivity => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
});

/** The three steps of a round in one channel: post the pulse card, remind in its thread, close with the results. */
export class RoundSteps {
  constructor(private readonly deps: RoundStepDeps) {}

  run(step: Step, round: PulseRound): Promise<StepOutcome> {
    switch (step) {
      case 'post':
        return this.post(round);
      case 'remind':
        return this.remind(round);
      case 'close':
        return this.close(round);
    }
  }

  private async post(round: PulseRound): Promise<StepOutcome> {
    const activityId = await this.send(round, () => this.deps.messenger.post(round.target, this.deps.messages.card(round, true)));
    return { status: 'posted', activityId };
  }

  private async remind(round: PulseRound): Promise<StepOutcome> {
    const answered = await this.respondents(round);
    await this.send(round, () => this.deps.messenger.reply(round.target, round.activityId, this.deps.messages.reminder(round, answered)));
    return { status: 'reminded', answered };
  }

  private async close(round: PulseRound): Promise<StepOutcome> {
    const answered = await this.respondents(round);
    const result = await this.deps.teamResultCard(round.target, round.modelId as ModelId, round.round);
    await this.send(round, () => this.deps.messenger.reply(round.target, round.activityId, asCard(result)));
    const closed = { ...round, answered };
    // The results are out; retrying the whole step for a stale pulse card would post them twice.
    await this.send(round, () => this.deps.messenger.update(round.target, round.activityId, this.deps.messages.card(closed, false))).catch(
      (error: unknown) =>
        this.deps.logger.warn({ err: error, conversationId: round.target.conversationId }, 'pulse card not marked closed'),
    );
    return { status: 'closed', answered };
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

  private send<T>(round: PulseRound, operation: () => Promise<T>): Promise<T> {
    return this.deps.delivery.send(round.target.tenantId, operation);
  }
}
