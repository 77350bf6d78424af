import type { MaturityModel } from '../model/content.js';
import { levelBar, levelName } from '../model/levels.js';
import { teamsByGap, type OrgFigures, type OrgRollup, type Reference } from '../model/orgRollup.js';
import { roundLabel } from '../model/round.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

/** How many teams the card lists: the card stays readable on a phone and far under Teams' 28 KB with any number of teams. */
export const CARD_TEAMS = 5;
const CARD_STUCK = 3;
const CARD_PERCEPTION = 5;
const WITHHELD_NAMED = 5;
/** Team names come from Teams and can be long; the card shortens them (the dashboard and the CSV keep them whole). */
const NAME_LENGTH = 80;

export interface OrgCardView {
  model: MaturityModel;
  rollup: OrgRollup;
  /** The organisation's figures per month, oldest first (the card compares with the month before). */
  trend: readonly OrgFigures[];
  /** The month asked for had nothing to show, so the card shows the latest month that has. */
  fellBack: boolean;
  current: string;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const shortName = (name: string) => (name.length > NAME_LENGTH ? `${name.slice(0, NAME_LENGTH - 1)}…` : name);
const levels = (gap: number) => plural(gap, 'level');

function referenceText(reference: Reference): string {
  if (reference.level === null) return '';
  return reference.kind === 'target' ? `the target ${reference.level}` : `the organisation's level ${reference.level}`;
}

/** "half answered 200–300": the middle half of the answers, which says more than the lowest and highest of a whole organisation. */
function middleHalf(distribution: readonly number[]): string {
  const sorted = distribution.flatMap((count, index) => Array<number>(count).fill((index + 1) * 100));
  const low = sorted[Math.floor(sorted.length / 4)];
  const high = sorted[Math.ceil((3 * sorted.length) / 4) - 1];
  if (low === undefined || high === undefined) return '';
  return low === high ? `at least half answered ${low}` : `half answered ${low}–${high}`;
}

/** The organisation's maturity for a CoE admin's personal chat: never posted where one team could read another's. */
export function orgResultCard(cards: CardRenderer, view: OrgCardView): AdaptiveCard {
  const { model, rollup } = view;
  const { figures } = rollup;
  const title = (id: string) => model.capabilities.find((capability) => capability.id === id)?.title ?? id;
  const previous = view.trend[view.trend.findIndex((point) => point.round === figures.round) - 1];
  const shownTeams = rollup.heatMap.filter((row) => row.status === 'shown');
  const withheld = rollup.heatMap.filter((row) => row.status === 'withheld');
  const listed = teamsByGap(shownTeams).slice(0, CARD_TEAMS);
  const minimum = figures.minimum;
  const judged =
    model.about === 'organisation'
      ? "People judged the whole organisation: a team's level is how that team sees it."
      : "People judged their own team: a team's level is that team's practice.";

  const rows = [...figures.capabilities]
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => (a.entry.figure?.level ?? 1000) - (b.entry.figure?.level ?? 1000) || a.order - b.order)
    .map(({ entry }) => {
      const reference = rollup.references.find((candidate) => candidate.capabilityId === entry.capabilityId)!;
      const figure = entry.figure;
      if (!figure) return { title: title(entry.capabilityId), bar: `${levelBar(null)} not enough answers`, detail: '' };
      const before = previous?.capabilities.find((candidate) => candidate.capabilityId === entry.capabilityId)?.figure;
      const parts = [
        middleHalf(figure.distribution),
        plural(entry.teams, 'team'),
        reference.kind === 'target' && reference.level !== null
          ? figure.level >= reference.level
            ? `target ${reference.level} met`
            : `target ${reference.level}: ${levels((reference.level - figure.level) / 100)} to go`
          : '',
        before && previous
          ? `${before.level === figure.level ? '=' : before.level < figure.level ? '▲' : '▼'} ${before.level} in ${roundLabel(previous.round).split(' ')[0]}`
          : '',
      ];
      return { title: title(entry.capabilityId), bar: levelBar(figure.level), detail: parts.filter(Boolean).join(' · ') };
    });

