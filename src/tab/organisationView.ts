import { LEVEL_NAMES, type Level, type MaturityModel } from '../model/content.js';
import { levelName } from '../model/levels.js';
import type { GroupFigure, OrgFigures, Reference } from '../model/orgRollup.js';
import { roundLabel } from '../model/round.js';
import type { OrganisationResult } from './organisationService.js';

/** The JSON of the dashboard's Organisation view: aggregates only, every figure from at least the minimum respondents. */
export interface OrganisationView {
  model: { id: string; title: string; shortTitle: string; about: MaturityModel['about'] };
  round: { id: string; label: string };
  /** The month asked for had nothing to show, so this is the latest month that has (the view says so). */
  fellBack: boolean;
  currentLabel: string;
  minimum: number;
  capabilities: { id: string; title: string }[];
  levels: { level: Level; name: string }[];
  summary: {
    overall: { level: Level | null; name: string | null; mean: number | null };
    respondents: number;
    teams: { shown: number; withheld: number };
  };
  organisation: OrganisationCapabilityView[];
  heatMap: HeatRowView[];
  actFirst: {
    teamsBehind: { capabilityId: string; title: string; reference: ReferenceView; teams: { name: string; level: Level; gap: number }[] }[];
    stuck: { capabilityId: string; title: string; reference: ReferenceView; below: number; holdsBack: number; teams: number }[];
  };
  perception: PerceptionView[];
  trend: OrgTrendPoint[];
}

export interface ReferenceView {
  level: Level | null;
  kind: Reference['kind'];
  label: string;
}

export interface OrganisationCapabilityView {
  id: string;
  title: string;
  status: 'shown' | 'withheld';
  level: Level | null;
  name: string | null;
  mean: number | null;
  lowest: Level | null;
  highest: Level | null;
  respondents: number | null;
  distribution: readonly number[] | null;
  teams: number;
  target: Level | null;
  /** Levels still to go to the target; null without a target or a level. */
  gap: number | null;
}

export type HeatRowView =
  | { name: string; status: 'withheld' }
  | {
      name: string;
      status: 'shown';
      respondents: number;
      overall: Level | null;
      gap: number;
      /** Per capability id: the team's level, or null where it has too few answers to show one. */
      cells: Record<string, { level: Level; lowest: Level; highest: Level; respondents: number } | null>;
    };

export type PerceptionView =
  | { capabilityId: string; title: string; status: 'withheld' }
  | { capabilityId: string; title: string; status: 'shown'; coe: GroupView; others: GroupView; gap: number; summary: string };

export interface GroupView {
  level: Level;
  mean: number;
  respondents: number;
}

export interface OrgTrendPoint {
  round: string;
  label: string;
  status: 'shown' | 'empty';
  overall: Level | null;
  mean: number | null;
  respondents: number;
  teams: number;
  levels: Record<string, Level | null>;
}

const group = (figure: GroupFigure): GroupView => ({ level: figure.level, mean: figure.mean, respondents: figure.respondents });

export function referenceLabel(reference: { level: Level | null; kind: Reference['kind'] }): string {
  if (reference.level === null) return 'no level yet';
  return reference.kind === 'target' ? `target ${reference.level}` : `organisation's level ${reference.level}`;
}

/** What the signed gap beside it means, in words short enough for a phone's width: "the CoE sees it higher". */
export function perceptionSummary(gap: number): string {
  if (gap === 0) return 'both see it alike';
  return `the CoE sees it ${gap > 0 ? 'higher' : 'lower'}`;
}

function trendPoint(figures: OrgFigures): OrgTrendPoint {
  return {
    round: figures.round,
    label: roundLabel(figures.round),
    status: figures.teams.shown > 0 && figures.overall.level !== null ? 'shown' : 'empty',
    overall: figures.overall.level,
    mean: figures.overall.mean,
    respondents: figures.respondents,
    teams: figures.teams.shown,
    levels: Object.fromEntries(figures.capabilities.map((entry) => [entry.capabilityId, entry.figure?.level ?? null])),
  };
}

export function organisationView(result: OrganisationResult): OrganisationView {
  const { model, rollup } = result;
  const { figures } = rollup;
  const title = (id: string) => model.capabilities.find((capability) => capability.id === id)?.title ?? id;
  const referenceOf = (id: string) => rollup.references.find((reference) => reference.capabilityId === id)!;
  const reference = (entry: Reference): ReferenceView => ({ level: entry.level, kind: entry.kind, label: referenceLabel(entry) });
  return {
    model: { id: model.id, title: model.title, shortTitle: model.shortTitle, about: model.about },
    round: { id: figures.round, label: roundLabel(figures.round) },
    fellBack: result.fellBack,
    currentLabel: roundLabel(result.current),
    minimum: figures.minimum,
    capabilities: model.capabilities.map((capability) => ({ id: capability.id, title: capability.title })),
    levels: Object.entries(LEVEL_NAMES).map(([level, name]) => ({ level: Number(level) as Level, name })),
    summary: {
      overall: {
        level: figures.overall.level,
        name: figures.overall.level === null ? null : levelName(figures.overall.level),
        mean: figures.overall.mean,
      },
      respondents: figures.respondents,
      teams: figures.teams,
    },
    organisation: figures.capabilities.map((entry) => {
      const target = referenceOf(entry.capabilityId).kind === 'target' ? referenceOf(entry.capabilityId).level : null;
      const figure = entry.figure;
      return {
        id: entry.capabilityId,
        title: title(entry.capabilityId),
        status: figure ? 'shown' : 'withheld',
        level: figure?.level ?? null,
        name: figure ? levelName(figure.level) : null,
        mean: figure?.mean ?? null,
        lowest: figure?.lowest ?? null,
        highest: figure?.highest ?? null,
        respondents: figure?.respondents ?? null,
        distribution: figure?.distribution ?? null,
        teams: entry.teams,
        target,
        gap: target === null || !figure ? null : Math.max(0, (target - figure.level) / 100),
      };
    }),
    heatMap: rollup.heatMap.map((row) =>
      row.status === 'withheld'
        ? { name: row.name, status: 'withheld' }
        : {
            name: row.name,
            status: 'shown',
            respondents: row.respondents,
            overall: row.overall,
            gap: row.gap,
            cells: Object.fromEntries(model.capabilities.map((capability) => [capability.id, row.cells.get(capability.id) ?? null])),
          },
    ),
    actFirst: {
      teamsBehind: rollup.actFirst.teamsBehind.map((entry) => ({
        capabilityId: entry.capabilityId,
        title: title(entry.capabilityId),
        reference: reference(entry.reference),
        teams: entry.teams.map((team) => ({ name: team.name, level: team.level, gap: team.gap })),
      })),
      stuck: rollup.actFirst.stuck.map((entry) => ({
        capabilityId: entry.capabilityId,
        title: title(entry.capabilityId),
        reference: reference(entry.reference),
        below: entry.below,
        holdsBack: entry.holdsBack,
        teams: entry.teams,
      })),
    },
    perception: figures.perception.map((entry) =>
      entry.status === 'withheld'
        ? { capabilityId: entry.capabilityId, title: title(entry.capabilityId), status: 'withheld' }
        : {
            capabilityId: entry.capabilityId,
            title: title(entry.capabilityId),
            status: 'shown',
            coe: group(entry.coe),
            others: group(entry.others),
            gap: entry.gap,
            summary: perceptionSummary(entry.gap),
          },
    ),
    trend: result.trend.map(trendPoint),
  };
}
