import type { SupportContent } from './supportContent.js';
import { matchRule, parseRule, typedPhrases, type Rule, type Synonym, type Token } from './supportText.js';

type TierMatrix = SupportContent['tiers'];

/** A fact read from a question, with the words that said it ("8,000 of our staff"). */
export interface ReadFact {
  choice: string;
  evidence: string;
}

/** What a question says about a solution: a choice per criterion and the escalators it mentions. */
export interface QuestionFacts {
  choices: Readonly<Record<string, ReadFact>>;
  escalators: Readonly<Record<string, string>>;
  /** The question talks about a solution or its support, so its facts are about one ("the office" alone is not). */
  aboutASolution: boolean;
  /** The token indexes of the words the facts were read from. */
  indexes: readonly number[];
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, dozen: 12, dozens: 24, hundred: 100, hundreds: 200,
  thousand: 1000, thousands: 2000,
}; // prettier-ignore

/** "8000", "5k", "two hundred", "a dozen": the number starting at this token and how many tokens it spans. */
function numberAt(tokens: readonly Token[], start: number): { value: number; length: number } | undefined {
  const digits = /^(\d+)(k)?$/.exec(tokens[start]?.word ?? '');
  if (digits) {
    const base = Number(digits[1]) * (digits[2] ? 1000 : 1);
    const scale = NUMBER_WORDS[tokens[start + 1]?.word ?? ''];
    return scale !== undefined && scale >= 100 ? { value: base * scale, length: 2 } : { value: base, length: 1 };
  }
  let value = 0;
  let length = 0;
  for (let index = start; NUMBER_WORDS[tokens[index]?.word ?? ''] !== undefined; index++) {
    const word = NUMBER_WORDS[tokens[index]!.word]!;
    value = word >= 100 ? Math.max(value, 1) * word : value + word;
    length += 1;
  }
  return length > 0 ? { value, length } : undefined;
}

/** "8,000 of our staff", "5000 people", "a team of five": the largest head-count in the question, with its words. */
function headCount(tokens: readonly Token[], people: ReadonlySet<string>): { count: number; indexes: number[] } | undefined {
  let best: { count: number; indexes: number[] } | undefined;
  for (let start = 0; start < tokens.length; start++) {
    const number = numberAt(tokens, start);
    if (!number) continue;
    const end = start + number.length;
    const before = tokens[start - 1]?.word === 'of' && tokens[start - 2]?.word === 'team';
    // The people word follows within a few words ("8000 of our staff", "5000 people across").
    const after = [0, 1, 2, 3].map((offset) => end + offset).find((index) => people.has(tokens[index]?.word ?? ''));
    if (!before && after === undefined) continue;
    const indexes = before ? [start - 2, start - 1] : [];
    for (let index = start; index <= (after ?? end - 1); index++) indexes.push(index);
    if (!best || number.value > best.count) best = { count: number.value, indexes };
  }
  return best;
}

/** The fact-reading rules of the content, parsed once. */
export interface FactReader {
  read(tokens: readonly Token[]): QuestionFacts;
}

export function factReader(matrix: TierMatrix, synonyms: readonly Synonym[]): FactReader {
  const { facts } = matrix;
  const people = new Set(facts.people);
  const context = parseRule(facts.context, synonyms);
  const signals = facts.signals.map((signal) => ({ ...signal, parsed: signal.rules.map((rule) => parseRule(rule, synonyms)) }));
  const firstMatch = (rules: readonly Rule[], tokens: readonly Token[]) =>
    rules.map((rule) => matchRule(rule, tokens)).find((indexes) => indexes !== undefined);

  return {
    read(tokens) {
      const choices: Record<string, ReadFact> = {};
      const escalators: Record<string, string> = {};
      const used: number[] = [];
      for (const signal of signals) {
        const key = 'criterion' in signal ? signal.criterion : signal.escalator;
        if (key in choices || key in escalators) continue;
        const indexes = firstMatch(signal.parsed, tokens);
        if (!indexes) continue;
        used.push(...indexes);
        const evidence = typedPhrases(tokens, indexes).join(' … ');
        if ('criterion' in signal) choices[signal.criterion] = { choice: signal.choice, evidence };
        else escalators[signal.escalator] = evidence;
      }
      // A head-count decides the user base only when no words about reach did ("one department of 1,500").
      const count = headCount(tokens, people);
      const { criterion, bands } = facts.headCount;
      if (count) {
        const band = bands.find((candidate) => candidate.upTo === undefined || count.count <= candidate.upTo)!;
        const words = typedPhrases(tokens, count.indexes).join(' ');
        used.push(...count.indexes);
        const said = choices[criterion];
        if (!said) choices[criterion] = { choice: band.choice, evidence: words };
        else if (said.choice === band.choice) choices[criterion] = { ...said, evidence: `${words} … ${said.evidence}` };
      }
      return { choices, escalators, aboutASolution: matchRule(context, tokens) !== undefined, indexes: [...new Set(used)] };
    },
  };
}
