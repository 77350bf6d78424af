import {
  supportActionSchema,
  supportAnswerCard,
  supportLevelCard,
  supportStatsCard,
  supportSuggestCard,
  supportTierAnswerCard,
  supportTierFormCard,
  tierSubmissionOf,
  type AnswerKey,
  type FeedbackView,
} from '../cards/supportCards.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import type { SupportContent } from '../model/supportContent.js';
import { SupportAnswerer } from '../model/supportAnswerer.js';
import { decide, decideTier, TierFactsError } from '../model/supportTier.js';
import { countRespondents, scoreCapability } from '../model/scoring.js';
import type { AnswerStore } from '../store/answerStore.js';
import { SUGGESTED, TIER_FROM_FORM, TIER_FROM_QUESTION, UNANSWERED, type SupportLearning } from './supportLearning.js';

export interface SupportDeskDeps {
  support: SupportContent;
  store: AnswerStore;
  cards: CardRenderer;
  learning: SupportLearning;
  minRespondents: number;
}

export const DONT_KNOW =
  "I don't know the answer to that one. Type **support** and I'll work out which support level a solution needs, **support level** for your organisation's support maturity, or **help** for everything I can do.";

/** A reply to a typed question: a card, or plain words. */
export type SupportReply = { card: AdaptiveCard } | { text: string };

/** Months shown by `support stats`. */
const STATS_MONTHS = 3;

/**
 * The help desk's questions, independent of the Teams SDK: facts in, cards out. It stores nobody's answers;
 * it counts, per organisation and month, which answers it gave, how they were rated and what it couldn't answer.
 */
export class SupportDesk {
  private readonly actionSchema;
  private readonly answerer: SupportAnswerer;

  constructor(private readonly deps: SupportDeskDeps) {
    this.actionSchema = supportActionSchema(deps.support);
    this.answerer = new SupportAnswerer(deps.support);
  }

  tierForm(): AdaptiveCard {
    return supportTierFormCard(this.deps.cards, this.deps.support);
  }

  /**
   * A help-desk card action: the tier form (perhaps pre-filled), a tier submission's answer (or the form again,
   * naming what is missing), a "Did you mean" pick, or a 👍/👎. Undefined when the data is not something these
   * cards send.
   */
  act(tenantId: string, data: Record<string, unknown>): AdaptiveCard | undefined {
    const parsed = this.actionSchema.safeParse(data);
    if (!parsed.success) return undefined;
    const action = parsed.data;
    const { cards, support, learning } = this.deps;
    switch (action.verb) {
      case 'support':
        return action.prefill
          ? supportTierFormCard(cards, support, { submission: { solution: '', facts: action.prefill } })
          : this.tierForm();
      case 'supportpick': {
        const key: AnswerKey = { kind: 'entry', entry: action.entry, matchedOn: [] };
        learning.count(tenantId, action.entry, { asked: 1 });
        return this.render(key, undefined);
      }
      case 'supportrate':
        if (!this.render(action.answer, undefined)) return undefined;
        learning.count(tenantId, this.countKey(action.answer), action.vote === 'up' ? { up: 1 } : { down: 1 });
        return this.render(action.answer, action.vote);
      case 'tier': {
        const submission = tierSubmissionOf(support, data);
        try {
          decideTier(support.tiers, submission.facts);
        } catch (error) {
          if (!(error instanceof TierFactsError)) throw error;
          return supportTierFormCard(cards, support, { submission, notice: `${error.problems.join(' ')} Nothing else changed.` });
        }
        learning.count(tenantId, TIER_FROM_FORM, { asked: 1 });
        const { choices, escalators } = submission.facts;
        return this.render({ kind: 'tier', from: 'form', solution: submission.solution, choices, escalators, evidence: {} }, undefined);
      }
    }
  }

  private countKey(key: AnswerKey): string {
    if (key.kind === 'entry') return key.entry;
    return key.from === 'form' ? TIER_FROM_FORM : TIER_FROM_QUESTION;
  }

