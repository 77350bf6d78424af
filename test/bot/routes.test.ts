import { describe, expect, it } from 'vitest';
import { createRoutes, INVALID_SUBMISSION, type RouteServices } from '../../src/bot/routes.js';
import { DONT_KNOW } from '../../src/bot/supportDesk.js';
import type { ConversationKind, Reply, Surface, Turn } from '../../src/bot/turn.js';
import type { AdaptiveCard } from '../../src/cards/templates.js';
import { CARD_VERBS, COMMANDS } from '../../src/model/commands.js';
import { pino } from 'pino';

// The route table on its own: which handler each command and verb reaches, and what everything else gets.
// The handlers' doubles answer with their own name, so a test reads which one ran.

const card = (name: string): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', name });

function services(calls: string[], admin = true): RouteServices {
  const called = (name: string) => {
    calls.push(name);
    return card(name);
  };
  const said = (name: string) => {
    calls.push(name);
    return name;
  };
  return {
    flow: {
      start: async (_turn, modelId) => called(`flow.start ${modelId}`),
      change: async (_turn, action) => called(`flow.change ${action.model}${action.capability ? ` ${action.capability}` : ''}`),
      answer: async (_turn, action) => called(`flow.answer ${action.model} ${action.level ?? ''}`),
      back: async () => called('flow.back'),
      skip: async () => called('flow.skip'),
      summary: async (_turn, modelId) => called(`flow.summary ${modelId}`),
      teamResult: async (_team, modelId) => called(`flow.teamResult ${modelId}`),
      prompt: (modelId) => called(`flow.prompt ${modelId}`),
    },
    supportDesk: {
      tierForm: () => called('desk.tierForm'),
      level: async () => called('desk.level'),
      answer: async (_tenantId, question) => (question.includes('whole company') ? { card: called('desk.answer') } : { text: DONT_KNOW }),
      act: (_tenantId, data) => (data.verb === 'tier' ? called('desk.act') : undefined),
      stats: async (_tenantId, personal) => called(`desk.stats ${personal ? 'personal' : 'team'}`),
    },
    pulse: {
      pulse: async (_turn, args) => said(`pulse ${args.join(' ')}`),
      target: async (_turn, args) => said(`target ${args.join(' ')}`),
    },
    privacy: {
      forget: async () => said('forget me'),
      answerForget: async (_turn, action) => called(`privacy.${action.verb}`),
      export: async (_turn, args) => said(`export ${args.join(' ')}`),
    },
    admins: { isAdmin: async () => admin, refusal: (command) => `refused ${command}` },
    organisation: {
      results: async (_turn, args) => said(`results org ${args.join(' ')}`.trim()),
      target: async (_turn, args) => said(`target org ${args.join(' ')}`),
    },
    cards: { render: (name) => called(`render ${name}`) },
    logger: pino({ level: 'silent' }),
  };
}

function turnAt(surface: Surface, kind: ConversationKind = 'channel'): Turn & { posted: Reply[] } {
  const posted: Reply[] = [];
  return {
    tenantId: 'tenant',
    memberId: 'member',
    scopeId: 'scope',
    teamName: 'Team',
    kind,
    surface,
    address: { tenantId: 'tenant', conversationId: 'scope', kind, serviceUrl: 'http://connector', botId: 'bot', name: 'Team' },
    posted,
    post: async (reply) => void posted.push(reply),
    inTeam: async () => false,
  };
}

const nameOf = (reply: Reply) => (typeof reply === 'string' ? reply : reply.name);

