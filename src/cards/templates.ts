import { found } from '../model/collections.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { messageOf } from '../errors.js';

export const TEMPLATE_NAMES = [
  'question',
  'summary',
  'changeAnswer',
  'teamResult',
  'help',
  'assessmentPrompt',
  'supportTierForm',
  'supportTierAnswer',
  'supportLevel',
  'supportAnswer',
  'supportSuggest',
  'supportStats',
  'pulse',
  'forgetMe',
  'orgResult',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** An Adaptive Card as Teams receives it. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** Teams refuses Adaptive Card payloads above 28 KB. */
export const MAX_CARD_BYTES = 28 * 1024;

export interface CardRenderer {
  render(name: TemplateName, data: object): AdaptiveCard;
}

/** Reads every template in cards/ once at start-up. */
export function loadCardTemplates(cardsDir: string): CardRenderer {
  const templates = new Map(
    TEMPLATE_NAMES.map((name) => {
      const file = path.join(cardsDir, `${name}.json`);
      try {
        return [name, new ACData.Template(JSON.parse(readFileSync(file, 'utf8')))] as const;
      } catch (error) {
        throw new Error(`Card template cards/${name}.json cannot be loaded: ${messageOf(error)}`, { cause: error });
      }
    }),
  );
  return {
    render(name, data) {
      const card = found(templates.get(name), `Card template ${name}`).expand({ $root: data }) as AdaptiveCard;
      const json = JSON.stringify(card);
      // The templating engine leaves a missing field as literal "${x}" text; that is a bug, never a card.
      const unbound = /\$\{[^}]*\}/.exec(json);
      if (unbound) throw new Error(`Card ${name} has an unbound field ${unbound[0]}: give every bound field a value`);
      if (Buffer.byteLength(json) > MAX_CARD_BYTES)
        throw new Error(`Card ${name} is ${Buffer.byteLength(json)} bytes, over Teams' ${MAX_CARD_BYTES}-byte limit`);
      return card;
    },
  };
}