  const stuck = rollup.actFirst.stuck.slice(0, CARD_STUCK).map((entry) => {
    const behind = rollup.actFirst.teamsBehind.find((candidate) => candidate.capabilityId === entry.capabilityId)?.teams ?? [];
    return {
      title: title(entry.capabilityId),
      text:
        `${entry.below} of ${plural(entry.teams, 'team')} below ${referenceText(entry.reference)}` +
        (entry.holdsBack > 0 ? `; it holds back ${plural(entry.holdsBack, 'team')}.` : '.'),
      behind: behind.length === 0 ? '' : `Furthest behind: ${behind.map((team) => `${shortName(team.name)} (${team.level})`).join(', ')}`,
    };
  });

  const teams = listed.map((row) => {
    if (row.status !== 'shown') throw new Error('unreachable: only shown teams are listed');
    const weakest = [...row.cells]
      .sort((a, b) => a[1].level - b[1].level)
      .slice(0, 2)
      .map(([id, cell]) => `${title(id)} ${cell.level}`);
    return {
      name: shortName(row.name),
      line: row.overall === null ? 'No capability has enough answers yet' : `Overall **${levelName(row.overall)}**`,
      detail: [row.gap > 0 ? `${levels(row.gap)} short across capabilities` : 'at or above the aim everywhere', weakest.length ? `weakest: ${weakest.join(', ')}` : '']
        .filter(Boolean)
        .join(' · '),
    };
  });

  const shownGaps = figures.perception.filter((entry) => entry.status === 'shown');
  const perception = [...shownGaps]
    .sort((a, b) => (a.status === 'shown' && b.status === 'shown' ? Math.abs(b.gap) - Math.abs(a.gap) : 0))
    .slice(0, CARD_PERCEPTION)
    .flatMap((entry) =>
    entry.status === 'shown'
      ? [
          {
            title: title(entry.capabilityId),
            coe: String(entry.coe.level),
            others: String(entry.others.level),
            summary:
              (entry.gap === 0
                ? 'Both see it the same'
                : `The CoE sees it ${levels(Math.abs(entry.gap))} ${entry.gap > 0 ? 'higher' : 'lower'} than everyone else`) +
              ` (means ${entry.coe.mean} and ${entry.others.mean}; ${entry.coe.respondents} and ${entry.others.respondents} people).`,
          },
        ]
      : [],
  );

  const overall = figures.overall;
  const empty = shownTeams.length === 0;
  return cards.render('orgResult', {
    hasTeams: !empty,
    heading: `${model.shortTitle} maturity of the organisation`,
    subheading: `${roundLabel(figures.round)} · for CoE admins only`,
    notice: view.fellBack ? `Nothing to show for ${roundLabel(view.current)} yet, so this is ${roundLabel(figures.round)}.` : '',
    overallLine: empty
      ? `Nothing to show yet: no team has answers from ${minimum} people this month.`
      : overall.level === null
        ? `No capability has answers from ${minimum} people in teams that show a result yet.`
        : `Overall: **${levelName(overall.level)}**, its weakest capability · average ${overall.mean}`,
    respondentsLine: empty
      ? `A team shows here once ${minimum} people in its channel or group chat have answered: type **assess** there, or **pulse on** for the monthly pulse.`
      : `${plural(figures.respondents, 'person', 'people')} counted in ${plural(figures.teams.shown, 'team')}` +
      (figures.teams.withheld > 0 ? ` · ${plural(figures.teams.withheld, 'team')} without enough answers yet` : ''),
    rows: empty ? [] : rows,
    stuck,
    teamsHeading:
      shownTeams.length === 0
        ? 'Teams'
        : `Teams furthest from the aim (${listed.length} of ${shownTeams.length})`,
    teams,
    withheldTeams:
      withheld.length === 0
        ? ''
        : `Not enough answers yet: ${withheld
            .slice(0, WITHHELD_NAMED)
            .map((row) => shortName(row.name))
            .join(', ')}${withheld.length > WITHHELD_NAMED ? ` and ${withheld.length - WITHHELD_NAMED} more` : ''}.`,
    perception,
    perceptionMore: shownGaps.length > CARD_PERCEPTION ? `The largest ${CARD_PERCEPTION} of ${shownGaps.length} gaps; the dashboard has them all.` : '',
    perceptionEmpty: `Shown for a capability once at least ${minimum} CoE admins and ${minimum} other people have answered it in teams that show a result; not yet.`,
    footer:
      `${judged} Each person counts once, with their latest answer; a team or capability with fewer than ${minimum} answers counts for nothing. ` +
      'Every team side by side, the trend and the CSV are on the dashboard tab, under Organisation.',
  });
}
