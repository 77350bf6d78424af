import type { MaturityModel } from './content.js';
import { csvText } from './csv.js';
import type { OrgFigures, OrgRollup, Reference } from './orgRollup.js';

export const ORG_CSV_HEADER = [
  'section',
  'round',
  'team',
  'capability',
  'group',
  'level',
  'mean',
  'lowest',
  'highest',
  'respondents',
  'teams',
  'target',
  'gap',
  'status',
] as const;

type Cell = string | number | null;
type Row = Record<(typeof ORG_CSV_HEADER)[number], Cell>;

const NOT_ENOUGH = 'not enough answers';
const OVERALL = 'Overall';

function row(fields: Partial<Row>): Cell[] {
  return ORG_CSV_HEADER.map((column) => fields[column] ?? null);
}

const targetOf = (reference: Reference | undefined) => (reference?.kind === 'target' ? reference.level : null);

/** The organisation's figures of one month (the current one, or a trend point), one row per capability and the overall. */
function figureRows(model: MaturityModel, figures: OrgFigures, section: string, references: readonly Reference[]): Cell[][] {
  const rows = figures.capabilities.map((entry) => {
    const title = model.capabilities.find((capability) => capability.id === entry.capabilityId)?.title ?? entry.capabilityId;
    const target = targetOf(references.find((reference) => reference.capabilityId === entry.capabilityId));
    const { figure } = entry;
    if (!figure) return row({ section, round: figures.round, capability: title, teams: entry.teams, target, status: NOT_ENOUGH });
    return row({
      section,
      round: figures.round,
      capability: title,
      level: figure.level,
      mean: figure.mean,
      lowest: figure.lowest,
      highest: figure.highest,
      respondents: figure.respondents,
      teams: entry.teams,
      target,
      gap: target === null ? null : Math.max(0, (target - figure.level) / 100),
      status: 'shown',
    });
  });
  const { overall } = figures;
  rows.push(
    row({
      section,
      round: figures.round,
      capability: OVERALL,
      level: overall.level,
      mean: overall.mean,
      respondents: figures.respondents || null,
      teams: figures.teams.shown,
      status: overall.level === null ? NOT_ENOUGH : `weakest of ${overall.basedOn} capabilities`,
    }),
  );
  return rows;
}

/**
 * Everything the Organisation view shows, as one CSV: the organisation per capability, the heat map, the
 * perception gap, where to act first and the trend. Aggregates only: no person's id or answers, and no value
 * from fewer than the minimum respondents (withheld teams are a row that says so, with no numbers).
 */
export function orgCsv(model: MaturityModel, rollup: OrgRollup, trend: readonly OrgFigures[]): string {
  const { figures, references } = rollup;
  const round = figures.round;
  const title = (id: string) => model.capabilities.find((capability) => capability.id === id)?.title ?? id;
  const rows: Cell[][] = [[...ORG_CSV_HEADER]];
  rows.push(...figureRows(model, figures, 'organisation', references));
  for (const team of rollup.heatMap) {
    if (team.status === 'withheld') {
      rows.push(row({ section: 'heat map', round, team: team.name, capability: OVERALL, status: NOT_ENOUGH }));
      continue;
    }
    rows.push(
      row({
        section: 'heat map',
        round,
        team: team.name,
        capability: OVERALL,
        level: team.overall,
        respondents: team.respondents,
        gap: team.gap,
        status: 'shown',
      }),
    );
    for (const capability of model.capabilities) {
      const cell = team.cells.get(capability.id);
      const target = targetOf(references.find((reference) => reference.capabilityId === capability.id));
      rows.push(
        cell
          ? row({
              section: 'heat map',
              round,
              team: team.name,
              capability: capability.title,
              level: cell.level,
              lowest: cell.lowest,
              highest: cell.highest,
              respondents: cell.respondents,
              target,
              gap: target === null ? null : Math.max(0, (target - cell.level) / 100),
              status: 'shown',
            })
          : row({ section: 'heat map', round, team: team.name, capability: capability.title, target, status: NOT_ENOUGH }),
      );
    }
  }
  for (const gap of figures.perception) {
    const capability = title(gap.capabilityId);
    if (gap.status === 'withheld') {
      rows.push(row({ section: 'perception gap', round, capability, status: 'not enough answers from both CoE admins and everyone else' }));
      continue;
    }
    for (const [group, figure] of [
      ['CoE admins', gap.coe],
      ['everyone else', gap.others],
    ] as const) {
      rows.push(
        row({
          section: 'perception gap',
          round,
          capability,
          group,
          level: figure.level,
          mean: figure.mean,
          lowest: figure.lowest,
          highest: figure.highest,
          respondents: figure.respondents,
          gap: gap.gap,
          status: 'shown',
        }),
      );
    }
  }
  for (const entry of rollup.actFirst.teamsBehind) {
    for (const team of entry.teams) {
      rows.push(
        row({
          section: 'act first: teams behind',
          round,
          team: team.name,
          capability: title(entry.capabilityId),
          level: team.level,
          target: entry.reference.level,
          gap: team.gap,
          status: entry.reference.kind === 'target' ? 'below the target' : "below the organisation's level",
        }),
      );
    }
  }
  for (const entry of rollup.actFirst.stuck) {
    rows.push(
      row({
        section: 'act first: where teams are stuck',
        round,
        capability: title(entry.capabilityId),
        target: entry.reference.level,
        teams: entry.below,
        status: `${entry.below} of ${entry.teams} teams below the ${entry.reference.kind === 'target' ? 'target' : "organisation's level"}; the weakest capability of ${entry.holdsBack}`,
      }),
    );
  }
  for (const point of trend) rows.push(...figureRows(model, point, 'trend', []));
  return csvText(rows);
}
