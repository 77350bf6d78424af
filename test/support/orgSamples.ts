import { orgResultCard } from '../../src/cards/orgCards.js';
import type { CardRenderer } from '../../src/cards/templates.js';
import type { Content } from '../../src/content/loadContent.js';
import { LEVELS, type Level, type MaturityModel } from '../../src/model/content.js';
import { buildRollup, orgFigures, summariseTeam, type DatedMemberAnswers, type TeamRow } from '../../src/model/orgRollup.js';
import { previousRound } from '../../src/model/round.js';
import type { CardSample } from './cardSamples.js';

const TEAM_NAMES = ['Finance · Month-end close', 'Sales · Field apps', 'HR · Onboarding', 'Operations · General', 'IT · Platform team'];

/**
 * A made-up organisation: `teams` teams of about six people (every fifth team has two, so it is withheld), answers
 * spread around a level that differs per team and capability, and three CoE admins answering in the first team.
 */
export function sampleOrganisation(model: MaturityModel, teams: number, round: string, minimum = 3): TeamRow[] {
  const at = new Date(`${round}-10T09:00:00Z`).toISOString();
  return Array.from({ length: teams }, (_, team) => {
    const size = team % 5 === 4 ? 2 : 5 + (team % 3);
    const members: DatedMemberAnswers[] = Array.from({ length: size }, (_, index) => {
      const memberId = team === 0 && index < 3 ? `coe-${index}` : `t${team}-m${index}`;
      const choices = new Map(
        model.capabilities.map((capability, capabilityIndex) => {
          const base = (team + capabilityIndex * 2) % 4;
          const offset = team === 0 && index < 3 ? 2 : (index % 3) - 1;
          return [capability.id, LEVELS[Math.max(0, Math.min(4, base + offset))]!];
        }),
      );
      return { memberId, choices, answeredAt: new Map(model.capabilities.map((capability) => [capability.id, at])) };
    });
    const name = team < TEAM_NAMES.length ? TEAM_NAMES[team]! : `Contoso Region ${team} · Citizen developers and fusion team of the region`;
    return { scopeId: `19:team${team}@thread.tacv2`, name, summary: summariseTeam(model, members, (id) => id.startsWith('coe-'), minimum) };
  });
}

/** The organisation card: a small organisation with a trend and targets, a very large one (card size), and an empty one. */
export function orgSamples(content: Content, cards: CardRenderer, round: string, minimum: number): CardSample[] {
  const adoption = content.models.adoption;
  const card = (name: string, teams: number, options: { targets?: Map<string, Level>; fellBack?: boolean } = {}): CardSample => {
    const rows = sampleOrganisation(adoption, teams, round, minimum);
    const figures = orgFigures(adoption, round, rows, minimum);
    const before = previousRound(round);
    const trend = [orgFigures(adoption, before, sampleOrganisation(adoption, Math.max(0, teams - 2), before, minimum), minimum), figures];
    return {
      name,
      template: 'orgResult',
      card: orgResultCard(cards, {
        model: adoption,
        rollup: buildRollup(adoption, round, rows, minimum, options.targets ?? new Map(), figures),
        trend,
        fellBack: options.fellBack ?? false,
        current: options.fellBack ? '2026-12' : round,
      }),
    };
  };
  const governance = adoption.capabilities.find((capability) => capability.id === 'governance')!.id;
  return [
    card('orgResult-teams', 10, { targets: new Map([[governance, 300]]) }),
    card('orgResult-many-teams', 1000),
    card('orgResult-empty', 0),
    card('orgResult-fell-back', 10, { fellBack: true }),
  ];
}
