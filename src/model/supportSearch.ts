import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import { statementIn, supportLevels, type QuestionEntry, type SupportContent } from './supportContent.js';
import { normalisedWords, type Token } from './supportText.js';

/** Words that say nothing about which answer is meant. */
const STOP_WORDS = new Set(
  `a about am an and any are as at be been being but by can could did do does doing for from get gets got had has have having
  he her here hers him his how i if im in into is it its itself just let me more most my no nor not of off on once only or
  other our ours out own please she should so some such than that thats the their theirs them then there these they this
  those to too under until up very was we were what whats when where which while who whom why will with would you your
  yours us ive id youre dont cant hi hello hey thanks thank tell know want need really also still like much many next way powerplatform wat wot ther teh hw u ur pls plz`.split(
    /\s+/,
  ),
);

/** One entry retrieval found, with how much of the question it accounts for. */
export interface SearchHit {
  entry: QuestionEntry;
  score: number;
  /** The share of the question's meaningful words (weighted by how rare they are) that this entry matched. */
  coverage: number;
  /** The question's terms this entry matched, each with its credit (1, or less for a typo or a prefix). */
  credits: ReadonlyMap<string, number>;
  /** The question's words, as typed, that matched. */
  matched: string[];
}

interface IndexedText {
  id: number;
  entryId: string;
  text: string;
}

const FUZZY_CREDIT = 0.5;

const termOf = (word: string): string | null => (STOP_WORDS.has(word) ? null : stemmer(word));

/**
 * BM25 retrieval over the entries' titles, curated phrasings and source statements (MiniSearch), typo-tolerant
 * (fuzzy and prefix matching), built once from content. Results are per entry: its best text's score.
 */
export class SupportSearch {
  private readonly index: MiniSearch<IndexedText>;
  private readonly entries: ReadonlyMap<string, QuestionEntry>;
  /** How many entries use each term: a rare term says more about which entry is meant. */
  private readonly entryFrequency = new Map<string, number>();

  constructor(support: SupportContent) {
    const { entries, synonyms } = support.questions;
    this.entries = new Map(entries.map((entry) => [entry.id, entry]));
    const levels = supportLevels(support);
    const texts = entries.flatMap((entry) => {
      const statement = entry.statement ? statementIn(levels, entry.statement)?.indicator.text : undefined;
      return [entry.title, ...entry.phrasings, ...(statement ? [statement] : [])].map((text) => ({ entryId: entry.id, text }));
    });
    this.index = new MiniSearch<IndexedText>({
      fields: ['text'],
      storeFields: ['entryId'],
      tokenize: (text) => normalisedWords(text, synonyms),
      processTerm: termOf,
      searchOptions: {
        // One typo in a word of four letters or more, two from nine; shorter words must be spelt right.
        // Only for words the content doesn't use as they are, which also keeps a question's search fast.
        fuzzy: (term) =>
          this.entryFrequency.has(term) ? false : term.length >= 9 ? 0.22 : term.length >= 4 ? 1 / term.length + 0.01 : false,
        prefix: (term) => !this.entryFrequency.has(term) && term.length >= 5,
        weights: { fuzzy: 0.6, prefix: 0.4 },
        combineWith: 'OR',
      },
    });
    this.index.addAll(texts.map((text, id) => ({ id, ...text })));
    for (const entry of entries) {
      const terms = new Set(
        texts.filter((text) => text.entryId === entry.id).flatMap((text) => this.termsOf(normalisedWords(text.text, synonyms))),
      );
      for (const term of terms) this.entryFrequency.set(term, (this.entryFrequency.get(term) ?? 0) + 1);
    }
  }

  private termsOf(words: readonly string[]): string[] {
    return words.map(termOf).filter((term): term is string => term !== null);
  }

  /** Rare terms weigh more; a word the content never uses weighs most, so an unknown question covers little. */
  private weight(term: string): number {
    return Math.log((this.entries.size + 1) / ((this.entryFrequency.get(term) ?? 0) + 0.5));
  }

  /** The question's meaningful terms, once each. */
  private meaningful(tokens: readonly Token[]): string[] {
    return [...new Set(tokens.flatMap((token) => termOf(token.word) ?? []))];
  }

  /** The share of the question's meaningful words, weighted by rarity, that these credited terms account for. */
  coverage(tokens: readonly Token[], credits: ReadonlyMap<string, number>): number {
    const meaningful = this.meaningful(tokens);
    const total = meaningful.reduce((sum, term) => sum + this.weight(term), 0);
    if (total === 0) return 0;
    return meaningful.reduce((sum, term) => sum + (credits.get(term) ?? 0) * this.weight(term), 0) / total;
  }

  /** How much the credited terms say, however long the question: the sum of their rarity weights. */
  evidence(credits: ReadonlyMap<string, number>): number {
    return [...credits].reduce((sum, [term, credit]) => sum + credit * this.weight(term), 0);
  }

  /** Credits for question words an intent rule matched: full credit, added to what retrieval matched. */
  withTokens(credits: ReadonlyMap<string, number>, tokens: readonly Token[]): Map<string, number> {
    const combined = new Map(credits);
    for (const term of this.termsOf(tokens.map((token) => token.word))) combined.set(term, 1);
    return combined;
  }

  /** Entries for a tokenised question, best first. */
  search(tokens: readonly Token[]): SearchHit[] {
    const terms = tokens.map((token) => ({ token, term: termOf(token.word) }));
    const meaningful = this.meaningful(tokens);
    if (meaningful.length === 0) return [];
    // A query term matched only through a typo or a prefix counts half: "weather" is not "whether".
    const byEntry = new Map<string, { score: number; best: number; matchedTerms: Map<string, number> }>();
    for (const result of this.index.search(meaningful.join(' '), { tokenize: (query) => query.split(' '), processTerm: (term) => term })) {
      const entryId = result['entryId'] as string;
      const hit = byEntry.get(entryId) ?? { score: 0, best: 0, matchedTerms: new Map<string, number>() };
      hit.score = Math.max(hit.score, result.score);
      const own = new Map<string, number>();
      for (const term of result.queryTerms) {
        const credit = term in result.match ? 1 : FUZZY_CREDIT;
        own.set(term, Math.max(credit, own.get(term) ?? 0));
        hit.matchedTerms.set(term, Math.max(credit, hit.matchedTerms.get(term) ?? 0));
      }
      hit.best = Math.max(hit.best, this.coverage(tokens, own));
      byEntry.set(entryId, hit);
    }
    return [...byEntry]
      .map(([entryId, hit]) => ({
        entry: this.entries.get(entryId)!,
        score: hit.score,
        coverage: hit.best,
        credits: hit.matchedTerms,
        matched: [...new Set(terms.filter(({ term }) => term !== null && hit.matchedTerms.has(term)).map(({ token }) => token.typed))],
      }))
      .sort((a, b) => b.score - a.score);
  }
}
