import type { Content } from '../content/loadContent.js';
import { LEVEL_NAMES, LEVELS, modelIdOf, type Capability, type Level, type MaturityModel, type ModelId } from '../model/content.js';
import { levelName } from '../model/levels.js';
import { roundLabel } from '../model/round.js';
import type { PulseRunner } from '../pulse/pulseRunner.js';
import type { ConversationStore, ConversationTarget } from '../store/conversationStore.js';
import type { PulseRound } from '../store/pulseStore.js';
import type { TargetStore } from '../store/targetStore.js';
import type { Turn } from './turn.js';

export interface PulseCommandDeps {
  runner: PulseRunner;
  conversations: ConversationStore;
  targets: TargetStore;
  content: Content;
  now: () => Date;
}

/** The CoE's commands: the monthly pulse for a channel and the team's target levels. Only admins reach them. */
export class PulseCommands {
  constructor(private readonly deps: PulseCommandDeps) {}

  /** pulse on [model] | off | status | now [model] */
  async pulse(turn: Turn, args: readonly string[]): Promise<string> {
    const elsewhere = await this.inTeamConversation(turn, 'pulse');
    if (elsewhere) return elsewhere;
    const target = turn.address;
    const [action, ...rest] = args;
    switch (action) {
      case 'on':
        return this.on(target, turn, rest);
      case 'off':
        return (await this.deps.runner.unsubscribe(target))
          ? 'The monthly pulse is off for this channel. Past results stay; type **pulse on** to start it again.'
          : 'The monthly pulse was not on in this channel, so nothing changed.';
      case 'status':
        return this.status(target);
      case 'now':
        return this.now(target, rest);
      default:
        return `Type **pulse on**, **pulse off**, **pulse status** or **pulse now**${action ? ` ("${action}" is not one of them)` : ''}.`;
    }
  }

  /** target capability level [model] */
  async target(turn: Turn, args: readonly string[]): Promise<string> {
    const elsewhere = await this.inTeamConversation(turn, 'target');
    if (elsewhere) return elsewhere;
    const parsed = parseTargetArgs(args, this.deps.content);
    if (typeof parsed === 'string') return parsed;
    const { model, capability, level } = parsed;
    await this.deps.targets.set({ tenantId: turn.tenantId, scopeId: turn.scopeId, modelId: model.id }, capability.id, level, turn.memberId);
    return `Target for ${capability.title} (${model.shortTitle}) set to **${levelName(level)}**. Team results show the gap from now on, and next best actions favour the largest gaps.`;
  }

  /** These commands act on a channel or group chat; typed there, the conversation is remembered for the pulse. */
  private async inTeamConversation(turn: Turn, command: string): Promise<string | undefined> {
    if (turn.kind === 'personal') return `Type **${command}** in the channel or group chat it is for, with an @mention of me.`;
    await this.deps.conversations.save(turn.address, this.deps.now());
    return undefined;
  }

  private modelFrom(args: readonly string[]): ModelId | undefined {
    return args.length === 0 ? 'adoption' : modelIdOf(args[0]);
  }

  private async on(target: ConversationTarget, turn: Turn, args: readonly string[]): Promise<string> {
    const modelId = this.modelFrom(args);
    if (!modelId)
      return `I don't know the model "${args.join(' ')}". Try **pulse on adoption**, **pulse on automation** or **pulse on support**.`;
    await this.deps.runner.subscribe(target, modelId, turn.memberId);
    const next = this.deps.runner.nextRun();
    const model = this.deps.content.models[modelId];
    return (
      `The monthly ${model.shortTitle.toLowerCase()} pulse is on for this channel.` +
      (next ? ` The next one goes out on ${this.deps.runner.dayLabel(next)}, and every month after.` : '') +
      " Type **pulse now** to run this month's pulse straight away, or **pulse status** to check on it."
    );
  }

  private async status(target: ConversationTarget): Promise<string> {
    const { subscription, rounds } = await this.deps.runner.status(target);
    const lines: string[] = [];
    if (!subscription) lines.push('The monthly pulse is **off** in this channel. Type **pulse on** to start it.');
    else if (subscription.status === 'unreachable')
      lines.push(
        `The pulse is on (${subscription.modelId}), but my last post here failed for good: ${subscription.problem}. Add me to the channel again, then type **pulse on**.`,
      );
    else {
      const next = this.deps.runner.nextRun();
      lines.push(`The monthly pulse is **on** (${subscription.modelId}).${next ? ` Next: ${this.deps.runner.dayLabel(next)}.` : ''}`);
    }
    for (const round of rounds.slice(0, 3)) lines.push(`- ${describeRound(round, this.deps.runner)}`);
    return lines.join('\n');
  }

  private async now(target: ConversationTarget, args: readonly string[]): Promise<string> {
    const subscription = await this.deps.runner.status(target).then((status) => status.subscription);
    const modelId = args.length > 0 ? this.modelFrom(args) : (modelIdOf(subscription?.modelId) ?? 'adoption');
    if (!modelId) return `I don't know the model "${args.join(' ')}".`;
    const outcome = await this.deps.runner.runNow(target, modelId);
    if (!outcome.started) return `This month's pulse is already running here: ${describeRound(outcome.existing, this.deps.runner)}`;
    if (outcome.queued)
      return `This month's pulse is on its way: it goes out here in a moment, with the pulses your organisation's other channels are getting now. **pulse status** shows how it goes.`;
    if (outcome.round.status === 'open')
      return `I couldn't post the pulse yet: ${outcome.round.lastError || 'the post did not go through'}. I'll keep trying; **pulse status** shows how it goes.`;
    return `This month's pulse is out. It closes on ${this.deps.runner.dayLabel(outcome.round.closesAt)}, when I'll post the results in its thread.`;
  }
}

function describeRound(round: PulseRound, runner: PulseRunner): string {
  const label = roundLabel(round.round);
  switch (round.status) {
    case 'open':
      return `${label}: not posted yet${round.lastError ? ` (last try failed: ${round.lastError})` : ''}.`;
    case 'posted':
    case 'reminded':
      return `${label}: open until ${runner.dayLabel(round.closesAt)}, ${round.answered} answered so far.`;
    case 'closed':
      return `${label}: closed, ${round.answered} answered.`;
    case 'failed':
      return `${label}: could not be delivered (${round.lastError}).`;
  }
}

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** "target business value 300 [adoption]" → the capability, the level and the model; or what is wrong. */
export function parseTargetArgs(
  args: readonly string[],
  content: Content,
): { model: MaturityModel; capability: Capability; level: Level } | string {
  const usage =
    'Write it as **target**, the capability and the level, for example **target governance 300** or **target build & test 400 automation**.';
  const words = [...args];
  const modelId = modelIdOf(words.at(-1)) ?? 'adoption';
  if (words.at(-1) === modelId) words.pop();
  const levelWord = words.pop();
  const level = LEVELS.find((candidate) => String(candidate) === levelWord || LEVEL_NAMES[candidate].toLowerCase() === levelWord);
  if (level === undefined) return `"${levelWord ?? ''}" is not a level: use 100, 200, 300, 400 or 500. ${usage}`;
  const model = content.models[modelId];
  const wanted = normalise(words.join(' '));
  const capability = model.capabilities.find((candidate) => normalise(candidate.id) === wanted || normalise(candidate.title) === wanted);
  if (!capability)
    return `I don't know the capability "${words.join(' ')}" in the ${modelId} model. It has: ${model.capabilities.map((candidate) => candidate.title).join(', ')}. ${usage}`;
  return { model, capability, level };
}
