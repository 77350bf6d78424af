import type { QuestionEntry, SupportQuestions } from './supportContent.js';

export interface QuestionMatch {
  entry: QuestionEntry;
  /** The canonical words that selected the entry, shown so the answer explains itself. */
  matchedOn: string[];
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Lower case, punctuation to spaces (keeping & / - inside words), single spaces. */
export function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}&/\-\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** Folds every variant into its canonical word, longest variants first so phrases win over their words. */
export function applySynonyms(text: string, synonyms: SupportQuestions['synonyms']): string {
  const pairs = synonyms
    .flatMap((synonym) => synonym.variants.map((variant) => ({ variant: normalise(variant).trim(), canonical: synonym.canonical })))
    .sort((a, b) => b.variant.length - a.variant.length);
  let folded = normalise(text);
  for (const { variant, canonical } of pairs) {
    folded = folded.replace(new RegExp(` ${escapeRegExp(variant)}(?= )`, 'g'), ` ${canonical}`);
  }
  return folded;
}

/**
 * Matches a typed question against the support content: an entry matches when every one of its groups
 * has a word in the question; the entry with the most groups wins, ties go to the earlier entry.
 * Returns undefined when nothing matches, so the bot can say plainly that it does not know.
 */
export function matchQuestion(question: string, questions: SupportQuestions): QuestionMatch | undefined {
  const words = new Set(applySynonyms(question, questions.synonyms).trim().split(' '));
  let best: QuestionMatch | undefined;
  for (const entry of questions.entries) {
    const matchedOn = entry.match.map((group) => group.find((word) => words.has(word)));
    if (matchedOn.some((word) => word === undefined)) continue;
    if (!best || entry.match.length > best.entry.match.length) best = { entry, matchedOn: matchedOn as string[] };
  }
  return best;
}
