import { z } from 'zod';
import { createHash } from 'node:crypto';
import { odata, type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { isLevel, type Level } from '../model/content.js';
import type { Contribution, OrgFigures, TeamCell, TeamRow, TeamSummary } from '../model/orgRollup.js';
import type { RoundKey } from './answerStore.js';
import { keyPart, listAll, statusOf } from './tables.js';

/** One organisation, model and month: the unit the roll-up reads. */
export interface MonthKey {
  tenantId: string;
  modelId: string;
  round: string;
}

/** A team's summary as stored: what the heat map needs, and the answers that count for the organisation. */
export interface StoredTeam extends TeamRow {
  /** Bumped on every write; the snapshot records the versions it was computed from, to notice when it is stale. */
  version: number;
}

/** The organisation's figures for one month, with the team rows they were computed from. */
export interface Snapshot {
  figures: OrgFigures;
  /** A digest of the (team, version) pairs the figures were computed from. */
  source: string;
}

export interface DirtyMarker {
  key: RoundKey;
  markedAt: string;
  etag: string;
}

/**
 * The organisation roll-up's own table, kept up to date off the response path (src/store/orgUpkeep.ts):
 * - `m|tenant|model|round`: one partition per month, one row per team (`t|scope`), plus overflow rows (`u|scope|n`)
 *   for the answers of very large teams; the heat map is one query of the `t|` rows without the answers.
 * - `o|tenant|model`: the organisation's figures per month (row key: the round), for the trend: one query.
 * - `dirty`: teams whose summary is being recomputed; one left behind by a crash is redone by the repair tick.
 */
export class OrgStore {
  constructor(
    private readonly table: TableClient,
    /** Characters of encoded answers per row; small in tests, to exercise overflow rows. */
    private readonly chunkChars = 30_000,
  ) {}

  /** The month's teams for the heat map: names and cells, not the answers (a smaller read). */
  async teams(month: MonthKey): Promise<StoredTeam[]> {
    const rows = await listAll<TeamEntity>(this.table, teamRowsFilter(month), TEAM_COLUMNS);
    return rows.map((row) => decodeTeam(row, []));
  }

  /** The month's teams with the answers that count for the organisation (for computing its figures). */
  async teamsWithAnswers(month: MonthKey): Promise<StoredTeam[]> {
    const rows = await listAll<TeamEntity | OverflowEntity>(this.table, odata`PartitionKey eq ${monthPartition(month)}`);
    const overflow = new Map<string, string[]>();
    for (const row of rows) if (isOverflow(row)) overflow.set(row.scopeId, [...(overflow.get(row.scopeId) ?? []), row.members]);
    return rows.flatMap((row) => (isTeam(row) ? [decodeTeam(row, [row.members ?? '', ...(overflow.get(row.scopeId) ?? [])])] : []));
  }

  /** The team's row as stored, with its ETag, or undefined; read before a recompute so that the write can be guarded. */
  async teamEtag(key: RoundKey): Promise<{ etag: string; version: number; chunks: number } | undefined> {
    try {
      const row = await this.table.getEntity<TeamEntity>(monthPartition(key), teamRowKey(key.scopeId), {
        queryOptions: { select: ['version', 'chunks'] },
      });
      return { etag: row.etag, version: row.version ?? 0, chunks: row.chunks ?? 0 };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Writes a team's summary if nobody wrote it since `previous` was read (false when someone did: recompute).
   * Undefined (nobody's answers are left) keeps the row as withheld, so the write stays ETag-guarded.
   */
  async writeTeam(
    key: RoundKey,
    name: string,
    summary: TeamSummary | undefined,
    previous: { etag: string; version: number; chunks: number } | undefined,
    at: Date,
  ): Promise<boolean> {
    if (!summary && !previous) return true;
    const shown = summary?.status === 'shown' ? summary : undefined;
    const partitionKey = monthPartition(key);
    const members = shown ? encodeContributions(key.tenantId, key.round, [...shown.cells.keys()], shown.contributions) : '';
    const chunks = splitChunks(members, this.chunkChars);
    const entity: TeamEntity & { partitionKey: string; rowKey: string } = {
      partitionKey,
      rowKey: teamRowKey(key.scopeId),
      scopeId: key.scopeId,
      name,
      status: shown ? 'shown' : 'withheld',
      respondents: shown?.respondents ?? 0,
      cells: JSON.stringify(shown ? Object.fromEntries([...shown.cells].map(([id, cell]) => [id, cellTuple(cell)])) : {}),
      capabilities: JSON.stringify(shown ? [...shown.cells.keys()] : []),
      members: chunks[0] ?? '',
      chunks: Math.max(0, chunks.length - 1),
      version: (previous?.version ?? 0) + 1,
      computedAt: at.toISOString(),
    };
    // One transaction (for teams under about 70,000 members): the ETag-guarded row and its overflow rows change together.
    const actions: TransactionAction[] = [
      previous ? ['update', { ...entity }, 'Replace', { etag: previous.etag }] : ['create', { ...entity }],
    ];
    chunks
      .slice(1)
      .forEach((text, index) =>
        actions.push([
          'upsert',
          { partitionKey, rowKey: overflowRowKey(key.scopeId, index + 1), scopeId: key.scopeId, members: text },
          'Replace',
        ]),
      );
    for (let index = Math.max(1, chunks.length); index <= (previous?.chunks ?? 0); index += 1) {
      actions.push(['delete', { partitionKey, rowKey: overflowRowKey(key.scopeId, index) }]);
    }
    try {
      for (let start = 0; start < actions.length; start += MAX_TRANSACTION) {
        await this.table.submitTransaction(actions.slice(start, start + MAX_TRANSACTION));
      }
      return true;
    } catch (error) {
      // 412: changed since it was read; 409: created meanwhile. Someone else wrote: recompute.
      const status = statusOf(error);
      if (status === 412 || status === 409) return false;
      throw error;
    }
  }

  /** A team's name changed in Teams: its rows in these months follow, where they exist. */
  async rename(key: Omit<RoundKey, 'round'>, rounds: readonly string[], name: string): Promise<void> {
    await Promise.all(
      rounds.map(async (round) => {
        try {
          await this.table.updateEntity(
            { partitionKey: monthPartition({ ...key, round }), rowKey: teamRowKey(key.scopeId), name },
            'Merge',
          );
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      }),
    );
  }

  /** Snapshots of the organisation's figures for the rounds from `first` to `last`, by round. */
  async snapshots(tenantId: string, modelId: string, first: string, last: string): Promise<Map<string, Snapshot & { etag: string }>> {
    const rows = await listAll<SnapshotEntity>(
      this.table,
      odata`PartitionKey eq ${snapshotPartition(tenantId, modelId)} and RowKey ge ${first} and RowKey le ${last}`,
    );
    return new Map(
      rows.map((row) => [row.rowKey!, { figures: JSON.parse(row.figures) as OrgFigures, source: row.source, etag: row.etag }]),
    );
  }

  /** Writes a month's figures unless someone wrote them since `etag` was read (undefined: the row must be new). */
  async writeSnapshot(month: MonthKey, snapshot: Snapshot, etag: string | undefined): Promise<boolean> {
    const entity = {
      partitionKey: snapshotPartition(month.tenantId, month.modelId),
      rowKey: month.round,
      figures: JSON.stringify(snapshot.figures),
      source: snapshot.source,
    };
    try {
      if (etag) await this.table.updateEntity(entity, 'Replace', { etag });
      else await this.table.createEntity(entity);
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409 || status === 404) return false;
      throw error;
    }
  }

  async markDirty(key: RoundKey, at: Date): Promise<string> {
    const response = await this.table.upsertEntity(
      { partitionKey: DIRTY, rowKey: dirtyRowKey(key), ...key, markedAt: at.toISOString() },
      'Replace',
    );
    return response.etag ?? '';
  }

  /** Removes the marker unless it was marked again since (a newer change still needs its recompute). */
  async clearDirty(key: RoundKey, etag: string): Promise<void> {
    try {
      await this.table.deleteEntity(DIRTY, dirtyRowKey(key), { etag });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 412) throw error;
    }
  }

  async dirty(): Promise<DirtyMarker[]> {
    const rows = await listAll<RoundKey & { markedAt: string }>(this.table, odata`PartitionKey eq ${DIRTY}`);
    return rows.map((row) => ({
      key: { tenantId: row.tenantId, scopeId: row.scopeId, modelId: row.modelId, round: row.round },
      markedAt: row.markedAt,
      etag: row.etag,
    }));
  }
}

/** The digest a snapshot records: which team rows, at which versions, its figures come from. */
export function sourceOf(teams: readonly Pick<StoredTeam, 'scopeId' | 'version'>[]): string {
  const pairs = teams.map((team) => `${team.scopeId}\n${team.version}`).sort();
  return createHash('sha256').update(pairs.join('\n')).digest('base64url').slice(0, 22);
}

const MAX_TRANSACTION = 100;
const TEAM = 't|';
const OVERFLOW = 'u|';
const DIRTY = 'dirty';
const TEAM_COLUMNS = ['RowKey', 'scopeId', 'name', 'status', 'respondents', 'cells', 'version'];

const monthPartition = (month: MonthKey) => `m|${[month.tenantId, month.modelId, month.round].map(keyPart).join('|')}`;
const snapshotPartition = (tenantId: string, modelId: string) => `o|${keyPart(tenantId)}|${keyPart(modelId)}`;
const teamRowKey = (scopeId: string) => `${TEAM}${keyPart(scopeId)}`;
const overflowRowKey = (scopeId: string, index: number) => `${OVERFLOW}${keyPart(scopeId)}|${String(index).padStart(3, '0')}`;
const dirtyRowKey = (key: RoundKey) => [key.tenantId, key.scopeId, key.modelId, key.round].map(keyPart).join('|');

function teamRowsFilter(month: MonthKey): string {
  return odata`PartitionKey eq ${monthPartition(month)} and RowKey ge ${TEAM} and RowKey lt ${'t}'}`;
}

interface TeamEntity {
  rowKey?: string;
  scopeId: string;
  name: string;
  status: 'shown' | 'withheld';
  respondents: number;
  /** JSON: capability id → [level, lowest, highest, respondents]. */
  cells: string;
  /** JSON: the capability ids, in the order the encoded answers use. */
  capabilities?: string;
  members?: string;
  chunks?: number;
  version: number;
  computedAt?: string;
}

interface OverflowEntity {
  rowKey?: string;
  scopeId: string;
  members: string;
}

interface SnapshotEntity {
  rowKey?: string;
  figures: string;
  source: string;
}

// A month's partition holds team rows and their overflow rows of members, told apart by the row key's prefix.
type MonthRow = TableEntityResult<TeamEntity | OverflowEntity>;
const isTeam = (row: MonthRow): row is TableEntityResult<TeamEntity> => row.rowKey?.startsWith(TEAM) ?? false;
const isOverflow = (row: MonthRow): row is TableEntityResult<OverflowEntity> => row.rowKey?.startsWith(OVERFLOW) ?? false;

const cellTuple = (cell: TeamCell) => [cell.level, cell.lowest, cell.highest, cell.respondents];

/** A team's cells as stored: capability id → [level, lowest, highest, respondents]. */
const storedCells = z.record(z.string(), z.array(z.number()));

function decodeTeam(row: TeamEntity, memberChunks: readonly string[]): StoredTeam {
  const base = { scopeId: row.scopeId, name: row.name, version: row.version ?? 0 };
  if (row.status !== 'shown') return { ...base, summary: { status: 'withheld' } };
  const cells = new Map<string, TeamCell>();
  for (const [id, tuple] of Object.entries(storedCells.parse(JSON.parse(row.cells)))) {
    const [level, lowest, highest, respondents] = tuple;
    if (isLevel(level) && isLevel(lowest) && isLevel(highest) && typeof respondents === 'number')
      cells.set(id, { level, lowest, highest, respondents });
  }
  const capabilityIds = JSON.parse(row.capabilities ?? '[]') as string[];
  const contributions = memberChunks.length === 0 ? [] : decodeContributions(memberChunks.join(''), capabilityIds);
  return { ...base, summary: { status: 'shown', respondents: row.respondents, cells, contributions } };
}

/*
 * Answers that count, in a compact fixed-width text (about 45 characters a member for nine capabilities), so that a
 * month of a thousand teams reads in a few requests: per member, 8 characters of a hash of the person (the same
 * person is the same hash in every team of the tenant, and no id is stored), 1 for CoE (0/1), one digit per
 * capability (1–5, 0 = no counted answer), then 3 base-36 characters per capability: minutes since the month began.
 */
const WHO = 8;
const TIME = 3;
const MAX_MINUTES = 36 ** TIME - 1;

const monthStart = (round: string) => Date.parse(`${round}-01T00:00:00Z`);

export function personKey(tenantId: string, memberId: string): string {
  return createHash('sha256').update(`${tenantId}\n${memberId.toLowerCase()}`).digest('base64url').slice(0, WHO);
}

function encodeContributions(
  tenantId: string,
  round: string,
  capabilityIds: readonly string[],
  contributions: readonly Contribution[],
): string {
  const start = monthStart(round);
  return contributions
    .map((contribution) => {
      const answers = capabilityIds.map((id) => contribution.answers.get(id));
      const levels = answers.map((answer) => (answer ? String(answer.level / 100) : '0')).join('');
      const times = answers
        .map((answer) => {
          const minutes = answer ? Math.min(MAX_MINUTES, Math.max(0, Math.floor((answer.at - start) / 60_000))) : 0;
          return minutes.toString(36).padStart(TIME, '0');
        })
        .join('');
      return `${personKey(tenantId, contribution.who)}${contribution.coe ? '1' : '0'}${levels}${times}`;
    })
    .join('');
}

function decodeContributions(text: string, capabilityIds: readonly string[]): Contribution[] {
  const width = WHO + 1 + capabilityIds.length * (1 + TIME);
  const contributions: Contribution[] = [];
  for (let offset = 0; offset + width <= text.length; offset += width) {
    const entry = text.slice(offset, offset + width);
    const levelsAt = WHO + 1;
    const timesAt = levelsAt + capabilityIds.length;
    const answers = new Map<string, { level: Level; at: number }>();
    capabilityIds.forEach((id, index) => {
      const level = Number(entry[levelsAt + index]) * 100;
      if (!isLevel(level)) return;
      answers.set(id, { level, at: parseInt(entry.slice(timesAt + index * TIME, timesAt + (index + 1) * TIME), 36) * 60_000 });
    });
    contributions.push({ who: entry.slice(0, WHO), coe: entry[WHO] === '1', answers });
  }
  return contributions;
}

function splitChunks(text: string, size: number): string[] {
  if (text === '') return [];
  return Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size));
}
