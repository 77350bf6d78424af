/**
 * npm run demo:channel — the channel flow, which the Agents Playground cannot show (it opens no dialogs), played
 * against the running bot (npm start): a team of three in a new channel, each answering in the assessment dialog,
 * and the team result. It posts the activities Teams would post to /api/messages, catches the bot's replies on a
 * connector of its own (the activities' serviceUrl), prints each card's words, and writes screenshots of the cards
 * to out/demo-channel/ (when Chromium is installed, as for cards:preview).
 *
 * Usage: npm run demo:channel [-- <bot messages URL>] [--model automation] [--no-screenshots]
 * The bot must run in local mode (no MicrosoftAppId): it then accepts activities without a Bot Framework token.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalConnector } from '../test/support/connector.js';
import { activity, message, taskFetch, taskSubmit, type Member, type Where } from '../test/support/teams.js';
import { chromiumMissing, openCardRenderer, type CardRenderer } from './cardRenderer.js';

const OUT_DIR = path.resolve('out/demo-channel');
const CARD_WIDTH = 450;
/** The Agents Playground's mock colleagues, so the names match what a newcomer saw there. */
const TEAM: readonly { member: Member; levels: readonly string[] }[] = [
  { member: { name: 'Megan Bowen', aadObjectId: '00000000-0000-0000-0000-0000000000021' }, levels: ['200', '300', '200', '300', '200'] },
  { member: { name: 'Adele Vance', aadObjectId: '00000000-0000-0000-0000-0000000000022' }, levels: ['300', '300', '100', '400', '300'] },
  { member: { name: 'Isaiah Langer', aadObjectId: '00000000-0000-0000-0000-0000000000023' }, levels: ['200', '400', '200', '200', '300'] },
];

type Card = Record<string, unknown>;

/** A card's words as a person reads them: text, choices, facts and buttons, one per line. */
function outline(card: unknown): string {
  const lines: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    const type = typeof element.type === 'string' ? element.type : '';
    if (typeof element.text === 'string' && type !== 'TextRun') lines.push(element.text);
    if (Array.isArray(element.inlines)) lines.push(element.inlines.map((run: { text?: string }) => run.text ?? '').join(''));
    if (type === 'Input.ChoiceSet' && Array.isArray(element.choices))
      for (const choice of element.choices as { title: string }[]) lines.push(`  ( ) ${choice.title}`);
    if (type === 'FactSet' && Array.isArray(element.facts))
      for (const fact of element.facts as { title: string; value: string }[]) lines.push(`  ${fact.title}: ${fact.value}`);
    if (type.startsWith('Action.') && typeof element.title === 'string') lines.push(`  [${element.title}]`);
    for (const [key, child] of Object.entries(element)) if (!['inlines', 'choices', 'facts', 'data'].includes(key)) walk(child);
  };
  walk(card);
  return lines.map((line) => `    ${line.replace(/\n/g, '\n    ')}`).join('\n');
}

function buttonData(card: unknown, title: string): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (typeof element.type === 'string' && element.type.startsWith('Action.') && element.title === title) found.push(element);
    for (const [key, child] of Object.entries(element)) if (key !== 'data') walk(child);
  };
  walk(card);
  const [button] = found;
  if (!button) throw new Error(`The card has no "${title}" button:\n${outline(card)}`);
  return (button.data ?? {}) as Record<string, unknown>;
}

class Demo {
  private step = 0;
  constructor(
    private readonly botUrl: string,
    readonly connector: LocalConnector,
    private readonly renderer: CardRenderer | undefined,
  ) {}

