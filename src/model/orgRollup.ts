import { LEVELS, type Level, type MaturityModel } from './content.js';
import { isNonEmpty, lowestLevel, spreadOf, type Choice, type Targets } from './scoring.js';

/**
 * The organisation's maturity for the CoE: every team side by side, the organisation's level, where to act first
 * and the gap between how the CoE and everyone else see each capability.
 *
 * The privacy rule, applied once, at the source: a team's answers enter the organisation's figures only through
 * the cells that team shows (team at or above the minimum respondents, capability at or above it too). A team
 * below the minimum contributes nothing at all, not even a count, so no organisation figure, or the difference
 * between two of them, depends on its answers.
 */

/** One member's current answers in one team round, with when each was given (ISO time). */
export interface DatedMemberAnswers {
  memberId: string;
  choices: ReadonlyMap<string, Choice>;
  answeredAt: ReadonlyMap<string, string>;
}

/** A team's level for one capability, shown because at least the minimum answered it. */
export interface TeamCell {
  level: Level;
  lowest: Level;
  highest: Level;
  respondents: number;
}

/** One member's answers that count for the organisation: only those in cells the team shows. */
export interface Contribution {
  /** Stable per person within a tenant, so someone who answers in two teams counts once. */
  who: string;
  /** A CoE admin when the team's summary was computed (see the README: who counts as CoE). */
  coe: boolean;
  /** Capability id → level and when it was given (epoch ms). */
  answers: ReadonlyMap<string, { level: Level; at: number }>;
}

/** What the organisation roll-up keeps of one team round. A withheld team keeps nothing but that it is withheld. */
export type TeamSummary =
  | { status: 'withheld' }
  | { status: 'shown'; respondents: number; cells: ReadonlyMap<string, TeamCell>; contributions: readonly Contribution[] };

function cellOf(levels: readonly [Level, ...Level[]]): TeamCell {
  return { ...spreadOf(levels), respondents: levels.length };
}

/**
 * One team round, summarised for the organisation: the same rule as the team's own result (respondents who chose
 * at least one level; per capability, members who chose a level), and nothing kept of what it does not show.
 */
export function summariseTeam(
  model: MaturityModel,
  members: readonly DatedMemberAnswers[],
  isCoe: (memberId: string) => boolean,
  minimum: number,
): TeamSummary {
  const ids = model.capabilities.map((capability) => capability.id);
  const answering = members.filter((member) => ids.some((id) => isChosen(member.choices.get(id))));
  if (answering.length < minimum) return { status: 'withheld' };
  const cells = new Map<string, TeamCell>();
  for (const id of ids) {
    const levels = answering.flatMap((member) => chosen(member.choices.get(id)));
    if (levels.length >= minimum && isNonEmpty(levels)) cells.set(id, cellOf(levels));
  }
  const contributions = answering.flatMap((member): Contribution[] => {
    const answers = new Map<string, { level: Level; at: number }>();
    for (const id of cells.keys()) {
      const choice = member.choices.get(id);
      if (isChosen(choice)) answers.set(id, { level: choice, at: Date.parse(member.answeredAt.get(id) ?? '') || 0 });
    }
    return answers.size === 0 ? [] : [{ who: member.memberId, coe: isCoe(member.memberId), answers }];
  });
  return { status: 'shown', respondents: answering.length, cells, contributions };
}

const isChosen = (choice: Choice | undefined): choice is Level => choice !== undefined && choice !== null;
const chosen = (choice: Choice | undefined): Level[] => (isChosen(choice) ? [choice] : []);

/** A team as the roll-up reads it: its name as Teams gives it, and its summary for the month. */
export interface TeamRow {
  scopeId: string;
  name: string;
  summary: TeamSummary;
}

/**
 * Summaries as stored may predate a change of the minimum: anything below today's minimum is dropped here,
 * so a higher MIN_RESPONDENTS applies at once, to every month.
 */
export function applyMinimum(summary: TeamSummary, minimum: number): TeamSummary {
  if (summary.status === 'withheld') return summary;
  if (summary.respondents < minimum) return { status: 'withheld' };
  const cells = new Map([...summary.cells].filter(([, cell]) => cell.respondents >= minimum));
  const contributions = summary.contributions.flatMap((contribution) => {
    const answers = new Map([...contribution.answers].filter(([id]) => cells.has(id)));
    return answers.size === 0 ? [] : [{ ...contribution, answers }];
  });
  return { ...summary, cells, contributions };
}

/** The organisation's figure for one capability, or one group of respondents' figure. */
export interface GroupFigure {
  level: Level;
  mean: number;
  lowest: Level;
  highest: Level;
  respondents: number;
  /** How many respondents chose 100, 200, 300, 400 and 500. */
  distribution: readonly number[];
}

export interface OrgCapabilityFigure {
  capabilityId: string;
  /** Null when fewer than the minimum respondents can be counted for it. */
  figure: GroupFigure | null;
  /** Teams that show a level for this capability. */
  teams: number;
}

