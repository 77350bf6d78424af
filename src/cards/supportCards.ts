import { z } from 'zod';
import { LEVEL_NAMES } from '../model/content.js';
import { levelBar, levelName } from '../model/levels.js';
import { roundLabel } from '../model/round.js';
import type { CapabilityScore } from '../model/scoring.js';
import { found } from '../model/collections.js';
import { statementIn, supportLevels, TIER_IDS, type QuestionEntry, type SupportContent } from '../model/supportContent.js';
import type { TierDecision, TierFacts, TierReason } from '../model/supportTier.js';
import type { SupportCountRow, UnansweredQuestion } from '../store/supportStatsStore.js';
import { markdownLinks } from './assessmentCards.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

const YES = 'yes';
const shortText = z.string().max(200);
const idText = z.string().max(80);

/**
 * What an answer card carries so a 👍/👎 can count it and show the same answer again: the entry and the words
 * it matched on, or the facts that decided a tier. Sent back as JSON text and checked like any card data.
 */
export const answerKeySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('entry'), entry: idText, matchedOn: z.array(shortText).max(12) }),
  z.strictObject({
    kind: z.literal('tier'),
    from: z.enum(['question', 'form']),
    solution: z.string().max(80),
    choices: z.record(idText, idText),
    escalators: z.record(idText, z.boolean()),
    evidence: z.record(idText, shortText),
  }),
]);
export type AnswerKey = z.infer<typeof answerKeySchema>;

