import type { AdminConfig } from '../config.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { BotConnectorMessenger } from './connectorClient.js';

const ROSTER_FOR_MS = 10 * 60 * 1000;

export interface CoeRosterDeps {
  admins: AdminConfig;
  conversations: Pick<ConversationStore, 'get' | 'list'>;
  connector: Pick<BotConnectorMessenger, 'memberIds'>;
  clock?: () => number;
}

/**
 * Who the CoE admins of an organisation are: the object ids in COE_ADMINS and the members of the team COE_TEAM_ID,
 * asked of the Bot Connector once and remembered for ten minutes per tenant. The organisation view's admin check and
 * the perception gap (CoE admins against everyone else) both read it, so they agree on who is CoE.
 */
export class CoeRoster {
  private readonly rosters = new Map<string, { until: number; members: Promise<ReadonlySet<string>> }>();

  constructor(private readonly deps: CoeRosterDeps) {}

  async isAdmin(tenantId: string, objectId: string): Promise<boolean> {
    return (await this.members(tenantId)).has(objectId.toLowerCase());
  }

  /** Lower-case object ids. A failed lookup is not remembered, so the next call asks again. */
  members(tenantId: string): Promise<ReadonlySet<string>> {
    const now = (this.deps.clock ?? Date.now)();
    const known = this.rosters.get(tenantId);
    if (known && known.until > now) return known.members;
    const members = this.lookup(tenantId);
    this.rosters.set(tenantId, { until: now + ROSTER_FOR_MS, members });
    members.catch(() => this.rosters.delete(tenantId));
    return members;
  }

  private async lookup(tenantId: string): Promise<ReadonlySet<string>> {
    const listed = this.deps.admins.objectIds.map((id) => id.toLowerCase());
    const { teamId } = this.deps.admins;
    if (!teamId) return new Set(listed);
    // The connector's address for this organisation: the CoE team's own conversation, or anywhere the bot is installed.
    const known = (await this.deps.conversations.get(tenantId, teamId)) ?? (await this.deps.conversations.list(tenantId))[0];
    if (!known) return new Set(listed);
    return new Set([...listed, ...(await this.deps.connector.memberIds({ ...known, conversationId: teamId }))]);
  }
}
