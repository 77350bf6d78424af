import {
  JwtTokenProviderFactory,
  ManagedIdentityAppCredentials,
  MicrosoftAppCredentials,
  type AppCredentials,
} from 'botframework-connector';
import type { BotCredentials } from '../config.js';
import { SendError, type Messenger, type OutgoingActivity } from '../pulse/messenger.js';
import type { ConversationTarget } from '../store/conversationStore.js';
import { messageOf } from '../errors.js';

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/** Bot Connector credentials; none in local mode, where the connector is the Agents Playground or a test. */
export function connectorCredentials(credentials: BotCredentials | undefined): AppCredentials | undefined {
  if (!credentials) return undefined;
  if (credentials.appType === 'UserAssignedMSI')
    return new ManagedIdentityAppCredentials(credentials.appId, BOT_FRAMEWORK_SCOPE, new JwtTokenProviderFactory());
  return new MicrosoftAppCredentials(
    credentials.appId,
    credentials.appPassword ?? '',
    credentials.appType === 'SingleTenant' ? credentials.tenantId : undefined,
  );
}

const baseOf = (target: ConversationTarget) => (target.serviceUrl.endsWith('/') ? target.serviceUrl : `${target.serviceUrl}/`);

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Proactive sends over the Bot Connector REST API. The pulse needs to see every 429 and 5xx itself
 * (to back off, honour Retry-After and count retries), so this client does no retrying of its own.
 */
export class BotConnectorMessenger implements Messenger {
  constructor(private readonly credentials: AppCredentials | undefined) {}

  async post(target: ConversationTarget, activity: OutgoingActivity): Promise<string> {
    return this.send('POST', target, 'activities', activity);
  }

  async reply(target: ConversationTarget, threadId: string, activity: OutgoingActivity): Promise<string> {
    return this.send('POST', target, `activities/${encodeURIComponent(threadId)}`, { ...activity, replyToId: threadId });
  }

  async update(target: ConversationTarget, activityId: string, activity: OutgoingActivity): Promise<void> {
    await this.send('PUT', target, `activities/${encodeURIComponent(activityId)}`, { ...activity, id: activityId });
  }

  /**
   * Whether a user (by Microsoft Entra object id, which the Bot Connector accepts as a member id) belongs to the
   * conversation. A channel's members are its team's members.
   */
  async isMember(target: ConversationTarget, objectId: string): Promise<boolean> {
    const url = `${baseOf(target)}v3/conversations/${encodeURIComponent(target.conversationId)}/members/${encodeURIComponent(objectId)}`;
    const response = await this.fetch('GET', url, undefined);
    if (response.ok) return true;
    if (response.status === 404 || response.status === 403) return false;
    throw new SendError(
      response.status,
      `The Bot Connector answered ${response.status} when asked for a member of ${target.conversationId}`,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }

  /** Every member's Microsoft Entra object id (lower case), a page of 500 at a time: the CoE team's roster. */
  async memberIds(target: ConversationTarget): Promise<string[]> {
    const ids: string[] = [];
    let continuation: string | undefined;
    do {
      const query = new URLSearchParams({ pageSize: '500', ...(continuation ? { continuationToken: continuation } : {}) });
      const url = `${baseOf(target)}v3/conversations/${encodeURIComponent(target.conversationId)}/pagedmembers?${query}`;
      const response = await this.fetch('GET', url, undefined);
      if (!response.ok)
        throw new SendError(
          response.status,
          `The Bot Connector answered ${response.status} when asked for the members of ${target.conversationId}`,
        );
      const page = (await response.json().catch(() => ({}))) as { members?: { aadObjectId?: string }[]; continuationToken?: string };
      ids.push(...(page.members ?? []).flatMap((member) => (member.aadObjectId ? [member.aadObjectId.toLowerCase()] : [])));
      continuation = page.continuationToken || undefined;
    } while (continuation);
    return ids;
  }

  private async fetch(method: 'GET' | 'POST' | 'PUT', url: string, body: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.credentials) headers.authorization = `Bearer ${await this.credentials.getToken()}`;
    try {
      return await fetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new SendError(0, `No answer from the Bot Connector at ${new URL(url).origin}: ${messageOf(error)}`);
    }
  }

  private async send(method: 'POST' | 'PUT', target: ConversationTarget, path: string, activity: object): Promise<string> {
    const base = baseOf(target);
    const url = `${base}v3/conversations/${encodeURIComponent(target.conversationId)}/${path}`;
    const body = JSON.stringify({
      ...activity,
      from: { id: target.botId },
      conversation: { id: target.conversationId },
      channelData: { tenant: { id: target.tenantId } },
    });
    const response = await this.fetch(method, url, body);
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 300);
      throw new SendError(
        response.status,
        `The Bot Connector answered ${response.status} for ${method} ${path}: ${detail}`,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    const answer = (await response.json().catch(() => ({}))) as { id?: string };
    return answer.id ?? '';
  }
}
