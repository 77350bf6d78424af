import type { Content } from '../content/loadContent.js';
import { modelFromArgs } from '../model/commands.js';
import type { ModelId } from '../model/content.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { Turn } from './turn.js';

/** A team's aggregate as CSV, withheld rounds and capabilities without levels (the dashboard's DashboardService.csv). */
export interface TeamExports {
  csv(team: { tenantId: string; scopeId: string }, modelId: ModelId): Promise<string>;
}

export interface PrivacyDeps {
  answers: Pick<AnswerStore, 'forgetMember'>;
  exports: TeamExports;
  content: Content;
  minRespondents: number;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** A member's own data (forget me) and the team aggregate for the CoE (export). */
export class PrivacyCommands {
  constructor(private readonly deps: PrivacyDeps) {}

  /** Deletes every answer the member gave in this tenant, history included, and says how much went. */
  async forget(turn: Turn, args: readonly string[]): Promise<string> {
    if (args.length > 0) return 'To delete every answer you have given, type exactly **forget me**. Nothing was deleted.';
    if (turn.kind !== 'personal') {
      return 'For your privacy, type **forget me** in your personal chat with me; I will delete your answers in every team and tell you how many there were. Nothing was deleted.';
    }
    const { answers, assessments } = await this.deps.answers.forgetMember(turn.tenantId, turn.memberId);
    if (answers + assessments === 0) return 'I have no answers from you, so there was nothing to delete.';
    return (
      `Done: I deleted ${plural(answers, 'answer', 'answers')} you gave (earlier answers you changed included), from ${plural(assessments, 'assessment', 'assessments')} ` +
      '(each team, model and month you answered in). Team results no longer count you. If you answer again, only the new answers are kept.'
    );
  }

  /** CoE admins (only they reach it): the team's aggregate per round and capability as CSV, never anyone's own answers. */
  async export(turn: Turn, args: readonly string[]): Promise<string> {
    if (turn.kind === 'personal') return 'Type **export** in the channel or group chat whose results you want, with an @mention of me.';
    const modelId = modelFromArgs(args);
    if (!modelId)
      return `I don't know the model "${args.join(' ')}". Try **export adoption**, **export automation** or **export support**.`;
    const csv = await this.deps.exports.csv({ tenantId: turn.tenantId, scopeId: turn.scopeId }, modelId);
    const model = this.deps.content.models[modelId];
    return (
      `**${model.shortTitle} maturity of ${turn.teamName}, as CSV** — the team's level per capability and month, with the lowest and highest answer and how many answered.\n\n` +
      `No one's own answers are in it. A month or capability with fewer than ${this.deps.minRespondents} answers has no levels. Copy the lines into a .csv file, or use **Export CSV** on the team's dashboard tab for the same file.\n\n` +
      `\`\`\`\n${csv.replaceAll('\r\n', '\n').trimEnd()}\n\`\`\``
    );
  }
}
