import type { QuestionEntry, SupportContent } from './supportContent.js';
import { factReader, type FactReader, type QuestionFacts } from './supportFacts.js';
import { SupportSearch, type SearchHit } from './supportSearch.js';
import { matchRule, parseRule, ruledOut, tokenise, typedPhrases, type Rule, type Token } from './supportText.js';
import { decide, type TierDecision, type TierFacts } from './supportTier.js';

/** What the help desk makes of a typed question. Every answer says which of the person's words decided it. */
export type HelpDeskAnswer =
  | { kind: 'entry'; entry: QuestionEntry; matchedOn: string[] }
  /** The question's facts decided the solution's tier. */
  | { kind: 'tier'; decision: TierDecision; facts: TierFacts; matchedOn: string[]; evidence: Record<string, string> }
  /** The tier form, pre-filled with what the question said. */
  | { kind: 'form'; facts: TierFacts; understood: string[] }
  /** Not sure: the closest entries, for the person to pick. */
  | { kind: 'suggest'; entries: QuestionEntry[]; matchedOn: string[] }
  | { kind: 'unknown' };

/**
 * The confidence rule. Retrieval alone answers when its best entry accounts for most of the question
 * (`answerCoverage` of its meaningful words, weighted by rarity, typos counting half), says enough (the rarity
 * weights of its matched words add up to `answerEvidence`: more than one word the content uses once, or several
 * common ones) and scores `margin` times the next entry. An intent rule's entry is answered unless retrieval is
 * confident about another entry and accounts for `overruleBy` more of the question. Below that, a question whose
 * best entries cover at least `suggestCoverage` gets "Did you mean" with up to `suggestions` entries; anything
 * less, "I don't know". Tuned on the tuning, fresh-1, fresh-2 and fresh-3a parts of the evaluation set
 * (test/helpdesk/evalSet*.ts), never on held-out or fresh-3b.
 */
export const CONFIDENCE = {
  answerCoverage: 0.5,
  margin: 1.25,
  answerEvidence: 4,
  overruleBy: 0.1,
  suggestCoverage: 0.4,
  suggestions: 3,
} as const;

const isTierish = (entry: QuestionEntry) => entry.about.kind === 'tier' || entry.about.kind === 'tier-check';

interface RuleHit {
  entry: QuestionEntry;
  indexes: number[];
  /** How much of the question the rule's words and retrieval's matches on this entry account for. */
  coverage: number;
}

/** The help desk's reading of questions, built once from content at start-up. */
export class SupportAnswerer {
  private readonly search: SupportSearch;
  private readonly facts: FactReader;
  private readonly rules: ReadonlyArray<{ entry: QuestionEntry; rules: Rule[] }>;

  constructor(private readonly support: SupportContent) {
    const { synonyms, entries } = support.questions;
    this.search = new SupportSearch(support);
    this.facts = factReader(support.tiers, synonyms);
    this.rules = entries.map((entry) => ({ entry, rules: entry.rules.map((rule) => parseRule(rule, synonyms)) }));
  }

  answer(question: string): HelpDeskAnswer {
    const tokens = tokenise(question, this.support.questions.synonyms);
    const facts = this.facts.read(tokens);
    const hits = this.search.search(tokens);
    const ruled = this.ruleHits(tokens, hits);
    const tierFacts = toTierFacts(facts);
    const understood = this.understood(facts);

    const deciding = this.support.tiers.rule.decidedBy.some((id) => id in facts.choices);
    // An intent rule for anything but the tier check itself ("share my app with everyone" is about graduation),
    // unless the facts account for more of the question ("when the flow fails, payroll is late" is about impact).
    const factCoverage = this.search.coverage(
      tokens,
      this.search.withTokens(
        new Map(),
        facts.indexes.map((index) => tokens[index]!),
      ),
    );
    const specific = ruled.find((hit) => hit.entry.about.kind !== 'tier-check' && hit.coverage >= factCoverage);
    if (deciding && facts.aboutASolution && !specific) {
      const evidence = evidenceOf(facts);
      const decision = decide(this.support.tiers, tierFacts, evidence)!;
      return { kind: 'tier', decision, facts: tierFacts, matchedOn: understood, evidence };
    }
    const candidates = this.notRuledOut(tokens, hits, ruled);
    const chosen = this.choose(tokens, ruled, candidates);
    if (chosen) {
      if (chosen.entry.about.kind === 'tier-check') return { kind: 'form', facts: tierFacts, understood };
      return { kind: 'entry', ...chosen };
    }
    const hasFacts = Object.keys(tierFacts.choices).length + Object.keys(tierFacts.escalators).length > 0;
    if (hasFacts && facts.aboutASolution && hits[0] && isTierish(hits[0].entry)) return { kind: 'form', facts: tierFacts, understood };
    const close = candidates.filter((hit) => hit.coverage >= CONFIDENCE.suggestCoverage).slice(0, CONFIDENCE.suggestions);
    if (close.length === 0) return { kind: 'unknown' };
    return { kind: 'suggest', entries: close.map((hit) => hit.entry), matchedOn: [...new Set(close.flatMap((hit) => hit.matched))] };
  }

