import { odata, type TableClient } from '@azure/data-tables';
import { isLevel, type Level } from '../model/content.js';
import type { RoundKey } from './answerStore.js';
import { inTenant, keyPart, listAll, replaceMemberId } from './tables.js';

export type TeamKey = Omit<RoundKey, 'round'>;

/** The CoE's target level per capability for a team and model. */
export interface TargetStore {
  set(team: TeamKey, capabilityId: string, level: Level, setBy: string): Promise<void>;
  get(team: TeamKey): Promise<Map<string, Level>>;
  /** "Set by" the member becomes FORMER_MEMBER on every target of the tenant (forget me); returns how many. */
  forgetSetter(tenantId: string, memberId: string): Promise<number>;
}

const partitionOf = (team: TeamKey) => [team.tenantId, team.scopeId, team.modelId].map(keyPart).join('|');

export class TableTargetStore implements TargetStore {
  constructor(private readonly table: TableClient) {}

  async set(team: TeamKey, capabilityId: string, level: Level, setBy: string): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: partitionOf(team), rowKey: keyPart(capabilityId), capabilityId, level, setBy },
      'Replace',
    );
  }

  async get(team: TeamKey): Promise<Map<string, Level>> {
    const rows = await listAll<{ capabilityId: string; level: number }>(this.table, odata`PartitionKey eq ${partitionOf(team)}`);
    return new Map(rows.flatMap((row) => (isLevel(row.level) ? [[row.capabilityId, row.level] as const] : [])));
  }

  forgetSetter(tenantId: string, memberId: string): Promise<number> {
    return replaceMemberId(this.table, inTenant(tenantId, odata`setBy eq ${memberId}`), 'setBy');
  }
}
