/** Scores the help desk against the evaluation set: shared by the floor test and `npm run eval:helpdesk`. */
import type { EvalCase } from './evalSet.js';

/** What the help desk did with one question, as a person would see it. */
export type Observed =
  | { kind: 'answer'; entryId?: string; level?: number; tier?: string }
  | { kind: 'form' }
  | { kind: 'suggest'; entryIds: string[] }
  | { kind: 'unknown' };

export interface Outcome {
  case: EvalCase;
  observed: Observed;
  /** Answered (or opened the form, or said "I don't know") as expected. */
  right: boolean;
  /** Gave an answer (or the form) where the expectation was a different one, or "unknown". */
  confidentlyWrong: boolean;
  /** Offered the right entry among "Did you mean" buttons. */
  offered: boolean;
}

export function score(evalCase: EvalCase, observed: Observed): Outcome {
  const { expect } = evalCase;
  const entryOk = (entryId: string | undefined) => !('entry' in expect) || expect.entry === undefined || expect.entry === entryId;
  let right = false;
  if (observed.kind === 'answer') {
    if (expect.kind === 'level') right = observed.level === expect.level && entryOk(observed.entryId);
    else if (expect.kind === 'tier') right = observed.tier === expect.tier && entryOk(observed.entryId);
    else if (expect.kind === 'guide') right = observed.entryId === expect.entry;
  } else if (observed.kind === 'form') right = expect.kind === 'form';
  else if (observed.kind === 'unknown') right = expect.kind === 'unknown';
  const confident = observed.kind === 'answer' || observed.kind === 'form';
  const offered =
    observed.kind === 'suggest' && 'entry' in expect && expect.entry !== undefined && observed.entryIds.includes(expect.entry);
  return { case: evalCase, observed, right, confidentlyWrong: confident && !right, offered };
}

export interface Figures {
  answerable: number;
  top1: number;
  outOfScope: number;
  correctDontKnow: number;
  confidentlyWrongOutOfScope: number;
  confidentlyWrongAnswerable: number;
  offeredInDidYouMean: number;
}

export function figures(outcomes: readonly Outcome[]): Figures {
  const answerable = outcomes.filter((outcome) => outcome.case.expect.kind !== 'unknown');
  const outOfScope = outcomes.filter((outcome) => outcome.case.expect.kind === 'unknown');
  return {
    answerable: answerable.length,
    top1: answerable.filter((outcome) => outcome.right).length,
    outOfScope: outOfScope.length,
    correctDontKnow: outOfScope.filter((outcome) => outcome.right).length,
    confidentlyWrongOutOfScope: outOfScope.filter((outcome) => outcome.confidentlyWrong).length,
    confidentlyWrongAnswerable: answerable.filter((outcome) => outcome.confidentlyWrong).length,
    offeredInDidYouMean: answerable.filter((outcome) => outcome.offered).length,
  };
}

const percent = (part: number, whole: number) => `${whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10}%`;

export function describe(name: string, result: Figures): string {
  return [
    `${name}:`,
    `  top-1 on answerable questions: ${result.top1}/${result.answerable} (${percent(result.top1, result.answerable)})`,
    `  correct "don't know" on out-of-scope questions: ${result.correctDontKnow}/${result.outOfScope} (${percent(result.correctDontKnow, result.outOfScope)})`,
    `  confidently wrong on out-of-scope questions: ${result.confidentlyWrongOutOfScope}/${result.outOfScope}`,
    `  confidently wrong on answerable questions: ${result.confidentlyWrongAnswerable}/${result.answerable}`,
    `  right answer offered under "Did you mean": ${result.offeredInDidYouMean}`,
  ].join('\n');
}

export function describeMiss(outcome: Outcome): string {
  const { expect } = outcome.case;
  const expected = JSON.stringify(expect);
  return `  ✗ "${outcome.case.question}"\n      expected ${expected}\n      got      ${JSON.stringify(outcome.observed)}`;
}
