import { z } from 'zod';
import type { Logger } from 'pino';
import { Coalescer, type Timer } from '../coalescer.js';
import { MODEL_IDS, modelIdOf, type MaturityModel, type ModelId } from '../model/content.js';
import { orgFigures, summariseTeam, type OrgFigures } from '../model/orgRollup.js';
import { previousRound, roundOf } from '../model/round.js';
import type { AnswerStore, RoundKey } from './answerStore.js';
import type { ConversationStore } from './conversationStore.js';
import { sourceOf, type MonthKey, type OrgStore } from './orgStore.js';

export interface OrgUpkeepDeps {
  answers: Pick<AnswerStore, 'teamDated'>;
  conversations: Pick<ConversationStore, 'get'>;
  store: OrgStore;
  models: Readonly<Record<ModelId, MaturityModel>>;
  /** The tenant's CoE admins (lower-case object ids), asked when a team's summary is computed. */
  coeOf: (tenantId: string) => Promise<ReadonlySet<string>>;
  minRespondents: number;
  now: () => Date;
  logger: Logger;
  /** At most one recompute per team in this time (default 3 s); a burst of answers is one recompute. */
  teamIntervalMs?: number;
  /** At most one recompute of an organisation's month in this time (default 10 s). */
  orgIntervalMs?: number;
  /** A dirty marker older than this belongs to a recompute that never finished (default 2 min). */
  staleAfterMs?: number;
  timer?: Timer;
}

const ATTEMPTS = 5;

const teamId = (key: RoundKey) => JSON.stringify([key.tenantId, key.scopeId, key.modelId, key.round]);
const monthId = (key: MonthKey) => JSON.stringify([key.tenantId, key.modelId, key.round]);
const teamIdParts = z.tuple([z.string(), z.string(), z.string(), z.string()]);
const monthIdParts = z.tuple([z.string(), z.string(), z.string()]);
const parseTeamId = (id: string): RoundKey => {
  const [tenantId, scopeId, modelId, round] = teamIdParts.parse(JSON.parse(id));
  return { tenantId, scopeId, modelId, round };
};
const parseMonthId = (id: string): MonthKey => {
  const [tenantId, modelId, round] = monthIdParts.parse(JSON.parse(id));
  return { tenantId, modelId, round };
};

/**
 * Keeps the organisation roll-up current as answers arrive, off the member's response path: the bot calls
 * `noteAnswer` (which returns at once) after an answer is stored; a few seconds later the team's summary is
 * recomputed from its one partition, then the organisation's figures for the month from the month's summaries.
 *
 * It survives a restart: before a team is recomputed, a marker row says so, and it is removed only once the
 * team's summary and its month's figures are written. `repair()` (run by the pulse tick) redoes any marker left behind by a process that died.
 * Two instances may recompute the same team: every write is ETag-guarded and redone on conflict, so the last
 * summary written was computed from a read made after every answer before it.
 */
export class OrgUpkeep {
  private readonly teams: Coalescer<string, number>;
  private readonly months: Coalescer<string, number>;
  /** The marker written for a team's pending recompute (its ETag), per team. */
  private readonly markers = new Map<string, Promise<string | undefined>>();
  /** Markers of teams recomputed since their month's figures were last written: cleared once the figures are. */
  private readonly monthMarkers = new Map<string, { key: RoundKey; etag: string }[]>();
  /** Changes noted and not yet reflected, for settle(): team id → the latest change's sequence number. */
  private readonly pending = new Map<string, number>();
  private sequence = 0;
  /** Renames under way, awaited by stop(). */
  private readonly renames = new Set<Promise<void>>();

  constructor(private readonly deps: OrgUpkeepDeps) {
    const common = { now: deps.now, merge: (a: number, b: number) => Math.max(a, b), ...(deps.timer ? { timer: deps.timer } : {}) };
    this.teams = new Coalescer<string, number>({
      ...common,
      intervalMs: deps.teamIntervalMs ?? 3_000,
      flush: (id, sequence) => this.flushTeam(id, sequence),
      onError: (error, id) => this.failed(error, id, 'team summary not updated; the repair tick will redo it'),
    });
    this.months = new Coalescer<string, number>({
      ...common,
      intervalMs: deps.orgIntervalMs ?? 10_000,
      flush: (id, sequence) => this.flushMonth(id, sequence),
      onError: (error, id) => this.failed(error, id, 'organisation figures not updated; the next read or change redoes them'),
    });
  }

  /** A team answered in this round. Returns at once; never throws (the answer is stored whatever happens here). */
  noteAnswer(key: RoundKey): void {
    this.note(key);
  }

  /** Teams whose answers were deleted (forget me): their summaries are redone like after an answer. */
  noteForgotten(keys: readonly RoundKey[]): void {
    for (const key of keys) this.note(key);
  }

  private note(key: RoundKey): void {
    if (!modelIdOf(key.modelId)) return;
    const id = teamId(key);
    if (!this.markers.has(id)) {
      this.markers.set(
        id,
        this.deps.store.markDirty(key, this.deps.now()).catch((error: unknown) => {
          this.failed(error, id, 'dirty marker not written');
          return undefined;
        }),
      );
    }
    this.sequence += 1;
    this.pending.set(id, this.sequence);
    this.teams.add(id, this.sequence);
  }