  /** An answer card from its key (as first given, or again after a rating); undefined for a key that names nothing. */
  private render(key: AnswerKey, given: FeedbackView['given']): AdaptiveCard | undefined {
    const { cards, support } = this.deps;
    const feedback: FeedbackView = given ? { key, given } : { key };
    if (key.kind === 'entry') {
      const entry = support.questions.entries.find((candidate) => candidate.id === key.entry);
      return entry && supportAnswerCard(cards, support, { entry, matchedOn: key.matchedOn, feedback });
    }
    const facts = { choices: key.choices, escalators: key.escalators };
    if (key.from === 'form') {
      try {
        return supportTierAnswerCard(cards, support, { solution: key.solution, decision: decideTier(support.tiers, facts), feedback });
      } catch (error) {
        if (error instanceof TierFactsError) return undefined;
        throw error;
      }
    }
    const decision = decide(support.tiers, facts, key.evidence);
    if (!decision) return undefined;
    return supportTierAnswerCard(cards, support, {
      solution: '',
      decision,
      fromQuestion: { matchedOn: Object.values(key.evidence), facts },
      feedback,
    });
  }

  /** The organisation's support maturity from each member's latest answer, withheld below the minimum. */
  async level(tenantId: string, memberId: string): Promise<AdaptiveCard> {
    const { support, minRespondents } = this.deps;
    const members = await this.deps.store.latestInTenant(tenantId, support.model.id);
    const respondents = countRespondents(support.model, members);
    const score = respondents >= minRespondents ? scoreCapability(support.model.capabilities[0]!, members, minRespondents) : undefined;
    const capabilityId = support.model.capabilities[0]!.id;
    const answered = members.some((member) => member.memberId === memberId && member.choices.get(capabilityId) !== undefined);
    return supportLevelCard(this.deps.cards, { support, score, respondents, minimum: minRespondents, answered });
  }

  /** A question in the help desk's own words: an answer, the tier (form), "Did you mean", or "I don't know". */
  async answer(tenantId: string, question: string): Promise<SupportReply> {
    const { cards, support, learning } = this.deps;
    const answer = this.answerer.answer(question);
    switch (answer.kind) {
      case 'entry': {
        learning.count(tenantId, answer.entry.id, { asked: 1 });
        return { card: this.render({ kind: 'entry', entry: answer.entry.id, matchedOn: answer.matchedOn }, undefined)! };
      }
      case 'tier': {
        learning.count(tenantId, TIER_FROM_QUESTION, { asked: 1 });
        const { choices, escalators } = answer.facts;
        return {
          card: supportTierAnswerCard(cards, support, {
            solution: '',
            decision: answer.decision,
            fromQuestion: { matchedOn: answer.matchedOn, facts: answer.facts },
            feedback: { key: { kind: 'tier', from: 'question', solution: '', choices, escalators, evidence: answer.evidence } },
          }),
        };
      }
      case 'form':
        learning.count(tenantId, 'tier-check', { asked: 1 });
        return {
          card: supportTierFormCard(cards, support, { submission: { solution: '', facts: answer.facts }, understood: answer.understood }),
        };
      case 'suggest':
        learning.count(tenantId, SUGGESTED, { asked: 1 });
        return { card: supportSuggestCard(cards, answer.entries, answer.matchedOn) };
      case 'unknown':
        await learning.unanswered(tenantId, question);
        return { text: DONT_KNOW };
    }
  }

  /** For CoE admins: the last months' counts, and (in a personal chat, if kept) this month's unanswered questions. */
  async stats(tenantId: string, personal: boolean): Promise<AdaptiveCard> {
    const { learning } = this.deps;
    const report = await learning.report(tenantId, STATS_MONTHS, personal);
    return supportStatsCard(this.deps.cards, {
      support: this.deps.support,
      ...report,
      keepsQuestions: learning.keepsQuestions,
      personal,
      keys: { unanswered: UNANSWERED, suggested: SUGGESTED, tierFromQuestion: TIER_FROM_QUESTION, tierFromForm: TIER_FROM_FORM },
    });
  }
}
