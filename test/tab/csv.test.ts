import { describe, expect, it } from 'vitest';
import type { Choice, MemberAnswers } from '../../src/model/scoring.js';
import { csvCell, csvText, teamCsv } from '../../src/tab/csv.js';
import { scoreRounds } from '../../src/tab/dashboardView.js';
import { fixtureModel } from '../support/fixtures.js';
import { parseCsv } from './csvParser.js';

const member = (memberId: string, choices: Record<string, Choice>): MemberAnswers => ({
  memberId,
  choices: new Map(Object.entries(choices)),
});

describe('csvCell and csvText', () => {
  it('quotes cells with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('Discover & Plan')).toBe('Discover & Plan');
    expect(csvCell('Build, test')).toBe('"Build, test"');
    expect(csvCell('the "best" one')).toBe('"the ""best"" one"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(300)).toBe('300');
    expect(csvCell(null)).toBe('');
  });

  it('keeps a spreadsheet from running text as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
  });

  it('ends every row with CRLF and reads back to the same cells', () => {
    const rows = [
      ['a', 'b, c', 'say "hi"'],
      ['line\r\nbreak', '', '=1'],
    ];
    const text = csvText(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['line\r\nbreak', '', "'=1"],
    ]);
  });
});

describe('teamCsv', () => {
  const model = fixtureModel(['alpha', 'beta', 'gamma']);
  model.capabilities[1]!.title = 'Beta, "the second"';

  const rounds = scoreRounds(
    model,
    [
      { round: '2026-09', members: [] },
      { round: '2026-10', members: [member('mia', { alpha: 300 }), member('noah', { alpha: 200 })] },
      {
        round: '2026-11',
        members: [
          member('mia', { alpha: 300, beta: 200, gamma: null }),
          member('noah', { alpha: 400, beta: null, gamma: null }),
          member('ola', { alpha: 200, beta: 500 }),
        ],
      },
    ],
    3,
  );
  const rows = parseCsv(teamCsv(model, rounds));

  it('has one row per round and capability, oldest round first, capabilities in content order', () => {
    expect(rows[0]).toEqual(['round', 'capability', 'level', 'lowest', 'highest', 'respondents', 'status']);
    expect(rows.slice(1).map((row) => `${row[0]} ${row[1]}`)).toEqual([
      '2026-09 Capability alpha',
      '2026-09 Beta, "the second"',
      '2026-09 Capability gamma',
      '2026-10 Capability alpha',
      '2026-10 Beta, "the second"',
      '2026-10 Capability gamma',
      '2026-11 Capability alpha',
      '2026-11 Beta, "the second"',
      '2026-11 Capability gamma',
    ]);
  });

  it('shows the median level and spread where enough people answered', () => {
    expect(rows[7]).toEqual(['2026-11', 'Capability alpha', '300', '200', '400', '3', 'shown']);
  });

  it('keeps withheld rounds and capabilities without levels, and says why', () => {
    expect(rows[4]).toEqual(['2026-10', 'Capability alpha', '', '', '', '2', 'withheld: 2 of 3 people needed have answered']);
    expect(rows[8]).toEqual(['2026-11', 'Beta, "the second"', '', '', '', '2', 'withheld: fewer than 3 answers']);
    expect(rows[9]).toEqual(['2026-11', 'Capability gamma', '', '', '', '0', 'no answers']);
    expect(rows[1]).toEqual(['2026-09', 'Capability alpha', '', '', '', '0', 'no answers']);
  });

  it('never contains a member id', () => {
    const text = teamCsv(model, rounds);
    for (const id of ['mia', 'noah', 'ola']) expect(text).not.toContain(id);
  });
});
