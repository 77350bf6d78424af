import { commandsIn, howToSend, type Scope } from '../model/commands.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

/** The first thing said where the bot is added: how to start, in the way that reaches it there. */
export function welcomeText(scope: Scope, botName: string): string {
  if (scope === 'personal') {
    return `Hello — I run the Power Platform maturity models. ${capitalised(howToSend(scope, 'assess'))} to start, or **help** for everything I can do.`;
  }
  return `Hello — I run the Power Platform maturity models with your team. Here, @mention me before each command: **@${botName} assess** to start, or **@${botName} help** for everything I can do.`;
}

/** The commands of this scope, as they work here; team-only commands are named, not listed, in a personal chat. */
export function helpCard(cards: CardRenderer, scope: Scope): AdaptiveCard {
  return cards.render('help', {
    intro:
      scope === 'personal'
        ? 'I run the Power Platform maturity models. Type a command, or ask a support question in your own words.'
        : 'I run the Power Platform maturity models with your team. Here, @mention me before each command, or before a support question in your own words.',
    commands: commandsIn(scope).map(({ spec, description }) => ({ usage: spec.usage, description })),
    footer:
      scope === 'personal'
        ? "Add me to a channel or group chat to assess as a team. There, team results are posted, and CoE admins can run the monthly pulse, set targets and export the team's results."
        : '',
  });
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