  /**
   * Entries whose intent rule matched, the most specific first: the one whose rule and retrieval together account
   * for most of the question (a rule matched on "weekends" says more than one matched on "does"), then the one
   * retrieval ranks higher.
   */
  private ruleHits(tokens: readonly Token[], hits: readonly SearchHit[]): RuleHit[] {
    const rank = (entry: QuestionEntry) => {
      const index = hits.findIndex((hit) => hit.entry === entry);
      return index === -1 ? hits.length : index;
    };
    return this.rules
      .flatMap(({ entry, rules }) => {
        const indexes = rules.map((rule) => matchRule(rule, tokens)).find((found) => found !== undefined);
        if (!indexes) return [];
        const retrieved = hits.find((hit) => hit.entry === entry)?.credits ?? new Map<string, number>();
        const credits = this.search.withTokens(
          retrieved,
          indexes.map((index) => tokens[index]!),
        );
        return [{ entry, indexes, coverage: this.search.coverage(tokens, credits) }];
      })
      .sort((a, b) => b.coverage - a.coverage || rank(a.entry) - rank(b.entry));
  }

  /** Retrieval's hits less the entries whose rules the question's words rule out, and no other rule matched. */
  private notRuledOut(tokens: readonly Token[], hits: readonly SearchHit[], ruled: readonly RuleHit[]): SearchHit[] {
    const out = new Set(
      this.rules
        .filter(({ entry, rules }) => !ruled.some((hit) => hit.entry === entry) && rules.some((rule) => ruledOut(rule, tokens)))
        .map(({ entry }) => entry),
    );
    return out.size === 0 ? [...hits] : hits.filter((hit) => !out.has(hit.entry));
  }

  /**
   * The most specific intent rule answers, unless retrieval is confident on its own about another entry and
   * accounts for more of the question than the rule does.
   */
  private choose(tokens: readonly Token[], ruled: readonly RuleHit[], hits: readonly SearchHit[]) {
    const retrieved = this.confident(hits);
    const rule = ruled[0];
    if (!rule) return retrieved && { entry: retrieved.hit.entry, matchedOn: retrieved.hit.matched };
    if (retrieved && retrieved.hit.entry !== rule.entry && retrieved.hit.coverage > rule.coverage + CONFIDENCE.overruleBy)
      return { entry: retrieved.hit.entry, matchedOn: retrieved.hit.matched };
    return { entry: rule.entry, matchedOn: typedPhrases(tokens, rule.indexes) };
  }

  private confident(hits: readonly SearchHit[]): { hit: SearchHit } | undefined {
    const [top, next] = hits;
    if (!top || top.coverage < CONFIDENCE.answerCoverage) return undefined;
    // "how many users can a canvas app have": all of a question of common words is still too little to go on.
    if (this.search.evidence(top.credits) < CONFIDENCE.answerEvidence) return undefined;
    if (next && top.score < next.score * CONFIDENCE.margin) return undefined;
    return { hit: top };
  }

  /** "8,000 of our staff (a large or enterprise-wide user base)": what the question said, in its words. */
  private understood(facts: QuestionFacts): string[] {
    const { criteria, escalators } = this.support.tiers;
    return [
      ...criteria.flatMap((criterion) => {
        const fact = facts.choices[criterion.id];
        return fact ? [fact.evidence] : [];
      }),
      ...escalators.flatMap((escalator) => (facts.escalators[escalator.id] ? [facts.escalators[escalator.id]!] : [])),
    ];
  }
}

function toTierFacts(facts: QuestionFacts): TierFacts {
  return {
    choices: Object.fromEntries(Object.entries(facts.choices).map(([id, fact]) => [id, fact.choice])),
    escalators: Object.fromEntries(Object.keys(facts.escalators).map((id) => [id, true])),
  };
}

function evidenceOf(facts: QuestionFacts): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(facts.choices).map(([id, fact]) => [id, fact.evidence])),
    ...facts.escalators,
  };
}
