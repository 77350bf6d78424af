import {
  supportActionSchema,
  supportAnswerCard,
  supportLevelCard,
  supportTierAnswerCard,
  supportTierFormCard,
  tierSubmissionOf,
} from '../cards/supportCards.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import type { SupportContent } from '../model/supportContent.js';
import { matchQuestion } from '../model/supportMatcher.js';
import { decideTier, TierFactsError } from '../model/supportTier.js';
import { countRespondents, scoreCapability } from '../model/scoring.js';
import type { AnswerStore } from '../store/answerStore.js';

export interface SupportDeskDeps {
  support: SupportContent;
  store: AnswerStore;
  cards: CardRenderer;
  minRespondents: number;
}

export const DONT_KNOW =
  "I don't know the answer to that one. Type **support** and I'll work out which support level a solution needs, **support level** for your organisation's support maturity, or **help** for everything I can do.";

/** The help desk's questions, independent of the Teams SDK: facts in, cards out. Nothing here is stored. */
export class SupportDesk {
  private readonly actionSchema;

  constructor(private readonly deps: SupportDeskDeps) {
    this.actionSchema = supportActionSchema(deps.support);
  }

  tierForm(): AdaptiveCard {
    return supportTierFormCard(this.deps.cards, this.deps.support);
  }

  /**
   * A help-desk card action: the tier form, or for a tier submission the answer card (or the form again,
   * naming what is missing). Undefined when the data is not something these cards send.
   */
  act(data: Record<string, unknown>): AdaptiveCard | undefined {
    const parsed = this.actionSchema.safeParse(data);
    if (!parsed.success) return undefined;
    if (parsed.data.verb === 'support') return this.tierForm();
    const submission = tierSubmissionOf(this.deps.support, data);
    try {
      return supportTierAnswerCard(
        this.deps.cards,
        this.deps.support,
        submission.solution,
        decideTier(this.deps.support.tiers, submission.facts),
      );
    } catch (error) {
      if (!(error instanceof TierFactsError)) throw error;
      return supportTierFormCard(this.deps.cards, this.deps.support, {
        submission,
        notice: `${error.problems.join(' ')} Nothing else changed.`,
      });
    }
  }

  /** The organisation's support maturity from each member's latest answer, withheld below the minimum. */
  async level(tenantId: string): Promise<AdaptiveCard> {
    const { support, minRespondents } = this.deps;
    const members = await this.deps.store.latestInTenant(tenantId, support.model.id);
    const respondents = countRespondents(support.model, members);
    const score = respondents >= minRespondents ? scoreCapability(support.model.capabilities[0]!, members, minRespondents) : undefined;
    return supportLevelCard(this.deps.cards, { support, score, respondents, minimum: minRespondents });
  }

  /** A question in the help desk's own words: an answer card, the tier form, or undefined for "I don't know". */
  answer(question: string): AdaptiveCard | undefined {
    const match = matchQuestion(question, this.deps.support.questions);
    if (!match) return undefined;
    if (match.entry.about.kind === 'tier-check') return this.tierForm();
    return supportAnswerCard(this.deps.cards, this.deps.support, match);
  }
}