export type PerceptionGap =
  | {
      capabilityId: string;
      status: 'shown';
      coe: GroupFigure;
      others: GroupFigure;
      /** CoE mean minus everyone else's, in levels. */ gap: number;
    }
  | { capabilityId: string; status: 'withheld' };

/** The organisation's figures for one month: what a snapshot keeps, for the trend. No team and no person is in it. */
export interface OrgFigures {
  round: string;
  minimum: number;
  /** People counted in at least one shown cell (each once, however many teams they answered in). */
  respondents: number;
  /** Teams that show a result; teams with some answers but fewer than the minimum. */
  teams: { shown: number; withheld: number };
  capabilities: OrgCapabilityFigure[];
  overall: { level: Level | null; mean: number | null; basedOn: number };
  perception: PerceptionGap[];
}

function groupFigure(levels: readonly [Level, ...Level[]]): GroupFigure {
  return {
    ...spreadOf(levels),
    mean: Math.round(levels.reduce((sum, level) => sum + level, 0) / levels.length),
    respondents: levels.length,
    distribution: LEVELS.map((level) => levels.filter((value) => value === level).length),
  };
}

/**
 * Each person's latest counted answer per capability across the teams (the same person in two channels counts
 * once, with the answer they gave last), with whether they are CoE. Only shown cells' answers are in the input.
 */
function latestAnswers(rows: readonly TeamRow[], capabilityId: string): { level: Level; coe: boolean }[] {
  const latest = new Map<string, { level: Level; at: number; coe: boolean }>();
  for (const row of rows) {
    if (row.summary.status !== 'shown') continue;
    for (const contribution of row.summary.contributions) {
      const answer = contribution.answers.get(capabilityId);
      if (!answer) continue;
      const seen = latest.get(contribution.who);
      if (!seen || answer.at > seen.at) latest.set(contribution.who, { ...answer, coe: contribution.coe });
    }
  }
  return [...latest.values()];
}

/** The organisation's figures for one month, from its teams' summaries. */
export function orgFigures(model: MaturityModel, round: string, rows: readonly TeamRow[], minimum: number): OrgFigures {
  const summaries = rows.map((row) => ({ ...row, summary: applyMinimum(row.summary, minimum) }));
  const shown = summaries.filter((row) => row.summary.status === 'shown');
  const people = new Set(
    shown.flatMap((row) => (row.summary.status === 'shown' ? row.summary.contributions.map((entry) => entry.who) : [])),
  );
  const capabilities: OrgCapabilityFigure[] = [];
  const perception: PerceptionGap[] = [];
  for (const capability of model.capabilities) {
    const answers = latestAnswers(shown, capability.id);
    const levels = answers.map((answer) => answer.level);
    capabilities.push({
      capabilityId: capability.id,
      figure: levels.length >= minimum && isNonEmpty(levels) ? groupFigure(levels) : null,
      teams: shown.filter((row) => row.summary.status === 'shown' && row.summary.cells.has(capability.id)).length,
    });
    const coe = answers.filter((answer) => answer.coe).map((answer) => answer.level);
    const others = answers.filter((answer) => !answer.coe).map((answer) => answer.level);
    // Both groups or neither: one group's figure beside the organisation's would give the other away.
    if (coe.length >= minimum && others.length >= minimum && isNonEmpty(coe) && isNonEmpty(others)) {
      const coeFigure = groupFigure(coe);
      const othersFigure = groupFigure(others);
      perception.push({
        capabilityId: capability.id,
        status: 'shown',
        coe: coeFigure,
        others: othersFigure,
        gap: Math.round((coeFigure.mean - othersFigure.mean) / 10) / 10,
      });
    } else perception.push({ capabilityId: capability.id, status: 'withheld' });
  }
  const levels = capabilities.flatMap((entry) => (entry.figure ? [entry.figure.level] : []));
  return {
    round,
    minimum,
    respondents: people.size >= minimum ? people.size : 0,
    teams: { shown: shown.length, withheld: summaries.length - shown.length },
    capabilities,
    overall:
      levels.length === 0
        ? { level: null, mean: null, basedOn: 0 }
        : {
            level: lowestLevel(levels),
            mean: Math.round(levels.reduce((sum, level) => sum + level, 0) / levels.length),
            basedOn: levels.length,
          },
    perception,
  };
}

/** One row of the heat map: a team's level per capability, or "not enough answers". */
export type HeatRow =
  | { scopeId: string; name: string; status: 'withheld' }
  | {
      scopeId: string;
      name: string;
      status: 'shown';
      respondents: number;
      overall: Level | null;
      cells: ReadonlyMap<string, TeamCell>;
      /** Levels below the reference, summed over capabilities: how far the team is from where the organisation aims. */
      gap: number;
    };

/** What a capability is measured against: the organisation's target, or without one, the organisation's level. */
export interface Reference {
  capabilityId: string;
  level: Level | null;
  kind: 'target' | 'organisation';
}

export interface TeamBehind {
  scopeId: string;
  name: string;
  level: Level;
  /** Levels below the reference. */
  gap: number;
}

