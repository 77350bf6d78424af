/** Activities shaped as Teams sends them (see shared/reference/teams-activities.md). */
export interface Member {
  name: string;
  aadObjectId: string;
}

export const TENANT = '72f988bf-0000-4000-8000-000000000001';
export const mia: Member = { name: 'Mia Maker', aadObjectId: '6f1c0000-0000-4000-8000-00000000a001' };
export const noah: Member = { name: 'Noah Ops', aadObjectId: '6f1c0000-0000-4000-8000-00000000a002' };
export const ola: Member = { name: 'Ola Admin', aadObjectId: '6f1c0000-0000-4000-8000-00000000a003' };

export type Where =
  { kind: 'personal'; member: Member } | { kind: 'channel'; channelId: string; teamName: string } | { kind: 'groupChat'; chatId: string };

let sequence = 0;

function conversationOf(where: Where) {
  switch (where.kind) {
    case 'personal':
      return {
        conversation: { id: `a:1personal-${where.member.aadObjectId}`, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
      };
    case 'channel':
      return {
        conversation: { id: `${where.channelId};messageid=1732450000000`, conversationType: 'channel', isGroup: true, tenantId: TENANT },
        channelData: {
          tenant: { id: TENANT },
          team: { id: '19:team@thread.tacv2', name: where.teamName },
          channel: { id: where.channelId, name: 'General' },
        },
      };
    case 'groupChat':
      return {
        conversation: { id: where.chatId, conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
      };
  }
}

export function activity(serviceUrl: string, member: Member, where: Where, fields: Record<string, unknown>): Record<string, unknown> {
  sequence += 1;
  return {
    id: `17324500${String(sequence).padStart(5, '0')}`,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:1${member.aadObjectId}`, name: member.name, aadObjectId: member.aadObjectId },
    recipient: { id: '28:maturity-pulse', name: 'Maturity Pulse' },
    ...conversationOf(where),
    ...fields,
  };
}

export function message(serviceUrl: string, member: Member, where: Where, text: string) {
  const mention =
    where.kind === 'personal'
      ? {}
      : {
          text: `<at>Maturity Pulse</at> ${text}`,
          entities: [{ type: 'mention', mentioned: { id: '28:maturity-pulse', name: 'Maturity Pulse' }, text: '<at>Maturity Pulse</at>' }],
        };
  return activity(serviceUrl, member, where, { type: 'message', text, ...mention });
}

export function execute(serviceUrl: string, member: Member, where: Where, verb: string, data: Record<string, unknown>) {
  return activity(serviceUrl, member, where, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: '1:card',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  });
}

export function taskFetch(serviceUrl: string, member: Member, where: Where, data: Record<string, unknown>) {
  return activity(serviceUrl, member, where, { type: 'invoke', name: 'task/fetch', value: { data, context: { theme: 'default' } } });
}

export function taskSubmit(serviceUrl: string, member: Member, where: Where, data: Record<string, unknown>) {
  return activity(serviceUrl, member, where, { type: 'invoke', name: 'task/submit', value: { data, context: { theme: 'dark' } } });
}

export function submit(serviceUrl: string, member: Member, where: Where, value: Record<string, unknown>) {
  return activity(serviceUrl, member, where, { type: 'message', replyToId: '1:card', value });
}
