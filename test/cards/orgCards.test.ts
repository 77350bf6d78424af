import { describe, expect, it } from 'vitest';
import { CARD_TEAMS } from '../../src/cards/orgCards.js';
import { MAX_CARD_BYTES } from '../../src/cards/templates.js';
import { cardText } from '../support/botHarness.js';
import { loadCardSamples } from '../support/cardSamples.js';

const samples = loadCardSamples().samples.filter((sample) => sample.template === 'orgResult');
const text = (name: string) => cardText(samples.find((sample) => sample.name === name)!.card);

describe('the organisation card', () => {
  it('stays far under the 28 KB limit with a thousand teams, listing the teams furthest behind and naming the rest on the dashboard', () => {
    const many = samples.find((sample) => sample.name === 'orgResult-many-teams')!;
    expect(Buffer.byteLength(JSON.stringify(many.card))).toBeLessThan(MAX_CARD_BYTES / 2);
    expect(text('orgResult-many-teams')).toContain(`Teams furthest from the aim (${CARD_TEAMS} of 800)`);
    expect(text('orgResult-many-teams')).toMatch(/Not enough answers yet: .+ and 195 more\./);
    expect(text('orgResult-many-teams')).toContain('under Organisation');
  });

  it('names withheld teams without any figure, shows targets, the trend and the perception gap', () => {
    const card = text('orgResult-teams');
    expect(card).toContain('2 teams without enough answers yet');
    expect(card).toMatch(/Not enough answers yet: Contoso Region 9 · .+, IT · Platform team\./);
    expect(card).toContain('target 300: 1 level to go');
    expect(card).toMatch(/= \d00 in October/);
    expect(card).toContain('How the CoE and everyone else see it');
    expect(card).toMatch(/CoE \*\*\d00\*\* · everyone else \*\*\d00\*\*/);
  });

  it('says plainly when there is nothing to show and how teams get there, and which month it fell back to', () => {
    const card = text('orgResult-empty');
    expect(card).toContain('Nothing to show yet: no team has answers from 3 people this month.');
    expect(card).toContain('type **assess** there, or **pulse on** for the monthly pulse');
    expect(card).not.toContain('not enough answers');
    expect(card).not.toContain('How the CoE and everyone else see it');
    expect(text('orgResult-fell-back')).toContain('Nothing to show for December 2026 yet, so this is November 2026.');
  });
});
