import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { SupportAnswerer, type HelpDeskAnswer } from '../../src/model/supportAnswerer.js';
import { tokenise, withinOneEdit } from '../../src/model/supportText.js';

const { support } = loadContent(path.resolve('content'));
const answerer = new SupportAnswerer(support);
const ask = (question: string): HelpDeskAnswer => answerer.answer(question);
const tierOf = (answer: HelpDeskAnswer) => (answer.kind === 'tier' ? answer.decision.tier.id : answer.kind);

describe('reading facts from a question', () => {
  it.each([
    ['a canvas app all 8,000 of our staff use', 'critical', '8,000 of our staff'],
    ['an app for ~5000 people', 'critical', '~5000 people'],
    ['5k users on one flow', 'critical', '5k users'],
    ['a flow that two hundred employees use', 'important', 'two hundred employees'],
    ['an app my team of five uses', 'productivity', 'team of five'],
    ['an app a dozen colleagues use', 'productivity', 'dozen colleagues'],
  ])('%s → %s, from “%s”', (question, tier, words) => {
    const answer = ask(question);
    expect(tierOf(answer)).toBe(tier);
    expect(answer.kind === 'tier' && answer.matchedOn.join(' ')).toContain(words);
  });

  it('lets words about reach win over a head-count band ("1,500 people in one department")', () => {
    expect(tierOf(ask('an app for 1,500 people in one department'))).toBe('important');
  });

  it('reads impact described in words', () => {
    expect(tierOf(ask('if it goes down the factory stops'))).toBe('critical');
    expect(tierOf(ask('our shipping app, if it breaks we lose money'))).toBe('critical');
    expect(tierOf(ask('an app for my team of four, nobody would notice if it stopped'))).toBe('productivity');
    expect(tierOf(ask('when the rota flow fails, payroll is late for everyone'))).toBe('critical');
    expect(tierOf(ask('if the booking app crashes we cannot take any orders'))).toBe('critical');
  });

  it('reads "not critical" as medium impact, never as critical', () => {
    expect(tierOf(ask("a flow for the legal department, useful but it isn't mission critical"))).toBe('important');
    expect(tierOf(ask('an app the procurement division uses, not that critical'))).toBe('important');
  });

  it('reads "nobody else" as who fixes it, not as impact', () => {
    const answer = ask('if my flow breaks, the maker who made it fixes it, nobody else does');
    expect(answer.kind === 'entry' && answer.entry.id).toBe('makers-support-own');
  });

  it('reads a solution used by one person in their own words', () => {
    expect(tierOf(ask('a flow only myself uses'))).toBe('productivity');
  });

  it('does not read a user base from words that are not about a solution', () => {
    expect(ask("what's the wifi password in the office").kind).toBe('unknown');
  });

  it('opens the form pre-filled when only considerations or escalators are given', () => {
    const answer = ask('which tier for a very complex app with patient data');
    expect(answer.kind).toBe('form');
    if (answer.kind !== 'form') return;
    expect(answer.facts).toEqual({ choices: { complexity: 'high' }, escalators: { 'sensitive-data': true } });
    expect(answer.understood).toEqual(['very complex', 'patient']);
  });
});

describe('retrieval with a confidence rule', () => {
  it('answers with the words it matched on, typos included', () => {
    const answer = ask('is ther an SLA for power aps');
    expect(answer.kind === 'entry' && answer.entry.id).toBe('sla');
    expect(answer.kind === 'entry' && answer.matchedOn).toContain('SLA');
  });

  it('offers the closest entries when it is not sure', () => {
    const answer = ask('community questions');
    expect(answer.kind).toBe('suggest');
    expect(answer.kind === 'suggest' && answer.entries.length).toBeGreaterThanOrEqual(2);
    expect(answer.kind === 'suggest' && answer.entries.length).toBeLessThanOrEqual(3);
  });

  it('lets the rule that names most of the question win, and shows every word it named', () => {
    const answer = ask("our app's response time is really slow");
    expect(answer.kind === 'entry' && answer.entry.id).toBe('solution-problem');
    expect(answer.kind === 'entry' && answer.matchedOn.join(' ')).toMatch(/response time.*slow|slow.*response time/);
  });

  it.each([
    'how many makers can one environment hold',
    'what does error code 403 mean in power apps',
    'what does level 200 of the automation maturity model look like',
  ])('does not answer a question it only half recognises: "%s"', (question) => {
    expect(['suggest', 'unknown']).toContain(ask(question).kind);
  });

  it('keeps an entry its rule rules out away from "Did you mean" too', () => {
    const answer = ask('explain the automation maturity model');
    expect(answer.kind === 'suggest' && answer.entries.map((entry) => entry.id)).not.toContain('maturity-overview');
  });

  it.each(['how do I reset my laptop password', 'tell me a joke', 'how do I add a trigger to a cloud flow', ''])(
    'says it does not know: "%s"',
    (question) => expect(ask(question).kind).toBe('unknown'),
  );
});

describe('text', () => {
  it('folds synonyms and keeps the words as typed', () => {
    const tokens = tokenise('Is the Service-Desk open 24x7?', support.questions.synonyms);
    expect(tokens.map((token) => token.word)).toEqual(['is', 'the', 'helpdesk', 'open', '24/7']);
    expect(tokens.find((token) => token.word === 'helpdesk')!.typed).toBe('Service-Desk');
  });

  it('finds typos one edit away, swaps included', () => {
    expect(withinOneEdit('ticket', 'tikcet')).toBe(true);
    expect(withinOneEdit('helpdesk', 'helpdsk')).toBe(true);
    expect(withinOneEdit('ticket', 'tickle')).toBe(false);
  });
});
