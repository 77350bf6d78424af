import type { Content } from '../content/loadContent.js';
import { assessmentPromptCard, questionCard, summaryCard, teamResultCard, type CardMode } from '../cards/assessmentCards.js';
import { NOT_SURE_VALUE, type CardAction } from '../cards/cardActions.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import { isLevel, type MaturityModel, type ModelId } from '../model/content.js';
import { capabilityVersion } from '../model/levels.js';
import { previousRound, roundLabel, roundOf } from '../model/round.js';
import { scoreTeam, type Choice } from '../model/scoring.js';
import type { AnswerStore, RoundKey } from '../store/answerStore.js';
import type { TargetStore } from '../store/targetStore.js';
import { trendBetween } from '../model/trend.js';

/** Who is answering and for which team, taken from the activity, never from card data. */
export interface Participant {
  tenantId: string;
  memberId: string;
  /** The team: a channel, a group chat, or the member's personal chat with the bot. */
  scopeId: string;
  teamName: string;
}

export interface FlowDeps {
  content: Content;
  store: AnswerStore;
  targets: TargetStore;
  cards: CardRenderer;
  minRespondents: number;
  now: () => Date;
}

/** The assessment conversation, independent of the Teams SDK: actions in, cards out. */
export class AssessmentFlow {
  constructor(private readonly deps: FlowDeps) {}

  model(modelId: ModelId): MaturityModel {
    return this.deps.content.models[modelId];
  }

  private key(participant: Participant, modelId: ModelId): RoundKey {
    return { tenantId: participant.tenantId, scopeId: participant.scopeId, modelId, round: roundOf(this.deps.now()) };
  }

  /** Starts or resumes: the first question without an answer this round, or the summary when all are answered. */
  async start(participant: Participant, modelId: ModelId, mode: CardMode, notice?: string): Promise<AdaptiveCard> {
    const answers = await this.deps.store.member(this.key(participant, modelId), participant.memberId);
    const model = this.model(modelId);
    const index = model.capabilities.findIndex((capability) => !answers.has(capability.id));
    if (index === -1) return this.summaryFrom(model, answers, mode);
    return this.question(model, index, answers.get(model.capabilities[index]!.id), mode, notice);
  }

  async act(participant: Participant, action: CardAction, mode: CardMode): Promise<AdaptiveCard> {
    const modelId = action.model;
    const model = this.model(modelId);
    const key = this.key(participant, modelId);
    if (action.verb === 'change') return this.questionWithAnswer(participant, model, 0, mode);
    if (action.verb === 'assess' || action.verb === 'open') return this.start(participant, modelId, mode);

    if (action.round !== undefined && action.round !== key.round) {
      return this.start(
        participant,
        modelId,
        mode,
        `That card was from the ${roundLabel(action.round)} round, which has closed. Nothing was saved. Here is where you are in ${roundLabel(key.round)}.`,
      );
    }
    const index = model.capabilities.findIndex((capability) => capability.id === action.capability);
    const capability = model.capabilities[index];
    if (!capability) {
      return this.start(
        participant,
        modelId,
        mode,
        `That card asked about a question I don't have${action.capability ? ` ("${action.capability}")` : ''}. Nothing was saved. Here is your next question.`,
      );
    }
    if (action.v !== capabilityVersion(capability)) {
      return this.questionWithAnswer(
        participant,
        model,
        index,
        mode,
        'That answer is no longer valid — the question changed. Nothing was saved. Here it is again.',
      );
    }
    if (action.verb === 'back') return this.questionWithAnswer(participant, model, Math.max(0, index - 1), mode);
    if (action.verb === 'skip') return this.after(model, index, mode, await this.deps.store.member(key, participant.memberId));

    const choice = parseChoice(action.level);
    if (choice === undefined) {
      return this.questionWithAnswer(
        participant,
        model,
        index,
        mode,
        'Choose the statement that fits best, or Not sure. Nothing was saved.',
      );
    }
    const { choices } = await this.deps.store.record(key, participant.memberId, capability.id, choice, this.deps.now());
    return this.after(model, index, mode, choices);
  }

  async summary(participant: Participant, modelId: ModelId, mode: CardMode): Promise<AdaptiveCard> {
    const answers = await this.deps.store.member(this.key(participant, modelId), participant.memberId);
    return this.summaryFrom(this.model(modelId), answers, mode);
  }

  /** The team result for a round (this month's by default), with the change since the round before and any targets. */
  async teamResult(
    team: Omit<Participant, 'memberId'>,
    modelId: ModelId,
    answerData: Record<string, unknown>,
    round = roundOf(this.deps.now()),
  ): Promise<AdaptiveCard> {
    const model = this.model(modelId);
    const teamKey = { tenantId: team.tenantId, scopeId: team.scopeId, modelId };
    const [members, previousMembers, targets] = await Promise.all([
      this.deps.store.team({ ...teamKey, round }),
      this.deps.store.team({ ...teamKey, round: previousRound(round) }),
      this.deps.targets.get(teamKey),
    ]);
    const result = scoreTeam(model, members, this.deps.minRespondents, targets);
    const previous = scoreTeam(model, previousMembers, this.deps.minRespondents);
    return teamResultCard(this.deps.cards, {
      model,
      result,
      teamName: team.teamName,
      round,
      answerData,
      trends: trendBetween(result, previous),
      targets,
    });
  }

  prompt(modelId: ModelId, openData: Record<string, unknown>, resultsData: Record<string, unknown>): AdaptiveCard {
    return assessmentPromptCard(this.deps.cards, {
      model: this.model(modelId),
      minRespondents: this.deps.minRespondents,
      openData,
      resultsData,
    });
  }

  /** The card after question `index`: the next question with any earlier answer selected, or the summary. */
  private after(model: MaturityModel, index: number, mode: CardMode, answers: Map<string, Choice>): AdaptiveCard {
    const next = model.capabilities[index + 1];
    if (next) return this.question(model, index + 1, answers.get(next.id), mode);
    return this.summaryFrom(model, answers, mode);
  }

  private async questionWithAnswer(
    participant: Participant,
    model: MaturityModel,
    index: number,
    mode: CardMode,
    notice?: string,
  ): Promise<AdaptiveCard> {
    const answers = await this.deps.store.member(this.key(participant, model.id), participant.memberId);
    return this.question(model, index, answers.get(model.capabilities[index]!.id), mode, notice);
  }

  private question(model: MaturityModel, index: number, selected: Choice | undefined, mode: CardMode, notice?: string): AdaptiveCard {
    return questionCard(this.deps.cards, {
      model,
      pillars: this.deps.content.pillars,
      index,
      selected,
      round: roundOf(this.deps.now()),
      mode,
      ...(notice === undefined ? {} : { notice }),
    });
  }

  private summaryFrom(model: MaturityModel, answers: Map<string, Choice>, mode: CardMode): AdaptiveCard {
    return summaryCard(this.deps.cards, { model, choices: answers, mode });
  }
}

/** "300" → 300, "notsure" → null (Not sure), anything else → undefined (refused). */
export function parseChoice(value: string | undefined): Choice | undefined {
  if (value === NOT_SURE_VALUE) return null;
  const level = Number(value);
  return value !== undefined && /^\d{3}$/.test(value) && isLevel(level) ? level : undefined;
}