  /** Posts an activity as Teams would; an answer other than 2xx stops the demo with what the bot said. */
  async post(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(this.botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`The bot answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** Sends a message and returns what the bot posted back into the conversation. */
  async say(member: Member, where: Where, text: string): Promise<Record<string, unknown>[]> {
    const before = this.connector.activities().length;
    await this.post(message(this.connector.url, member, where, text));
    return this.connector.activities().slice(before);
  }

  /** Prints a reply (words or a card) under a heading, and screenshots a card. */
  async show(heading: string, reply: Record<string, unknown> | string | undefined, shot?: string): Promise<void> {
    console.log(`\n${heading}`);
    if (reply === undefined) return console.log('    (nothing)');
    if (typeof reply === 'string') return console.log(`    ${reply}`);
    console.log(outline(reply));
    if (!this.renderer || !shot) return;
    this.step += 1;
    const file = path.join(OUT_DIR, `${String(this.step).padStart(2, '0')}-${shot}.png`);
    const report = await this.renderer.screenshot(reply, CARD_WIDTH, file);
    console.log(`    → ${path.relative(process.cwd(), file)}${report.errors.length ? ` (renderer: ${report.errors.join('; ')})` : ''}`);
  }
}

/** The words or the card of a posted activity. */
function contentOf(posted: Record<string, unknown> | undefined): Card | string | undefined {
  const attachment = (posted?.attachments as { content?: Card }[] | undefined)?.[0];
  return attachment?.content ?? (typeof posted?.text === 'string' ? posted.text : undefined);
}

async function play(demo: Demo, model: string | undefined): Promise<void> {
  const channel: Where = { kind: 'channel', channelId: `19:demo-${Date.now()}@thread.tacv2`, teamName: 'Demo team' };
  const [first, ...others] = TEAM.map((entry) => entry.member);
  if (!first) return;
  const assess = model ? `assess ${model}` : 'assess';
  const results = model ? `results ${model}` : 'results';

  const added = { ...activity('', first, channel, { type: 'conversationUpdate' }), membersAdded: [{ id: '28:maturity-pulse' }] };
  const before = demo.connector.activities().length;
  await demo.post({ ...added, serviceUrl: demo.connector.url });
  await demo.show('The bot is added to the channel "Demo team · General". It says:', contentOf(demo.connector.activities()[before]));

  const [prompt] = await demo.say(first, channel, assess);
  await demo.show(`${first.name}: @Maturity Pulse ${assess}`, contentOf(prompt), 'prompt');
  const answer = buttonData(contentOf(prompt), 'Answer');

  for (const [index, { member, levels }] of TEAM.entries()) {
    // Answer opens a dialog (task/fetch) only this member sees; each Next is a task/submit that returns the next card.
    const opened = await demo.post(taskFetch(demo.connector.url, member, channel, answer));
    let card = dialogCard(opened);
    if (index === 0) await demo.show(`${member.name} presses Answer: a dialog only they see opens`, card, 'question');
    for (let question = 0; hasButton(card, 'Next'); question += 1) {
      const level = levels[question % levels.length] ?? '300';
      card = dialogCard(await demo.post(taskSubmit(demo.connector.url, member, channel, { ...buttonData(card, 'Next'), level })));
    }
    await demo.show(
      `${member.name} answers every question; the dialog ends with their own summary (never posted)`,
      card,
      `summary-${index + 1}`,
    );
    if (index === 0) {
      const [withheld] = await demo.say(others[0] ?? first, channel, results);
      await demo.show(
        `${(others[0] ?? first).name}: @Maturity Pulse ${results} (one person has answered)`,
        contentOf(withheld),
        'withheld',
      );
    }
  }

  const [result] = await demo.say(first, channel, results);
  await demo.show(`${first.name}: @Maturity Pulse ${results} (all three have answered)`, contentOf(result), 'team-result');
}

function dialogCard(response: Record<string, unknown>): Card {
  const task = response.task as { type?: string; value?: { card?: { content?: Card } } | string } | undefined;
  if (task?.type !== 'continue' || typeof task.value !== 'object' || !task.value.card?.content)
    throw new Error(`The dialog did not return a card: ${JSON.stringify(response)}`);
  return task.value.card.content;
}

function hasButton(card: unknown, title: string): boolean {
  try {
    buttonData(card, title);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { model: { type: 'string' }, 'no-screenshots': { type: 'boolean' } },
  });
  const botUrl = positionals[0] ?? 'http://localhost:3978/api/messages';
  try {
    await fetch(new URL('/healthz', botUrl));
  } catch {
    console.error(`No bot answers at ${botUrl}. Start it first with npm start (in another terminal), or pass its /api/messages URL.`);
    return 1;
  }
  const missing = values['no-screenshots'] ? 'you asked for none.' : chromiumMissing();
  if (missing) console.warn(`No screenshots: ${missing}`);
  else mkdirSync(OUT_DIR, { recursive: true });
  const connector = await new LocalConnector().start();
  const renderer = missing ? undefined : await openCardRenderer();
  try {
    await play(new Demo(botUrl, connector, renderer), values.model);
  } finally {
    await renderer?.close();
    await connector.stop();
  }
  if (!missing) console.log(`\nScreenshots of the cards: ${path.relative(process.cwd(), OUT_DIR)}/`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