const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .max(4000)
    .transform((text, context) => {
      try {
        const value: unknown = JSON.parse(text);
        return value;
      } catch {
        context.addIssue({ code: 'custom', message: 'is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** Facts to pre-fill the tier form with: choice ids per criterion, yes per escalator. */
const prefillSchema = z.strictObject({ choices: z.record(idText, idText), escalators: z.record(idText, z.boolean()) });

/**
 * What the tier form may send: its own input ids, built from the matrix in content/. Strict, so a
 * submission with anything else is refused; missing answers are named by checkTierFacts instead.
 */
export function tierSubmissionSchema(support: SupportContent) {
  const { criteria, escalators } = support.tiers;
  return z.strictObject({
    verb: z.literal('tier'),
    solution: z.string().trim().max(80).optional(),
    ...Object.fromEntries(criteria.map((criterion) => [criterion.id, z.string().max(80).optional()])),
    ...Object.fromEntries(escalators.map((escalator) => [escalator.id, z.enum([YES, 'no']).optional()])),
  });
}

/** Everything a help-desk card may send: the tier form (perhaps pre-filled), its answer, a "Did you mean" pick, a rating. */
export function supportActionSchema(support: SupportContent) {
  const entryIds = support.questions.entries.map((entry) => entry.id) as [string, ...string[]];
  return z.union([
    z.strictObject({ verb: z.literal('support'), prefill: z.union([z.literal(''), jsonText(prefillSchema)]).optional() }),
    tierSubmissionSchema(support),
    z.strictObject({ verb: z.literal('supportpick'), entry: z.enum(entryIds) }),
    z.strictObject({ verb: z.literal('supportrate'), vote: z.enum(['up', 'down']), answer: jsonText(answerKeySchema) }),
  ]);
}
export type SupportAction = z.infer<ReturnType<typeof supportActionSchema>>;

export interface TierSubmission {
  solution: string;
  facts: TierFacts;
}

export function tierSubmissionOf(support: SupportContent, data: Record<string, unknown>): TierSubmission {
  const { criteria, escalators } = support.tiers;
  const field = (id: string) => {
    const value = data[id];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    solution: field('solution') ?? '',
    facts: {
      choices: Object.fromEntries(
        criteria.flatMap((criterion) => {
          const choice = field(criterion.id);
          return choice ? [[criterion.id, choice]] : [];
        }),
      ),
      escalators: Object.fromEntries(
        escalators.flatMap((escalator) => (field(escalator.id) ? [[escalator.id, field(escalator.id) === YES]] : [])),
      ),
    },
  };
}

export interface TierFormView {
  submission?: TierSubmission;
  /** What went wrong with a submission, named for the person. */
  notice?: string;
  /** What a typed question already said, in its words. */
  understood?: readonly string[];
}

export function supportTierFormCard(cards: CardRenderer, support: SupportContent, view: TierFormView = {}): AdaptiveCard {
  const { criteria, escalators } = support.tiers;
  const facts = view.submission?.facts;
  const understood = view.understood ?? [];
  return cards.render('supportTierForm', {
    intro: `Answer ${criteria.length} questions about the solution and ${escalators.length} about its users and data, and I'll name its tier from Microsoft's tiers of applications.`,
    understood:
      understood.length > 0
        ? `From your question I've filled in what you told me (${understood.map((words) => `“${words}”`).join(', ')}). Check it and answer the rest.`
        : '',
    notice: view.notice ?? '',
    escalatorNote: support.tiers.rule.escalatorNote,
    solution: view.submission?.solution ?? '',
    criteria: criteria.map((criterion) => ({
      id: criterion.id,
      label: criterion.label,
      value: facts?.choices[criterion.id] ?? '',
      choices: criterion.choices,
    })),
    escalators: escalators.map((escalator) => {
      const answer = facts?.escalators[escalator.id];
      return { id: escalator.id, label: escalator.label, value: answer === undefined ? '' : answer ? YES : 'no' };
    }),
  });
}

const tierHeading = (tier: TierDecision['tier']) => `${tier.supportLabel} (${tier.name})`;
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const reasonLine = (reason: TierReason) => `${reason.evidence ? `“${reason.evidence}”: ` : ''}${capitalise(reason.reason)}.`;

export interface FeedbackView {
  key: AnswerKey;
  /** The rating already given on this card, if any. */
  given?: 'up' | 'down';
}

function feedbackData(feedback: FeedbackView) {
  return {
    answer: JSON.stringify(feedback.key),
    given:
      feedback.given === undefined
        ? ''
        : `Thanks: noted as ${feedback.given === 'up' ? 'helpful' : 'not helpful'}. The CoE sees these counts and uses them to improve the answers.`,
  };
}

export interface TierAnswerView {
  solution: string;
  decision: TierDecision;
  /** From a typed question: the words that decided, and the facts to pre-fill the form with. */
  fromQuestion?: { matchedOn: readonly string[]; facts: TierFacts };
  feedback: FeedbackView;
}

export function supportTierAnswerCard(cards: CardRenderer, support: SupportContent, view: TierAnswerView): AdaptiveCard {
  const { decision, fromQuestion } = view;
  const { tier } = decision;
  const { requirements } = tier;
  const { rule } = support.tiers;
  const isTop = tier.id === TIER_IDS.at(-1);
  return cards.render('supportTierAnswer', {
    solutionLine: view.solution
      ? `Support level for ${view.solution}`
      : fromQuestion
        ? 'Support level for the solution in your question'
        : 'Support level for this solution',
    tierHeading: tierHeading(tier),
    meaning: tier.meaning,
    decisive: decision.decisive.map((reason) => ({ text: reasonLine(reason) })),
    mixedLine: decision.mixed
      ? `The deciding answers (${rule.decidedByName}) pointed to different tiers; the higher one wins, so the solution gets the support it may need. That tie-break is a cautious default, not in Microsoft's guidance.`
      : '',
    liftedLine: decision.lifted.length > 0 ? support.tiers.rule.escalatorNote : '',
    missingLine:
      fromQuestion && decision.missing.length > 0 && !isTop
        ? `Your question didn't say: ${decision.missing.map((label) => `“${label}”`).join(', ')}. If the answer points higher, so does the tier: check all the facts below.`
        : '',
    considerations: decision.considerations.map((reason) => ({ text: reasonLine(reason) })),
    requirements: [
      { label: 'Application lifecycle management', text: requirements.alm },
      { label: 'Environments', text: requirements.environments },
      { label: 'Maker permissions', text: requirements.makerPermissions },
      { label: 'IT involvement', text: requirements.itInvolvement },
      { label: 'Who supports it', text: requirements.supportModel },
      { label: isTop ? 'At the top tier' : 'Moving to the next tier', text: requirements.graduation },
    ],
    links: markdownLinks([...tier.links, ...support.tiers.source], 4),
    matrixNote: rule.matrix.owner === 'organisation' ? `${rule.matrix.name}: ${rule.matrix.note}` : rule.matrix.note,
    mappingNote: support.tiers.mappingNote,
    matchedLine: fromQuestion ? `${matchedLine(fromQuestion.matchedOn)} These are the facts I read from it.` : '',
    feedback: feedbackData(view.feedback),
    checkTitle: fromQuestion ? 'Check all the facts' : 'Ask another',
    prefill: fromQuestion ? JSON.stringify(fromQuestion.facts) : '',
  });
}

export interface SupportLevelView {
  support: SupportContent;
  score: CapabilityScore | undefined;
  respondents: number;
  minimum: number;
  /** The person asking has answered the support question already. */
  answered: boolean;
}

/** The organisation's support maturity, read for the help desk: what it handles, who backs it up, SLAs. */
export function supportLevelCard(cards: CardRenderer, view: SupportLevelView): AdaptiveCard {
  const { support, score } = view;
  const level = score?.level ?? null;
  const links = markdownLinks(support.model.source, 2);
  const basisLine = `From the latest answers of ${view.respondents} ${view.respondents === 1 ? 'person' : 'people'} in your organisation`;
  if (level === null) {
    const so = score?.respondents ?? view.respondents;
    return cards.render('supportLevel', {
      basisLine,
      withheld: true,
      withheldLine:
        `The level appears once ${view.minimum} people have answered the support question — ${so} so far.` +
        (view.answered ? ' Yours is counted; ask colleagues to type **support maturity** too.' : ' Type **support maturity** to answer it.'),
      levelLine: '',
      bar: '',
      spreadLine: '',
      helpDesk: [],
      nextHeading: '',
      next: [],
      links,
    });
  }
  const helpDesk = found(
    support.helpDesk.find((entry) => entry.level === level),
    `The help desk's reading of support level ${level}`,
  );
  const next = supportLevels(support).find((entry) => entry.level === level + 100);
  return cards.render('supportLevel', {
    basisLine,
    withheld: false,
    withheldLine: '',
    levelLine: levelName(level),
    bar: levelBar(level),
    spreadLine:
      score && score.lowest !== score.highest
        ? `Answers from ${score.lowest} to ${score.highest}: people see support differently, which is worth a conversation.`
        : '',
    helpDesk: [
      { label: 'What the help desk is prepared to handle', text: helpDesk.prepared },
      { label: 'Where extended support comes from', text: helpDesk.extendedSupport },
      { label: 'SLAs', text: helpDesk.sla },
    ],
    nextHeading: next ? `What ${levelName(next.level)} asks for` : '',
    next: (next?.indicators ?? []).map((indicator) => ({ text: indicator.text })),
    links,
  });
}

function entryHeading(support: SupportContent, entry: QuestionEntry): string {
  const { about } = entry;
  if (about.kind === 'level') return `Support maturity ${about.level} · ${LEVEL_NAMES[about.level]}`;
  if (about.kind === 'tier') return tierHeading(found(support.tiers.tiers.find((tier) => tier.id === about.tier), `Support tier ${about.tier}`));
  return entry.title;
}

/** The seed 004 statement an entry answers, quoted with its level. */
function statementOf(support: SupportContent, entry: QuestionEntry): string {
  if (!entry.statement) return '';
  const { level, indicator } = found(statementIn(supportLevels(support), entry.statement), `Seed 004 statement ${JSON.stringify(entry.statement)}`);
  return `Support maturity ${levelName(level.level)}: “${indicator.text}”`;
}

const matchedLine = (words: readonly string[]) =>
  words.length > 0 ? `I matched your question on: ${words.map((word) => `“${word}”`).join(', ')}.` : 'You picked this answer.';

export interface EntryAnswerView {
  entry: QuestionEntry;
  matchedOn: readonly string[];
  feedback: FeedbackView;
}

export function supportAnswerCard(cards: CardRenderer, support: SupportContent, view: EntryAnswerView): AdaptiveCard {
  const { entry } = view;
  const heading = entryHeading(support, entry);
  return cards.render('supportAnswer', {
    heading,
    subheading: heading === entry.title ? '' : entry.title,
    statement: statementOf(support, entry),
    answer: entry.answer,
    links: markdownLinks(entry.links),
    matchedLine: matchedLine(view.matchedOn),
    feedback: feedbackData(view.feedback),
  });
}

/** "Did you mean…": the closest entries as buttons, and the words they were closest on. */
export function supportSuggestCard(cards: CardRenderer, entries: readonly QuestionEntry[], matchedOn: readonly string[]): AdaptiveCard {
  return cards.render('supportSuggest', {
    intro: "I'm not sure I understood. Is your question about one of these?",
    suggestions: entries.map((entry) => ({ id: entry.id, title: entry.title })),
    matchedLine: `Closest on: ${matchedOn.map((word) => `“${word}”`).join(', ')}.`,
    otherwise: 'None of these? Type **help** for what I can do, or ask again in other words.',
  });
}

export interface SupportStatsView {
  support: SupportContent;
  months: readonly string[];
  counts: readonly SupportCountRow[];
  /** Undefined when question texts aren't kept (or not shown here). */
  questions: readonly UnansweredQuestion[] | undefined;
  keepsQuestions: boolean;
  /** Question texts are shown only in a personal chat, never where others read. */
  personal: boolean;
  /** Keys counted beside the entries. */
  keys: { unanswered: string; suggested: string; tierFromQuestion: string; tierFromForm: string };
}

/** For CoE admins: what the help desk was asked per month, what it couldn't answer, and how people rated answers. */
export function supportStatsCard(cards: CardRenderer, view: SupportStatsView): AdaptiveCard {
  const { counts, keys, support } = view;
  const special = new Set(Object.values(keys));
  const titleOf = (key: string) =>
    support.questions.entries.find((entry) => entry.id === key)?.title ??
    (key === keys.tierFromQuestion ? 'Tier named from the facts in a question' : key === keys.tierFromForm ? 'Tier from the tier form' : key);
  const months = [...view.months].reverse().map((month) => {
    const rows = counts.filter((row) => row.month === month);
    const sum = (pick: (row: SupportCountRow) => number, filter: (row: SupportCountRow) => boolean) =>
      rows.filter(filter).reduce((total, row) => total + pick(row), 0);
    const answered = sum((row) => row.asked, (row) => !special.has(row.key) || row.key === keys.tierFromQuestion || row.key === keys.tierFromForm);
    const unanswered = sum((row) => row.asked, (row) => row.key === keys.unanswered);
    const suggested = sum((row) => row.asked, (row) => row.key === keys.suggested);
    const up = sum((row) => row.up, () => true);
    const down = sum((row) => row.down, () => true);
    return {
      label: roundLabel(month),
      line: `${answered} answered · ${unanswered} unanswered · ${suggested} "Did you mean" · 👍 ${up} · 👎 ${down}`,
    };
  });
  const current = view.months.at(-1);
  const entries = counts
    .filter((row) => row.month === current && row.key !== keys.unanswered && row.key !== keys.suggested)
    .sort((a, b) => b.down - a.down || b.asked - a.asked)
    .slice(0, 10)
    .map((row) => ({ text: `${titleOf(row.key)}: asked ${row.asked}, 👍 ${row.up}, 👎 ${row.down}` }));
  const questions = view.questions ?? [];
  return cards.render('supportStats', {
    intro: `Counts for your organisation, month by month. Nobody's name is kept with a question or a rating.`,
    months,
    entriesHeading: current ? `Answers this month (${roundLabel(current)}), least helpful first` : "",
    entries,
    questionsHeading: view.questions ? (questions.length > 0 ? 'Questions I couldn’t answer this month' : 'No unanswered questions kept this month') : '',
    questions: questions.map((question) => ({ text: question.text })),
    privacyLine: !view.keepsQuestions
      ? 'The text of unanswered questions isn’t kept: an admin can turn that on with SUPPORT_KEEP_UNANSWERED (see the README).'
      : view.personal
        ? 'Unanswered questions are kept word for word because SUPPORT_KEEP_UNANSWERED is on; they are shown only in a personal chat.'
        : 'Unanswered questions are kept (SUPPORT_KEEP_UNANSWERED is on). Type **support stats** in your personal chat with me to read them; they are never shown in a channel or group chat.',
  });
}
