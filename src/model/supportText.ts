/**
 * How the help desk reads text: one normaliser for questions, curated phrasings, intent rules and fact rules,
 * so a rule written as "help desk" matches a question typed as "Help-Desk" or "service desk".
 */

export interface Synonym {
  canonical: string;
  variants: readonly string[];
  /**
   * Words after which a variant is not folded unless typed in capitals: "how is it supported" has a pronoun,
   * "my app is IT supported" the label.
   */
  notAfter?: readonly string[];
}

/** A word of the question as typed, with its normalised form. */
export interface Token {
  /** Normalised: lower case, no apostrophes, synonyms folded ("service desk" → "helpdesk"). */
  word: string;
  /** The words as the person typed them ("Service Desk"), shown when the answer says what it matched on. */
  typed: string;
  /** Which space-separated chunk of the question it came from ("org-wide" gives two tokens, one chunk). */
  chunk: number;
}

/** Thousands separators go ("8,000" → "8000"), apostrophes go ("can't" → "cant"), the rest of punctuation splits words. */
function words(text: string): string[] {
  return casedWords(text).map((word) => word.toLowerCase());
}

/** The words as typed, capitals kept ("IT"). */
function casedWords(text: string): string[] {
  return text
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/(\d)[,.](?=\d{3}\b)/g, '$1')
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}/&]+/u)
    .map((word) => word.replace(/^[/&]+|[/&]+$/g, ''))
    .filter(Boolean);
}

/** The question's words as typed, each with its normalised form; multi-word synonyms become one token. */
export function tokenise(text: string, synonyms: readonly Synonym[]): Token[] {
  const raw: (Token & { capitals: boolean })[] = text.split(/\s+/).flatMap((chunk, index) =>
    casedWords(chunk).map((cased) => ({
      word: cased.toLowerCase(),
      typed: chunk.replace(/^[^\p{L}\p{N}~]+|[^\p{L}\p{N}]+$/gu, ''),
      chunk: index,
      capitals: cased.length > 1 && cased === cased.toUpperCase() && cased !== cased.toLowerCase(),
    })),
  );
  const phrases = phraseTable(synonyms);
  const tokens: Token[] = [];
  for (let index = 0; index < raw.length;) {
    const hit = phrases.find(
      ({ parts, notAfter }) =>
        parts.every((part, offset) => spelt(part, raw[index + offset]?.word)) &&
        (raw[index]!.capitals || !notAfter.includes(raw[index - 1]?.word ?? '')),
    );
    if (hit) {
      const span = raw.slice(index, index + hit.parts.length);
      const typed = [...new Map(span.map((token) => [token.chunk, token.typed])).values()].join(' ');
      tokens.push({ word: hit.canonical, typed, chunk: span[0]!.chunk });
      index += hit.parts.length;
    } else {
      const { word, typed, chunk } = raw[index]!;
      tokens.push({ word, typed, chunk });
      index += 1;
    }
  }
  return tokens;
}

/** Words this long or longer also match a typo one edit away. */
const FUZZY_MIN_LENGTH = 6;

/** A synonym's word as typed: spelt right, or (for long words) with one typo ("blesed" for "blessed"). */
const spelt = (part: string, word: string | undefined) =>
  word !== undefined &&
  (word === part || (part.length >= FUZZY_MIN_LENGTH && word.length >= FUZZY_MIN_LENGTH && withinOneEdit(part, word)));

/** Variants split into words, longest first, so "it help desk" wins over "help desk". */
function phraseTable(synonyms: readonly Synonym[]) {
  return synonyms
    .flatMap((synonym) =>
      synonym.variants.map((variant) => ({ parts: words(variant), canonical: synonym.canonical, notAfter: synonym.notAfter ?? [] })),
    )
    .filter(({ parts }) => parts.length > 0)
    .sort((a, b) => b.parts.length - a.parts.length);
}

/** Normalised words only: what phrasings are indexed as and rule alternatives are written as. */
export function normalisedWords(text: string, synonyms: readonly Synonym[]): string[] {
  return tokenise(text, synonyms).map((token) => token.word);
}

/**
 * An intent or fact rule, written in content as "ticket|case|request + raise|log|open": every group (split
 * by "+") needs one of its alternatives (split by "|") somewhere in the question, and a group written with a
 * leading "-" must have none ("helpdesk + handle + -cant|never"). An alternative may be several words
 * ("not working"), which must appear in that order; a word may end in "*" to match any word it begins
 * ("escalat*" matches "escalation"). Words of six letters or more also match a typo one edit away.
 */
