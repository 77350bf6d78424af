import type { Level, MaturityModel, ModelId } from '../model/content.js';
import { orgCsv } from '../model/orgCsv.js';
import { buildRollup, orgFigures, type OrgFigures, type OrgRollup } from '../model/orgRollup.js';
import { recentRounds, roundOf } from '../model/round.js';
import { sourceOf, type MonthKey, type OrgStore } from '../store/orgStore.js';
import type { OrgUpkeep } from '../store/orgUpkeep.js';
import type { TargetStore } from '../store/targetStore.js';

/** The scope under which the organisation's own targets are kept in the targets table (no Teams id starts with '#'). */
export const ORGANISATION_SCOPE = '#organisation';

/** How many monthly rounds the organisation's trend covers, the current one included. */
export const ORG_TREND_ROUNDS = 6;

export interface OrganisationDeps {
  models: Readonly<Record<ModelId, MaturityModel>>;
  store: OrgStore;
  upkeep: Pick<OrgUpkeep, 'refreshFigures'>;
  targets: TargetStore;
  minRespondents: number;
  now: () => Date;
}

export interface OrganisationResult {
  model: MaturityModel;
  rollup: OrgRollup;
  /** The organisation's figures per month, oldest first, ending with the current month. */
  trend: OrgFigures[];
  /** The month asked for had nothing to show yet, so this is the latest month that has. */
  fellBack: boolean;
  /** The current month (what the trend ends with). */
  current: string;
}

/**
 * Reads the organisation roll-up for CoE admins: a bounded number of requests however long the history, because
 * the upkeep keeps a summary per team and month and the organisation's figures per month: the month's team rows
 * (one query), the trend's snapshots (one query) and the organisation's targets (one query).
 */
export class OrganisationService {
  constructor(private readonly deps: OrganisationDeps) {}

  model(modelId: ModelId): MaturityModel {
    return this.deps.models[modelId];
  }

  /** The month asked for (this month by default; then, if nothing shows yet, the latest month that shows something). */
  async rollup(tenantId: string, modelId: ModelId, asked?: string): Promise<OrganisationResult> {
    const model = this.model(modelId);
    const current = roundOf(this.deps.now());
    const rounds = recentRounds(current, ORG_TREND_ROUNDS);
    const [snapshots, targets] = await Promise.all([
      this.deps.store.snapshots(tenantId, modelId, rounds[0]!, current),
      this.targets(tenantId, modelId),
    ]);
    const shows = (round: string) => (snapshots.get(round)?.figures.teams.shown ?? 0) > 0;
    const latest = [...rounds].reverse().find(shows);
    const round = asked ?? (!shows(current) && latest ? latest : current);
    const month: MonthKey = { tenantId, modelId, round };
    const teams = await this.deps.store.teams(month);
    const snapshot =
      snapshots.get(round) ?? (asked ? (await this.deps.store.snapshots(tenantId, modelId, round, round)).get(round) : undefined);
    const { minRespondents } = this.deps;
    // The upkeep refreshes the figures a few seconds after a team's summary changes; a reader who comes sooner
    // (or after a crash, or a change of MIN_RESPONDENTS) recomputes them here, so they always match the heat map.
    const figures =
      snapshot && snapshot.source === sourceOf(teams) && snapshot.figures.minimum === minRespondents
        ? snapshot.figures
        : teams.length === 0
          ? orgFigures(model, round, [], minRespondents)
          : await this.deps.upkeep.refreshFigures(month);
    const trend = await Promise.all(
      rounds.map(async (entry) => {
        if (entry === round) return figures;
        const stored = snapshots.get(entry)?.figures;
        if (!stored) return orgFigures(model, entry, [], minRespondents);
        return stored.minimum === minRespondents ? stored : this.deps.upkeep.refreshFigures({ tenantId, modelId, round: entry });
      }),
    );
    return {
      model,
      rollup: buildRollup(model, round, teams, this.deps.minRespondents, targets, figures),
      trend,
      fellBack: asked === undefined && round !== current,
      current,
    };
  }

  async csv(tenantId: string, modelId: ModelId, round?: string): Promise<string> {
    const { model, rollup, trend } = await this.rollup(tenantId, modelId, round);
    return orgCsv(model, rollup, trend);
  }

  targets(tenantId: string, modelId: ModelId): Promise<Map<string, Level>> {
    return this.deps.targets.get({ tenantId, scopeId: ORGANISATION_SCOPE, modelId });
  }

  async setTarget(tenantId: string, modelId: ModelId, capabilityId: string, level: Level, setBy: string): Promise<void> {
    await this.deps.targets.set({ tenantId, scopeId: ORGANISATION_SCOPE, modelId }, capabilityId, level, setBy);
  }
}
