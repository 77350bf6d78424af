import type { Activity } from 'botbuilder';
import type { Participant } from './assessmentFlow.js';
import { isTenantAllowed } from '../model/tenants.js';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export class UserFacingError extends Error {}

export function conversationKind(activity: Activity): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || activity.channelData?.channel?.id) return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

/** The tenant the activity comes from; undefined when it names none (an emulator). */
export function tenantOf(activity: Activity): string | undefined {
  return activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
}

/**
 * Allowed when the list is empty, or when every tenant id the activity carries is on it (Teams puts the
 * tenant both on the conversation and in channelData; they must agree). An activity with no tenant is not allowed.
 */
export function tenantAllowed(activity: Activity, allowedTenants: readonly string[]): boolean {
  if (allowedTenants.length === 0) return true;
  const ids = [activity.conversation?.tenantId, activity.channelData?.tenant?.id].filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
  return ids.length > 0 && ids.every((id) => isTenantAllowed(id, allowedTenants));
}

/**
 * Who is speaking and for which team, from the activity alone. Card data never names a member.
 * Emulators send no aadObjectId; their stable `from.id` stands in.
 */
export function participantOf(activity: Activity): Participant {
  const memberId = activity.from?.aadObjectId ?? activity.from?.id;
  const tenantId = tenantOf(activity) ?? 'local';
  const conversationId = activity.conversation?.id;
  if (!memberId || !conversationId) {
    throw new UserFacingError("I couldn't tell who sent that or where, so I saved nothing. Please try again from Teams.");
  }
  const kind = conversationKind(activity);
  // A channel message names its thread after ";messageid="; the team's answers belong to the channel.
  const scopeId = kind === 'channel' ? (activity.channelData?.channel?.id ?? conversationId.split(';')[0]!) : conversationId;
  const teamName =
    kind === 'channel'
      ? [activity.channelData?.team?.name, activity.channelData?.channel?.name].filter(Boolean).join(' · ') || 'This channel'
      : kind === 'groupChat'
        ? activity.conversation?.name || 'This chat'
        : 'You';
  return { tenantId, memberId, scopeId, teamName };
}