export interface ActFirst {
  /** Per capability, the teams furthest below its reference, furthest first. */
  teamsBehind: { capabilityId: string; reference: Reference; teams: TeamBehind[] }[];
  /** Capabilities where most teams are stuck: most teams below the reference, then most teams held back by it. */
  stuck: { capabilityId: string; reference: Reference; below: number; holdsBack: number; teams: number }[];
}

export interface OrgRollup {
  model: { id: string; title: string; shortTitle: string };
  figures: OrgFigures;
  references: Reference[];
  heatMap: HeatRow[];
  actFirst: ActFirst;
}

/** How many teams each "where to act first" list names. */
export const TEAMS_BEHIND_LISTED = 3;

export function referencesOf(model: MaturityModel, figures: OrgFigures, targets: Targets): Reference[] {
  return model.capabilities.map((capability) => {
    const target = targets.get(capability.id);
    if (target !== undefined) return { capabilityId: capability.id, level: target, kind: 'target' };
    const figure = figures.capabilities.find((entry) => entry.capabilityId === capability.id)?.figure;
    return { capabilityId: capability.id, level: figure?.level ?? null, kind: 'organisation' };
  });
}

const gapBelow = (reference: Level | null, level: Level) => (reference === null ? 0 : Math.max(0, (reference - level) / 100));

/**
 * The heat map and where to act first for one month, beside the organisation's figures (from orgFigures, or the
 * snapshot stored for the month). Withheld teams are rows that say so and nothing else.
 */
export function buildRollup(
  model: MaturityModel,
  round: string,
  rows: readonly TeamRow[],
  minimum: number,
  targets: Targets,
  figures: OrgFigures,
): OrgRollup {
  const references = referencesOf(model, figures, targets);
  const referenceOf = new Map(references.map((reference) => [reference.capabilityId, reference]));
  const heatMap: HeatRow[] = rows
    .map((row) => ({ ...row, summary: applyMinimum(row.summary, minimum) }))
    .map(({ scopeId, name, summary }): HeatRow => {
      if (summary.status === 'withheld') return { scopeId, name, status: 'withheld' };
      const levels = [...summary.cells.values()].map((cell) => cell.level);
      const gap = [...summary.cells].reduce((sum, [id, cell]) => sum + gapBelow(referenceOf.get(id)?.level ?? null, cell.level), 0);
      return {
        scopeId,
        name,
        status: 'shown',
        respondents: summary.respondents,
        overall: lowestLevel(levels),
        cells: summary.cells,
        gap,
      };
    })
    .sort(byName);
  const shownRows = heatMap.filter((row): row is Extract<HeatRow, { status: 'shown' }> => row.status === 'shown');
  // references has one entry per capability of the model, in its order (referencesOf).
  const teamsBehind = references.map((reference) => {
    const teams = shownRows
      .flatMap((row) => {
        const cell = row.cells.get(reference.capabilityId);
        const gap = cell ? gapBelow(reference.level, cell.level) : 0;
        return cell && gap > 0 ? [{ scopeId: row.scopeId, name: row.name, level: cell.level, gap }] : [];
      })
      .sort((a, b) => b.gap - a.gap || a.name.localeCompare(b.name))
      .slice(0, TEAMS_BEHIND_LISTED);
    return { capabilityId: reference.capabilityId, reference, teams };
  });
  const stuck = references
    .map((reference, order) => {
      const cells = shownRows.flatMap((row) => {
        const cell = row.cells.get(reference.capabilityId);
        return cell ? [{ level: cell.level, overall: row.overall }] : [];
      });
      return {
        capabilityId: reference.capabilityId,
        reference,
        below: cells.filter((cell) => gapBelow(reference.level, cell.level) > 0).length,
        // A team's overall level is its weakest capability: this one holds the team back.
        holdsBack: cells.filter((cell) => cell.overall !== null && cell.level === cell.overall).length,
        teams: cells.length,
        order,
      };
    })
    .filter((entry) => entry.below > 0 || entry.holdsBack > 0)
    .sort((a, b) => b.below - a.below || b.holdsBack - a.holdsBack || a.order - b.order)
    .map(({ order: _order, ...entry }) => entry);
  return {
    model: { id: model.id, title: model.title, shortTitle: model.shortTitle },
    figures,
    references,
    heatMap,
    actFirst: { teamsBehind, stuck },
  };
}

function byName(a: { name: string; scopeId: string }, b: { name: string; scopeId: string }): number {
  return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.scopeId.localeCompare(b.scopeId);
}

/** Teams furthest from the references first (withheld teams last): what a short list, such as a card, should show. */
export function teamsByGap(heatMap: readonly HeatRow[]): HeatRow[] {
  const rank = (row: HeatRow) => (row.status === 'shown' ? row.gap : -1);
  return [...heatMap].sort((a, b) => rank(b) - rank(a) || overallRank(a) - overallRank(b) || byName(a, b));
}

const overallRank = (row: HeatRow) => (row.status === 'shown' && row.overall !== null ? row.overall : 600);