  /**
   * A channel or chat has a new name: its rows for this month and last follow at once (earlier months keep the name
   * they had), and later recomputes use the stored conversation's name. Returns at once; never throws.
   */
  renamed(tenantId: string, scopeId: string, name: string): void {
    const current = roundOf(this.deps.now());
    const rounds = [previousRound(current), current];
    const rename = Promise.all(MODEL_IDS.map((modelId) => this.deps.store.rename({ tenantId, scopeId, modelId }, rounds, name)))
      .then(() => undefined)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, conversationId: scopeId }, 'organisation rows not renamed'))
      .finally(() => this.renames.delete(rename));
    this.renames.add(rename);
  }

  /** Redoes recomputes that a process left unfinished (it died, or storage failed): from the pulse tick. */
  async repair(): Promise<void> {
    const staleBefore = this.deps.now().getTime() - (this.deps.staleAfterMs ?? 120_000);
    for (const marker of await this.deps.store.dirty()) {
      const id = teamId(marker.key);
      if (Date.parse(marker.markedAt) > staleBefore || this.pending.has(id)) continue;
      if (!this.markers.has(id)) this.markers.set(id, Promise.resolve(marker.etag));
      this.sequence += 1;
      this.pending.set(id, this.sequence);
      this.teams.add(id, this.sequence);
    }
  }

  /** Resolves once every change noted so far is reflected in the stored summaries and figures (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size > 0 || this.renames.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async stop(): Promise<void> {
    await this.teams.stop();
    await this.months.stop();
    await Promise.all(this.renames);
  }

  private failed(error: unknown, id: string, message: string): void {
    this.deps.logger.warn({ err: error, key: id }, message);
    // A failed recompute is not retried in memory: the marker stays, and repair() picks it up.
    this.pending.delete(id);
  }

  private async flushTeam(id: string, sequence: number): Promise<void> {
    const key = parseTeamId(id);
    const marker = this.markers.get(id);
    this.markers.delete(id);
    const etag = await marker;
    await this.recomputeTeam(key);
    const month = monthId(key);
    // The marker goes once the month's figures include this summary too, so a crash in between is repaired as well.
    if (etag) this.monthMarkers.set(month, [...(this.monthMarkers.get(month) ?? []), { key, etag }]);
    this.sequence += 1;
    this.pending.set(month, this.sequence);
    if (this.pending.get(id) === sequence) this.pending.delete(id);
    this.months.add(month, this.sequence);
  }

  private async flushMonth(id: string, sequence: number): Promise<void> {
    const markers = this.monthMarkers.get(id) ?? [];
    this.monthMarkers.delete(id);
    try {
      await this.refreshFigures(parseMonthId(id));
      await Promise.all(markers.map((marker) => this.deps.store.clearDirty(marker.key, marker.etag)));
    } finally {
      if ((this.pending.get(id) ?? 0) <= sequence) this.pending.delete(id);
    }
  }

  /** Recomputes one team's summary from its partition; personal chats have none (a group of one is never shown). */
  async recomputeTeam(key: RoundKey): Promise<void> {
    const modelId = modelIdOf(key.modelId);
    if (!modelId) return;
    const model = this.deps.models[modelId];
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const previous = await this.deps.store.teamEtag(key);
      const [members, conversation] = await Promise.all([
        this.deps.answers.teamDated(key),
        this.deps.conversations.get(key.tenantId, key.scopeId),
      ]);
      const personal = conversation?.kind === 'personal';
      const coe = members.length > 0 && !personal ? await this.deps.coeOf(key.tenantId) : new Set<string>();
      const summary =
        members.length === 0 || personal
          ? undefined
          : summariseTeam(model, members, (memberId) => coe.has(memberId.toLowerCase()), this.deps.minRespondents);
      const name = conversation?.name || 'A channel or chat';
      if (await this.deps.store.writeTeam(key, name, summary, previous, this.deps.now())) return;
    }
    throw new Error(`The summary of ${key.scopeId} (${key.modelId}, ${key.round}) kept changing underneath (${ATTEMPTS} attempts)`);
  }

  /** Recomputes the organisation's figures for a month from its teams' summaries, and stores them for reads and the trend. */
  async refreshFigures(month: MonthKey): Promise<OrgFigures> {
    const modelId = modelIdOf(month.modelId);
    if (!modelId) throw new Error(`There is no ${month.modelId} model; models are ${Object.keys(this.deps.models).join(', ')}`);
    const model = this.deps.models[modelId];
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const existing = (await this.deps.store.snapshots(month.tenantId, month.modelId, month.round, month.round)).get(month.round);
      const teams = await this.deps.store.teamsWithAnswers(month);
      const figures = orgFigures(model, month.round, teams, this.deps.minRespondents);
      if (await this.deps.store.writeSnapshot(month, { figures, source: sourceOf(teams) }, existing?.etag)) return figures;
    }
    throw new Error(`The organisation's figures for ${month.round} kept changing underneath (${ATTEMPTS} attempts)`);
  }
}