export interface RuleGroup {
  negated: boolean;
  alternatives: readonly (readonly string[])[];
}
export type Rule = readonly RuleGroup[];

export function parseRule(source: string, synonyms: readonly Synonym[]): Rule {
  return source.split('+').map((group) => {
    const negated = group.trim().startsWith('-');
    const alternatives = group
      .trim()
      .replace(/^-/, '')
      .split('|')
      .map((alternative) => {
        const prefix = alternative.trim().endsWith('*');
        const parts = normalisedWords(alternative.replace(/\*\s*$/, ''), synonyms);
        return prefix && parts.length > 0 ? [...parts.slice(0, -1), `${parts.at(-1)}*`] : parts;
      });
    return { negated, alternatives };
  });
}

/** Says what is wrong with a rule's text, or undefined when it is well formed. */
export function ruleProblem(source: string, synonyms: readonly Synonym[]): string | undefined {
  const rule = parseRule(source, synonyms);
  if (rule.some((group) => group.alternatives.length === 0 || group.alternatives.some((alternative) => alternative.length === 0)))
    return `"${source}" has an empty group or alternative (write groups as "a|b + c|d")`;
  return rule.every((group) => group.negated) ? `"${source}" needs at least one group that isn't negated` : undefined;
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours ("tikcet"). */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  if (start === a.length && start === b.length) return true;
  const rest = (x: number, y: number) => a.slice(start + x) === b.slice(start + y);
  return rest(1, 1) || rest(1, 0) || rest(0, 1) || (a[start] === b[start + 1] && a[start + 1] === b[start] && rest(2, 2));
}

function wordMatches(pattern: string, word: string): boolean {
  if (pattern.endsWith('*')) return word.startsWith(pattern.slice(0, -1));
  return word === pattern || (pattern.length >= FUZZY_MIN_LENGTH && word.length >= FUZZY_MIN_LENGTH - 1 && withinOneEdit(pattern, word));
}

/** Where an alternative's words appear in order, as token indexes; undefined when they don't. */
function findAlternative(alternative: readonly string[], tokens: readonly Token[]): number[] | undefined {
  for (let start = 0; start + alternative.length <= tokens.length; start++) {
    if (alternative.every((pattern, offset) => wordMatches(pattern, tokens[start + offset]!.word)))
      return alternative.map((_, offset) => start + offset);
  }
  return undefined;
}

/**
 * The token indexes of every word of the question the rule names, when it matches ("my flow's response time is
 * slow" matches on "slow" and on "response time"); undefined when it doesn't.
 */
export function matchRule(rule: Rule, tokens: readonly Token[]): number[] | undefined {
  const used: number[] = [];
  for (const group of rule) {
    const found = group.alternatives.flatMap((alternative) => findAlternative(alternative, tokens) ?? []);
    if (group.negated ? found.length > 0 : found.length === 0) return undefined;
    used.push(...found);
  }
  return [...new Set(used)].sort((a, b) => a - b);
}

/**
 * True when the rule's own words are there but one of its "-" groups rules it out: the content says this entry
 * is not meant ("the help desk can't handle…" is not a question about what it handles).
 */
export function ruledOut(rule: Rule, tokens: readonly Token[]): boolean {
  const found = (group: RuleGroup) => group.alternatives.some((alternative) => findAlternative(alternative, tokens) !== undefined);
  return (
    rule.some((group) => group.negated) &&
    rule.every((group) => group.negated || found(group)) &&
    rule.some((group) => group.negated && found(group))
  );
}

/** The typed words at these token indexes, runs joined ("whole company"), separate runs as separate phrases. */
export function typedPhrases(tokens: readonly Token[], indexes: readonly number[]): string[] {
  const phrases: string[] = [];
  let previous: Token | undefined;
  let previousIndex = -2;
  for (const index of indexes) {
    const token = tokens[index]!;
    const sameChunk = previous !== undefined && token.chunk === previous.chunk;
    if (sameChunk) {
      previousIndex = index;
      continue;
    }
    if (index === previousIndex + 1 && phrases.length > 0) phrases[phrases.length - 1] += ` ${token.typed}`;
    else phrases.push(token.typed);
    previous = token;
    previousIndex = index;
  }
  return phrases;
}
