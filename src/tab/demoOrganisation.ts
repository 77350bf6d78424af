import { cycle } from '../model/collections.js';
import { LEVELS, type MaturityModel, type ModelId } from '../model/content.js';
import { recentRounds, roundOf } from '../model/round.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { OrgUpkeep } from '../store/orgUpkeep.js';
import { DEMO_TEAM } from './demoData.js';

/** Local mode's made-up organisation: a few channels of the demo tenant, one too small to show, and a CoE team. */
export const DEMO_TEAMS = [
  { scopeId: 'demo-coe', name: 'Contoso CoE · Platform team', size: 3, base: 3 },
  { scopeId: 'demo-finance', name: 'Finance · Month-end close', size: 5, base: 1 },
  { scopeId: 'demo-sales', name: 'Sales · Field apps', size: 4, base: 2 },
  { scopeId: 'demo-hr', name: 'HR · Onboarding', size: 3, base: 0 },
  { scopeId: 'demo-ops', name: 'Operations · General', size: 5, base: 1 },
  { scopeId: 'demo-legal', name: 'Legal · Contracts', size: 2, base: 2 },
] as const;
/** The demo CoE admins: the members of the CoE team. */
const demoCoeId = (index: number) => `demo-coe-${index}`;
export const DEMO_COE = Array.from({ length: DEMO_TEAMS[0].size }, (_, index) => demoCoeId(index));
const DEMO_MONTHS = 3;
/** How far each capability sits from the team's usual level, and how far each member from the team: made up, but uneven. */
const CAPABILITY_TILT = [0, 1, -1, 2, 0, -1, 1] as const;
const MEMBER_SPREAD = [0, 1, -1, 0, 1] as const;

export interface DemoOrganisationDeps {
  models: Readonly<Record<ModelId, MaturityModel>>;
  answers: Pick<AnswerStore, 'record' | 'team'>;
  conversations: Pick<ConversationStore, 'save'>;
  upkeep: Pick<OrgUpkeep, 'recomputeTeam' | 'refreshFigures'>;
  now: () => Date;
}

/**
 * Seeds the demo organisation the first time the Organisation view is opened in local mode for a model and month,
 * through the real store and upkeep; months that already have answers are left alone.
 */
export class DemoOrganisation {
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(private readonly deps: DemoOrganisationDeps) {}

  async ensure(modelId: ModelId): Promise<void> {
    const id = `${modelId}|${roundOf(this.deps.now())}`;
    let seeding = this.seeding.get(id);
    if (!seeding) {
      seeding = this.seed(modelId);
      this.seeding.set(id, seeding);
    }
    try {
      await seeding;
    } catch (error) {
      this.seeding.delete(id);
      throw error;
    }
  }

  private async seed(modelId: ModelId): Promise<void> {
    const model = this.deps.models[modelId];
    const now = this.deps.now();
    const rounds = recentRounds(roundOf(now), DEMO_MONTHS);
    for (const team of DEMO_TEAMS) {
      await this.deps.conversations.save(
        {
          tenantId: DEMO_TEAM.tenantId,
          conversationId: team.scopeId,
          kind: 'channel',
          serviceUrl: 'http://localhost/',
          botId: 'demo',
          name: team.name,
        },
        now,
      );
    }
    // Every team and month at once, each member's answers in turn: a few seconds, not a write at a time.
    await Promise.all(
      [...rounds].reverse().map(async (round, age) => {
        const [year, month] = round.split('-').map(Number) as [number, number];
        const at = age === 0 ? now : new Date(Date.UTC(year, month - 1, 15, 12));
        await Promise.all(DEMO_TEAMS.map((team, teamIndex) => this.seedTeam(model, team, teamIndex, round, age, at)));
        await this.deps.upkeep.refreshFigures({ tenantId: DEMO_TEAM.tenantId, modelId, round });
      }),
    );
  }

  private async seedTeam(model: MaturityModel, team: (typeof DEMO_TEAMS)[number], teamIndex: number, round: string, age: number, at: Date) {
    // Teams answer a little better each month; some started later.
    if (age > (teamIndex % DEMO_MONTHS) + 1) return;
    const key = { tenantId: DEMO_TEAM.tenantId, scopeId: team.scopeId, modelId: model.id, round };
    if ((await this.deps.answers.team(key)).length > 0) return;
    await Promise.all(
      Array.from({ length: team.size }, async (_, member) => {
        const memberId = team.scopeId === 'demo-coe' ? demoCoeId(member) : `${team.scopeId}-${member}`;
        for (const [index, capability] of model.capabilities.entries()) {
          const tilt = cycle(CAPABILITY_TILT, index + teamIndex * 2);
          const spread = cycle(MEMBER_SPREAD, member * 3 + index);
          const step = index % 3 === 0 ? DEMO_MONTHS - 1 - age : 0;
          const level = cycle(LEVELS, Math.max(0, Math.min(4, team.base + tilt + spread + step)));
          await this.deps.answers.record(key, memberId, capability.id, level, at);
        }
      }),
    );
    await this.deps.upkeep.recomputeTeam(key);
  }
}
