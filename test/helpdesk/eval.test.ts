/**
 * Holds the help desk's floor on the evaluation set (test/helpdesk/evalSet.ts), through the same SupportAnswerer
 * the bot uses: ≥ 85% top-1 on answerable questions and at most 1 confident answer per 16 out-of-scope questions,
 * on the tuning part, the held-out part and the fresh parts tuned on (fresh-3b stays out of every test, so no one
 * tunes on it by making a test pass). `npm run eval:helpdesk` prints the same figures measured at
 * the HTTP endpoint, with latency.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { SupportAnswerer } from '../../src/model/supportAnswerer.js';
import { HELD_OUT, TUNING, type EvalCase } from './evalSet.js';
import { FRESH_1, FRESH_2, FRESH_3, FRESH_3A } from './evalSetFresh.js';
import { figures, score } from './evaluate.js';
import { observeAnswer } from './observe.js';

const answerer = new SupportAnswerer(loadContent(path.resolve('content')).support);
const run = (set: readonly EvalCase[]) =>
  figures(set.map((evalCase) => score(evalCase, observeAnswer(answerer.answer(evalCase.question)))));

describe('the evaluation set', () => {
  it('has at least 150 questions, 16 of them out of scope, each with a reason', () => {
    const all = [...TUNING, ...HELD_OUT, ...FRESH_1, ...FRESH_2, ...FRESH_3];
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(all.filter((evalCase) => evalCase.expect.kind === 'unknown').length).toBeGreaterThanOrEqual(16);
    expect(HELD_OUT.filter((evalCase) => evalCase.expect.kind === 'unknown').length).toBeGreaterThanOrEqual(16);
    for (const evalCase of all) expect(evalCase.why, evalCase.question).toMatch(/\S/);
    expect(new Set(all.map((evalCase) => evalCase.question.toLowerCase())).size).toBe(all.length);
  });

  it('names only entries the content has', () => {
    const ids = new Set(loadContent(path.resolve('content')).support.questions.entries.map((entry) => entry.id));
    for (const evalCase of [...TUNING, ...HELD_OUT, ...FRESH_1, ...FRESH_2, ...FRESH_3])
      if ('entry' in evalCase.expect && evalCase.expect.entry) expect(ids, evalCase.question).toContain(evalCase.expect.entry);
  });
});

describe.each([
  ['tuning', TUNING],
  ['held-out', HELD_OUT],
  ['fresh-1', FRESH_1],
  ['fresh-2', FRESH_2],
  ['fresh-3a', FRESH_3A],
] as const)('the help desk on the %s part', (_name, set) => {
  const result = run(set);
  it('answers at least 85% of answerable questions right (top-1)', () => {
    expect(result.top1 / result.answerable).toBeGreaterThanOrEqual(0.85);
  });
  it('is confidently wrong on at most 1 in 16 out-of-scope questions', () => {
    expect(result.confidentlyWrongOutOfScope).toBeLessThanOrEqual(Math.floor(result.outOfScope / 16));
  });
});