describe('the route table', () => {
  it('has a handler for every command in COMMANDS and a route for every card verb, and nothing else', () => {
    const routes = createRoutes(services([]));
    expect(Object.keys(routes.commands).sort()).toEqual(COMMANDS.map((command) => command.name).sort());
    expect(Object.keys(routes.verbs).sort()).toEqual([...CARD_VERBS].sort());
    for (const verb of CARD_VERBS) expect(routes.verbs[verb].on.length, verb).toBeGreaterThan(0);
  });

  it.each([
    ['assess', 'flow.prompt adoption'],
    ['assess automation', 'flow.prompt automation'],
    ['results support', 'flow.teamResult support'],
    ['support', 'desk.tierForm'],
    ['support maturity', 'flow.prompt support'],
    ['support level', 'desk.level'],
    ['support stats', 'desk.stats team'],
    ['pulse on automation', 'pulse on automation'],
    ['target governance 300', 'target governance 300'],
    ['export adoption', 'export adoption'],
    ['results org', 'results org'],
    ['Results  Org automation', 'results org automation'],
    ['target org governance 300', 'target org governance 300'],
    ['forget me', 'forget me'],
    ['help', 'render help'],
    ['  HELP  ', 'render help'],
  ])('routes the command "%s" to its handler', async (text, handler) => {
    const routes = createRoutes(services([]));
    expect(nameOf(await routes.message(turnAt('chat'), text))).toBe(handler);
  });

  it('reaches every command in COMMANDS by its name', async () => {
    for (const { name } of COMMANDS) {
      const calls: string[] = [];
      const reply = await createRoutes(services(calls)).message(turnAt('chat'), name);
      expect(calls, name).toHaveLength(1);
      expect(reply, name).not.toBe(DONT_KNOW);
    }
  });

  it('answers text that is no command as a help-desk question, and says so when it knows no answer', async () => {
    const routes = createRoutes(services([]));
    expect(nameOf(await routes.message(turnAt('chat'), 'support for an app the whole company uses?'))).toBe('desk.answer');
    expect(await routes.message(turnAt('chat'), 'frobnicate the widgets')).toBe(DONT_KNOW);
    expect(await routes.message(turnAt('chat'), '')).toBe(DONT_KNOW);
  });

  it('runs an admin command only for a CoE admin, naming the command in the refusal', async () => {
    const calls: string[] = [];
    const routes = createRoutes(services(calls, false));
    expect(await routes.message(turnAt('chat'), 'pulse on')).toBe('refused pulse on');
    expect(await routes.message(turnAt('chat'), 'export')).toBe('refused export');
    expect(await routes.message(turnAt('chat', 'personal'), 'results org automation')).toBe('refused results org automation');
    expect(await routes.message(turnAt('chat', 'personal'), 'target org governance 300')).toBe('refused target org governance');
    expect(nameOf(await routes.message(turnAt('chat'), 'help'))).toBe('render help');
    expect(calls).toEqual(['render help']);
  });

  it('routes Delete and Cancel of the forget-me card from a card only, with their data checked', async () => {
    const calls: string[] = [];
    const routes = createRoutes(services(calls));
    const data = { chat: 'scope', issued: '2026-11-24T10:00:00.000Z' };
    expect(nameOf(await routes.cardAction(turnAt('card', 'personal'), { ...data, verb: 'forget' }))).toBe('privacy.forget');
    expect(nameOf(await routes.cardAction(turnAt('card', 'personal'), { ...data, verb: 'keep' }))).toBe('privacy.keep');
    expect(await routes.cardAction(turnAt('chat', 'personal'), { ...data, verb: 'forget' })).toBe(INVALID_SUBMISSION);
    expect(await routes.cardAction(turnAt('card', 'personal'), { ...data, verb: 'forget', memberId: 'someone' })).toBe(INVALID_SUBMISSION);
    expect(await routes.cardAction(turnAt('card', 'personal'), { verb: 'forget', chat: 'scope' })).toBe(INVALID_SUBMISSION);
    expect(calls).toEqual(['privacy.forget', 'privacy.keep']);
  });

  it('routes each card verb from the surfaces it belongs to, with the answer step named', async () => {
    const calls: string[] = [];
    const routes = createRoutes(services(calls));
    const action = { model: 'automation', capability: 'x', v: '1' };
    expect(nameOf(await routes.cardAction(turnAt('dialog'), { ...action, verb: 'answer', level: '300' }))).toBe(
      'flow.answer automation 300',
    );
    expect(calls).toEqual(['flow.answer automation 300']); // the pulse card's count follows from the answer store, not the route
    expect(nameOf(await routes.cardAction(turnAt('card'), { ...action, verb: 'back' }))).toBe('flow.back');
    expect(nameOf(await routes.cardAction(turnAt('card'), { ...action, verb: 'skip' }))).toBe('flow.skip');
    expect(nameOf(await routes.cardAction(turnAt('dialog'), { verb: 'change', model: 'support' }))).toBe('flow.change support');
    expect(nameOf(await routes.cardAction(turnAt('card'), { verb: 'change', model: 'adoption', capability: 'security' }))).toBe(
      'flow.change adoption security',
    );
    expect(nameOf(await routes.cardAction(turnAt('dialog'), { verb: 'summary', model: 'adoption' }))).toBe('flow.summary adoption');
    expect(nameOf(await routes.cardAction(turnAt('dialog'), { verb: 'open', model: 'adoption' }))).toBe('flow.start adoption');
    // A group chat is read by everyone: assess posts the prompt there, as in a channel, and the member answers in a dialog.
    expect(nameOf(await routes.cardAction(turnAt('chat', 'groupChat'), { verb: 'assess', model: 'adoption' }))).toBe(
      'flow.prompt adoption',
    );
    expect(nameOf(await routes.cardAction(turnAt('chat', 'personal'), { verb: 'assess', model: 'adoption' }))).toBe('flow.start adoption');
    expect(nameOf(await routes.cardAction(turnAt('chat'), { verb: 'assess', model: 'adoption' }))).toBe('flow.prompt adoption');
    expect(nameOf(await routes.cardAction(turnAt('card'), { verb: 'tier', solution: 'x' }))).toBe('desk.act');
  });

  it("keeps the member's own summary on a card and posts the team result beside it", async () => {
    const routes = createRoutes(services([]));
    const turn = turnAt('card');
    expect(nameOf(await routes.cardAction(turn, { verb: 'results', model: 'adoption' }))).toBe('flow.summary adoption');
    expect(turn.posted.map(nameOf)).toEqual(['flow.teamResult adoption']);
  });

  it('says, in a personal chat, that there is no team result there rather than only refreshing the summary', async () => {
    const routes = createRoutes(services([]));
    const turn = turnAt('card', 'personal');
    expect(nameOf(await routes.cardAction(turn, { verb: 'results', model: 'adoption' }))).toBe('flow.summary adoption');
    expect(turn.posted).toHaveLength(1);
    expect(turn.posted[0]).toMatch(/no team result here/);
  });

  it('welcomes and helps in the way that reaches the bot where it was added', async () => {
    const routes = createRoutes(services([]));
    expect(routes.welcome(turnAt('chat', 'personal'), 'Maturity Pulse')).toMatch(/Type \*\*assess\*\*/);
    for (const kind of ['channel', 'groupChat'] as const) {
      const welcome = routes.welcome(turnAt('chat', kind), 'Maturity Pulse');
      expect(welcome, kind).toContain('**@Maturity Pulse assess**');
      expect(welcome, kind).not.toMatch(/Type \*\*assess/);
    }
  });

  it('does not count a personal answer towards a pulse', async () => {
    const calls: string[] = [];
    await createRoutes(services(calls)).cardAction(turnAt('card', 'personal'), { verb: 'answer', model: 'adoption', level: '100' });
    expect(calls).toEqual(['flow.answer adoption 100']);
  });

  it('refuses, in words, an unknown verb, a verb from a surface it does not belong to, and data that does not parse', async () => {
    const calls: string[] = [];
    const routes = createRoutes(services(calls));
    for (const [surface, data] of [
      ['card', { verb: 'frobnicate', model: 'adoption' }],
      ['card', { model: 'adoption' }],
      ['card', { verb: 'toString', model: 'adoption' }],
      ['chat', { verb: 'answer', model: 'adoption', level: '300' }],
      ['dialog', { verb: 'tier' }],
      ['dialog', { verb: 'results', model: 'adoption' }],
      ['card', { verb: 'answer', model: 'elsewhere' }],
      ['card', { verb: 'answer', model: 'adoption', memberId: 'someone else' }],
      ['card', { verb: 'support', extra: true }],
    ] as const) {
      expect(await routes.cardAction(turnAt(surface), data), JSON.stringify(data)).toBe(INVALID_SUBMISSION);
    }
    expect(calls).toEqual([]);
  });

  it('opens a dialog on the first open question whichever button opened it, and refuses data that does not parse', async () => {
    const routes = createRoutes(services([]));
    expect(nameOf(await routes.dialogOpened(turnAt('dialog'), { verb: 'open', model: 'support', msteams: { type: 'task/fetch' } }))).toBe(
      'flow.start support',
    );
    expect(await routes.dialogOpened(turnAt('dialog'), { verb: 'open' })).toBe(INVALID_SUBMISSION);
  });
});
