import type { Content } from '../content/loadContent.js';
import {
  assessmentPromptCard,
  changePickerCard,
  questionCard,
  summaryCard,
  teamResultCard,
  type CardMode,
} from '../cards/assessmentCards.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import { isLevel, type Capability, type MaturityModel, type ModelId } from '../model/content.js';
import { NOT_SURE_VALUE, type CardAction } from '../model/commands.js';
import { capabilityVersion } from '../model/levels.js';
import { previousRound, roundLabel, roundOf } from '../model/round.js';
import { scoreTeam, type Choice } from '../model/scoring.js';
import type { AnswerStore, RecordResult, RoundKey } from '../store/answerStore.js';
import type { TargetStore } from '../store/targetStore.js';
import { trendBetween } from '../model/trend.js';
import type { ConversationKind, Participant, Surface } from './turn.js';

/**
 * Who asks and where the card goes: in a dialog the buttons submit, elsewhere they are Universal Actions; in a
 * personal chat there is no team result to offer.
 */
export type Asker = Pick<Participant, 'tenantId' | 'memberId' | 'scopeId'> & { readonly surface: Surface; readonly kind: ConversationKind };

export interface FlowDeps {
  content: Content;
  store: AnswerStore;
  targets: TargetStore;
  cards: CardRenderer;
  minRespondents: number;
  now: () => Date;
  /** Told of each answer recorded in a channel or group chat (the pulse card's count); it must return at once. */
  answered?: (key: RoundKey, result: RecordResult) => void;
}

/** The question a card was about, or the card to show instead when the card is stale or tampered with. */
type Located =
  { found: true; model: MaturityModel; index: number; capability: Capability; key: RoundKey } | { found: false; card: AdaptiveCard };

const modeOf = (asker: Asker): CardMode => (asker.surface === 'dialog' ? 'submit' : 'execute');

/** The assessment conversation, independent of the Teams SDK: one method per step a member takes, cards out. */
export class AssessmentFlow {
  constructor(private readonly deps: FlowDeps) {}

  model(modelId: ModelId): MaturityModel {
    return this.deps.content.models[modelId];
  }

  /** Starts or resumes: the first question without an answer this round, or the summary when all are answered. */
  async start(asker: Asker, modelId: ModelId, notice?: string): Promise<AdaptiveCard> {
    const model = this.model(modelId);
    const answers = await this.answersOf(asker, modelId);
    const index = model.capabilities.findIndex((capability) => !answers.has(capability.id));
    if (index === -1) return this.summaryFrom(model, answers, asker);
    return this.question(model, index, answers, asker, notice);
  }

  /**
   * "Change answers": the list of questions with the member's answers, to pick one; once picked (or in a one-question
   * model), that question with the answer selected, whose Save and Cancel lead back to the summary.
   */
  async change(asker: Asker, action: CardAction): Promise<AdaptiveCard> {
    const model = this.model(action.model);
    const answers = await this.answersOf(asker, action.model);
    const picked = action.capability ?? (model.capabilities.length === 1 ? model.capabilities[0]?.id : undefined);
    if (picked === undefined) return changePickerCard(this.deps.cards, { model, choices: answers, mode: modeOf(asker) });
    const index = model.capabilities.findIndex((capability) => capability.id === picked);
    if (index === -1) {
      const notice = `I don't have that question ("${picked}"). Nothing was changed. Choose one of these.`;
      return changePickerCard(this.deps.cards, { model, choices: answers, mode: modeOf(asker), notice });
    }
    return this.question(model, index, answers, asker, undefined, true);
  }

  /** The member's choice for the question on the card, then the next question (or the summary). */
  async answer(asker: Asker, action: CardAction): Promise<AdaptiveCard> {
    const at = await this.locate(asker, action);
    if (!at.found) return at.card;
    const choice = parseChoice(action.level);
    if (choice === undefined) {
      return this.question(
        at.model,
        at.index,
        await this.answersOf(asker, action.model),
        asker,
        'Choose the statement that fits best, or Not sure. Nothing was saved.',
      );
    }
    const recorded = await this.deps.store.record(at.key, asker.memberId, at.capability.id, choice, this.deps.now());
    if (asker.kind !== 'personal') this.deps.answered?.(at.key, recorded);
    const { choices } = recorded;
    if (action.then === 'summary') return this.summaryFrom(at.model, choices, asker);
    return this.after(at.model, at.index, choices, asker);
  }

