import type { Level, MaturityModel, ModelId } from '../model/content.js';
import { recentRounds, roundOf } from '../model/round.js';
import type { AnswerStore, RoundKey } from '../store/answerStore.js';
import type { MemberAnswers } from '../model/scoring.js';
import { teamCsv } from './csv.js';
import { buildDashboard, scoreRounds, type DashboardView } from './dashboardView.js';
import { DEMO_ROUNDS, DEMO_TEAM, demoAnswers, type DemoAnswer } from './demoData.js';

/** How many monthly rounds the trend and the export cover, the current one included. */
export const TREND_ROUNDS = 6;

/** A team as the store knows it: a channel, group chat or personal chat in one tenant. */
export interface TeamRef {
  tenantId: string;
  scopeId: string;
  /** A member's personal chat: their own answers, shown to them alone, so no respondent minimum applies. */
  personal?: boolean;
}

/** The CoE's target level per capability for a team and model (src/store/targetStore.ts). */
export interface TargetSource {
  get(team: Omit<RoundKey, 'round'>): Promise<ReadonlyMap<string, Level>>;
}

export interface DashboardDeps {
  models: Readonly<Record<ModelId, MaturityModel>>;
  store: AnswerStore;
  /** Next best actions rank by gap to these targets first, as on the bot's result card. */
  targets: TargetSource;
  minRespondents: number;
  now: () => Date;
}

/** Reads a team's rounds from the store and hands them to the pure assembly: one partition query per round. */
export class DashboardService {
  /** Demo seeding in flight or done, per model and round; a failed attempt is forgotten so the next request retries. */
  private readonly demoSeeding = new Map<string, Promise<void>>();

  constructor(private readonly deps: DashboardDeps) {}

  model(modelId: ModelId): MaturityModel {
    return this.deps.models[modelId];
  }

  async dashboard(team: TeamRef, memberId: string, modelId: ModelId): Promise<DashboardView> {
    const model = this.model(modelId);
    const [rounds, targets] = await Promise.all([this.readRounds(team, modelId), this.deps.targets.get({ ...team, modelId })]);
    // The viewer's answers come from the current round's partition, already read: no second query.
    const yours = rounds.at(-1)?.members.find((member) => member.memberId === memberId)?.choices ?? new Map();
    return buildDashboard(model, scoreRounds(model, rounds, this.minimumFor(team), targets), yours);
  }

  private minimumFor(team: TeamRef): number {
    return team.personal ? 1 : this.deps.minRespondents;
  }

  async csv(team: TeamRef, modelId: ModelId): Promise<string> {
    const model = this.model(modelId);
    return teamCsv(model, scoreRounds(model, await this.readRounds(team, modelId), this.minimumFor(team)));
  }

  /**
   * Local mode only: gives the demo team answers for the last three rounds, the first time the
   * dashboard is asked for a model in a month whose round has no answers yet. Rounds that already
   * have answers are left alone, so seeding never overwrites anything.
   */
  async ensureDemo(modelId: ModelId): Promise<void> {
    const current = roundOf(this.deps.now());
    const id = `${modelId}|${current}`;
    let seeding = this.demoSeeding.get(id);
    if (!seeding) {
      seeding = this.seedDemo(modelId, current);
      this.demoSeeding.set(id, seeding);
    }
    try {
      await seeding;
    } catch (error) {
      this.demoSeeding.delete(id);
      throw error;
    }
  }

  private key(team: TeamRef, modelId: ModelId, round: string): RoundKey {
    return { tenantId: team.tenantId, scopeId: team.scopeId, modelId, round };
  }

  private async readRounds(team: TeamRef, modelId: ModelId): Promise<{ round: string; members: MemberAnswers[] }[]> {
    const rounds = recentRounds(roundOf(this.deps.now()), TREND_ROUNDS);
    return Promise.all(rounds.map(async (round) => ({ round, members: await this.deps.store.team(this.key(team, modelId, round)) })));
  }

  private async seedDemo(modelId: ModelId, current: string): Promise<void> {
    const model = this.model(modelId);
    const rounds = recentRounds(current, DEMO_ROUNDS);
    if ((await this.deps.store.team(this.key(DEMO_TEAM, modelId, current))).length > 0) return;
    for (const [index, round] of rounds.entries()) {
      const key = this.key(DEMO_TEAM, modelId, round);
      if ((await this.deps.store.team(key)).length > 0) continue;
      const age = rounds.length - 1 - index;
      const [year, month] = round.split('-').map(Number) as [number, number];
      const at = age === 0 ? this.deps.now() : new Date(Date.UTC(year, month - 1, 15, 12));
      // One chain of writes per member: quick, without flooding the store with a hundred transactions at once.
      const byMember = new Map<string, DemoAnswer[]>();
      for (const answer of demoAnswers(model, age)) byMember.set(answer.memberId, [...(byMember.get(answer.memberId) ?? []), answer]);
      await Promise.all(
        [...byMember.values()].map(async (answers) => {
          for (const answer of answers) await this.deps.store.record(key, answer.memberId, answer.capabilityId, answer.choice, at);
        }),
      );
    }
  }
}
