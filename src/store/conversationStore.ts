import { odata, type TableClient } from '@azure/data-tables';
import { ignoreNotFound, keyPart, listAll, listKeys, statusOf } from './tables.js';

/** Where the bot may post proactively: stored when it is installed, removed when it is uninstalled. */
export interface ConversationTarget {
  tenantId: string;
  /** The conversation to post into: a channel id for channels, otherwise the chat's id. */
  conversationId: string;
  kind: 'channel' | 'groupChat' | 'personal';
  serviceUrl: string;
  botId: string;
  name: string;
  /** For a personal chat: whose chat it is (Microsoft Entra object id), so their own dashboard can find it. */
  memberId?: string;
}

export interface ConversationStore {
  save(target: ConversationTarget, at: Date): Promise<void>;
  remove(tenantId: string, conversationId: string): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<ConversationTarget | undefined>;
  list(tenantId: string): Promise<ConversationTarget[]>;
  /** The member's personal chat with the bot, if they have one. */
  personalOf(tenantId: string, memberId: string): Promise<ConversationTarget | undefined>;
  /** Removes the reference to the member's personal chat (forget me); returns how many rows went. */
  forgetMember(tenantId: string, memberId: string): Promise<number>;
}

type Row = ConversationTarget & { savedAt: string };

const personalChatOf = (tenantId: string, memberId: string) =>
  odata`PartitionKey eq ${keyPart(tenantId)} and kind eq 'personal' and memberId eq ${memberId}`;

export class TableConversationStore implements ConversationStore {
  constructor(private readonly table: TableClient) {}

  async save(target: ConversationTarget, at: Date): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: keyPart(target.tenantId), rowKey: keyPart(target.conversationId), ...target, savedAt: at.toISOString() },
      'Replace',
    );
  }

  async remove(tenantId: string, conversationId: string): Promise<void> {
    await this.table.deleteEntity(keyPart(tenantId), keyPart(conversationId)).catch(ignoreNotFound);
  }

  async get(tenantId: string, conversationId: string): Promise<ConversationTarget | undefined> {
    try {
      return toTarget(await this.table.getEntity<Row>(keyPart(tenantId), keyPart(conversationId)));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async list(tenantId: string): Promise<ConversationTarget[]> {
    return (await listAll<Row>(this.table, odata`PartitionKey eq ${keyPart(tenantId)}`)).map(toTarget);
  }

  async personalOf(tenantId: string, memberId: string): Promise<ConversationTarget | undefined> {
    return (await listAll<Row>(this.table, personalChatOf(tenantId, memberId))).map(toTarget)[0];
  }

  async forgetMember(tenantId: string, memberId: string): Promise<number> {
    const rows = await listKeys(this.table, personalChatOf(tenantId, memberId));
    for (const row of rows) await this.table.deleteEntity(row.partitionKey, row.rowKey).catch(ignoreNotFound);
    return rows.length;
  }
}

function toTarget(row: Row): ConversationTarget {
  const target = {
    tenantId: row.tenantId,
    conversationId: row.conversationId,
    kind: row.kind,
    serviceUrl: row.serviceUrl,
    botId: row.botId,
    name: row.name,
  };
  return row.memberId ? { ...target, memberId: row.memberId } : target;
}
