import type { Content } from '../content/loadContent.js';
import { modelFromArgs } from '../model/commands.js';
import type { ModelId } from '../model/content.js';
import { forgetConfirmCard, forgetOutcomeCard, type ForgetAction } from '../cards/privacyCards.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { PulseStore } from '../store/pulseStore.js';
import type { TargetStore } from '../store/targetStore.js';
import type { OrgUpkeep } from '../store/orgUpkeep.js';
import type { Reply, Turn } from './turn.js';

/** A team's aggregate as CSV, withheld rounds and capabilities without levels (the dashboard's DashboardService.csv). */
export interface TeamExports {
  csv(team: { tenantId: string; scopeId: string }, modelId: ModelId): Promise<string>;
}

export interface PrivacyDeps {
  answers: Pick<AnswerStore, 'forgetMember' | 'memberFootprint'>;
  conversations: Pick<ConversationStore, 'forgetMember'>;
  targets: Pick<TargetStore, 'forgetSetter'>;
  pulses: Pick<PulseStore, 'forgetSubscriber'>;
  /** The organisation roll-up's summaries of the rounds the member answered in are redone without them. */
  orgUpkeep: Pick<OrgUpkeep, 'noteForgotten'>;
  exports: TeamExports;
  content: Content;
  cards: CardRenderer;
  minRespondents: number;
  now: () => Date;
}

/** How long the Delete button of a confirmation counts. */
const CONFIRM_MINUTES = 15;
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** A member's own data (forget me) and the team aggregate for the CoE (export). */
export class PrivacyCommands {
  constructor(private readonly deps: PrivacyDeps) {}

  /** `forget me` typed: in the member's personal chat, a card that says what would go and asks; elsewhere, why not. Deletes nothing. */
  async forget(turn: Turn, args: readonly string[]): Promise<Reply> {
    if (args.length > 0) return 'To delete what I keep about you, type exactly **forget me**. Nothing was deleted.';
    if (turn.kind !== 'personal') {
      return 'For your privacy, type **forget me** in your personal chat with me; I will say there what I keep about you and ask before deleting it. Nothing was deleted.';
    }
    const { answers, assessments } = await this.deps.answers.memberFootprint(turn.tenantId, turn.memberId);
    return forgetConfirmCard(this.deps.cards, {
      answers,
      assessments,
      chat: turn.scopeId,
      issued: this.deps.now(),
      validMinutes: CONFIRM_MINUTES,
    });
  }

  /**
   * Delete or Cancel pressed on that card. Whose data goes comes from the turn (the activity) alone; the card's
   * data only has to match the chat it is pressed in and be recent, so a copied or replayed button deletes nothing.
   */
  async answerForget(turn: Turn, action: ForgetAction): Promise<AdaptiveCard> {
    const nothing = (text: string) => forgetOutcomeCard(this.deps.cards, { heading: 'Nothing was deleted', text });
    if (action.verb === 'keep') return nothing('You kept everything, as it was.');
    if (turn.kind !== 'personal' || action.chat !== turn.scopeId)
      return nothing(
        'That button belongs to a confirmation in another chat. Type **forget me** in your personal chat with me to be asked there.',
      );
    const age = this.deps.now().getTime() - Date.parse(action.issued);
    if (!(age >= -60_000 && age <= CONFIRM_MINUTES * 60_000))
      return nothing(`That confirmation is more than ${CONFIRM_MINUTES} minutes old. Type **forget me** to be asked again.`);

    const { tenantId, memberId } = turn;
    const work = [
      this.deps.answers.forgetMember(tenantId, memberId),
      this.deps.conversations.forgetMember(tenantId, memberId),
      this.deps.targets.forgetSetter(tenantId, memberId),
      this.deps.pulses.forgetSubscriber(tenantId, memberId),
    ] as const;
    // Every part runs to its end before a failure is reported; each can simply run again (a new confirmation).
    const failed = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const [{ answers, assessments, rounds }, chats, targets, pulses] = await Promise.all(work);
    this.deps.orgUpkeep.noteForgotten(rounds);
    return forgetOutcomeCard(this.deps.cards, {
      heading: 'Deleted',
      text: 'Done. Team results no longer count you; if you answer again, only the new answers are kept.',
      items: [
        answers + assessments === 0
          ? 'I had no answers from you.'
          : `I deleted ${plural(answers, 'answer', 'answers')} you gave (earlier answers you changed included), from ${plural(assessments, 'assessment', 'assessments')} (each team, model and month you answered in).`,
        chats > 0 ? 'I deleted my record of this chat.' : 'I had no record of this chat.',
        ...(targets + pulses > 0
          ? [
              `${plural(targets, 'target', 'targets')} and ${plural(pulses, 'monthly pulse', 'monthly pulses')} you set up now say "set by a former member".`,
            ]
          : []),
      ],
    });
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
