import { orgResultCard } from '../cards/orgCards.js';
import type { CardRenderer } from '../cards/templates.js';
import type { Content } from '../content/loadContent.js';
import { modelFromArgs } from '../model/commands.js';
import { levelName } from '../model/levels.js';
import type { OrganisationService } from '../tab/organisationService.js';
import { parseTargetArgs } from './pulseCommands.js';
import type { Reply, Turn } from './turn.js';

export interface OrganisationCommandDeps {
  organisation: Pick<OrganisationService, 'rollup' | 'setTarget'>;
  content: Content;
  cards: CardRenderer;
}

const ONLY_IN_PERSONAL =
  'shows every team side by side, so I show it only in your personal chat with me, where no team reads another’s. ' +
  "Open a chat with me (Maturity Pulse) and type it there, or open the dashboard tab's **Organisation** view.";

/** The CoE's view of the whole organisation (only CoE admins reach these: the route table checks first). */
export class OrganisationCommands {
  constructor(private readonly deps: OrganisationCommandDeps) {}

  /** results org [model]: the organisation card, in the admin's personal chat only. */
  async results(turn: Turn, args: readonly string[]): Promise<Reply> {
    if (turn.kind !== 'personal') return `**results org** ${ONLY_IN_PERSONAL}`;
    const modelId = modelFromArgs(args);
    if (!modelId)
      return `I don't know the model "${args.join(' ')}". Try **results org adoption**, **results org automation** or **results org support**.`;
    const result = await this.deps.organisation.rollup(turn.tenantId, modelId);
    return orgResultCard(this.deps.cards, { ...result });
  }

  /** target org capability level [model]: the organisation's target, which the organisation view measures teams against. */
  async target(turn: Turn, args: readonly string[]): Promise<string> {
    if (turn.kind !== 'personal') return `**target org** ${ONLY_IN_PERSONAL}`;
    const parsed = parseTargetArgs(args, this.deps.content);
    if (typeof parsed === 'string') return parsed.replaceAll('**target', '**target org');
    const { model, capability, level } = parsed;
    await this.deps.organisation.setTarget(turn.tenantId, model.id, capability.id, level, turn.memberId);
    return (
      `Organisation target for ${capability.title} (${model.shortTitle}) set to **${levelName(level)}**. ` +
      `**results org${model.id === 'adoption' ? '' : ` ${model.id}`}** shows the gap, and where to act first measures every team against it.`
    );
  }
}