  /** The question before the one on the card. */
  async back(asker: Asker, action: CardAction): Promise<AdaptiveCard> {
    const at = await this.locate(asker, action);
    if (!at.found) return at.card;
    return this.question(at.model, Math.max(0, at.index - 1), await this.answersOf(asker, action.model), asker);
  }

  /** The question after the one on the card, leaving it unanswered; from "Change answers", Cancel: the summary. */
  async skip(asker: Asker, action: CardAction): Promise<AdaptiveCard> {
    const at = await this.locate(asker, action);
    if (!at.found) return at.card;
    const answers = await this.deps.store.member(at.key, asker.memberId);
    if (action.then === 'summary') return this.summaryFrom(at.model, answers, asker);
    return this.after(at.model, at.index, answers, asker);
  }

  async summary(asker: Asker, modelId: ModelId): Promise<AdaptiveCard> {
    return this.summaryFrom(this.model(modelId), await this.answersOf(asker, modelId), asker);
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

  private key(asker: Asker, modelId: ModelId): RoundKey {
    return { tenantId: asker.tenantId, scopeId: asker.scopeId, modelId, round: roundOf(this.deps.now()) };
  }

  private answersOf(asker: Asker, modelId: ModelId): Promise<Map<string, Choice>> {
    return this.deps.store.member(this.key(asker, modelId), asker.memberId);
  }

  /**
   * Finds the question a card's action is about. A card from a closed round, about a question that no longer
   * exists, or showing an older wording of the question saves nothing: the member gets the right card instead.
   */
  private async locate(asker: Asker, action: CardAction): Promise<Located> {
    const model = this.model(action.model);
    const key = this.key(asker, action.model);
    if (action.round !== undefined && action.round !== key.round) {
      const notice = `That card was from the ${roundLabel(action.round)} round, which has closed. Nothing was saved. Here is where you are in ${roundLabel(key.round)}.`;
      return { found: false, card: await this.start(asker, action.model, notice) };
    }
    const index = model.capabilities.findIndex((capability) => capability.id === action.capability);
    const capability = model.capabilities[index];
    if (!capability) {
      const named = action.capability ? ` ("${action.capability}")` : '';
      const notice = `That card asked about a question I don't have${named}. Nothing was saved. Here is your next question.`;
      return { found: false, card: await this.start(asker, action.model, notice) };
    }
    if (action.v !== capabilityVersion(capability)) {
      const notice = 'That answer is no longer valid — the question changed. Nothing was saved. Here it is again.';
      return { found: false, card: this.question(model, index, await this.answersOf(asker, action.model), asker, notice) };
    }
    return { found: true, model, index, capability, key };
  }

  /** The card after question `index`: the next question with any earlier answer selected, or the summary. */
  private after(model: MaturityModel, index: number, answers: Map<string, Choice>, asker: Asker): AdaptiveCard {
    if (index + 1 < model.capabilities.length) return this.question(model, index + 1, answers, asker);
    return this.summaryFrom(model, answers, asker);
  }

  /** Question `index`, with the member's earlier answer to it selected. */
  private question(
    model: MaturityModel,
    index: number,
    answers: Map<string, Choice>,
    asker: Asker,
    notice?: string,
    changing = false,
  ): AdaptiveCard {
    const capability = model.capabilities[index];
    return questionCard(this.deps.cards, {
      model,
      pillars: this.deps.content.pillars,
      index,
      selected: capability && answers.get(capability.id),
      round: roundOf(this.deps.now()),
      mode: modeOf(asker),
      changing,
      ...(notice === undefined ? {} : { notice }),
    });
  }

  private summaryFrom(model: MaturityModel, answers: Map<string, Choice>, asker: Asker): AdaptiveCard {
    return summaryCard(this.deps.cards, { model, choices: answers, mode: modeOf(asker), inTeam: asker.kind !== 'personal' });
  }
}

/** "300" → 300, "notsure" → null (Not sure), anything else → undefined (refused). */
export function parseChoice(value: string | undefined): Choice | undefined {
  if (value === NOT_SURE_VALUE) return null;
  const level = Number(value);
  return value !== undefined && /^\d{3}$/.test(value) && isLevel(level) ? level : undefined;
}
