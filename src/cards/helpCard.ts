import { COMMANDS } from '../model/commands.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

export function helpCard(cards: CardRenderer): AdaptiveCard {
  return cards.render('help', {
    intro: 'I run the Power Platform maturity models with your team. In a channel, @mention me before the command.',
    commands: COMMANDS.map((command) => ({ usage: command.usage, description: command.description })),
  });
}
