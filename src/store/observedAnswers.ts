import type { AnswerStore, RecordResult, RoundKey } from './answerStore.js';

/** Told of every answer recorded, after the write. It runs on the member's response path, so it must return at once. */
export type AnswerListener = (key: RoundKey, result: RecordResult) => void;

/** The answer store, telling `listener` about each answer it records (for views kept current off the response path). */
export function observeAnswers(store: AnswerStore, listener: AnswerListener): AnswerStore {
  return {
    async record(key, memberId, capabilityId, choice, at) {
      const result = await store.record(key, memberId, capabilityId, choice, at);
      listener(key, result);
      return result;
    },
    member: (key, memberId) => store.member(key, memberId),
    team: (key) => store.team(key),
    latestInTenant: (tenantId, modelId) => store.latestInTenant(tenantId, modelId),
    history: (key, memberId) => store.history(key, memberId),
    forgetMember: (tenantId, memberId) => store.forgetMember(tenantId, memberId),
    memberFootprint: (tenantId, memberId) => store.memberFootprint(tenantId, memberId),
  };
}
