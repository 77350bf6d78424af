import * as AC from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import { summaryCard } from '../../src/cards/assessmentCards.js';
import { supportActionSchema } from '../../src/cards/supportCards.js';
import { forgetActionSchema } from '../../src/cards/privacyCards.js';
import { cardActionSchema, NOT_SURE_VALUE, SUPPORT_VERBS } from '../../src/model/commands.js';
import { MAX_CARD_BYTES, TEMPLATE_NAMES, type AdaptiveCard } from '../../src/cards/templates.js';
import { LEVELS } from '../../src/model/content.js';
import { everyQuestion, loadCardSamples, type CardSample } from '../support/cardSamples.js';

type Node = Record<string, unknown>;

const set = loadCardSamples();
const samples = set.samples;
const questions = [...everyQuestion(set, 'execute'), ...everyQuestion(set, 'submit')];
const allCards: CardSample[] = [...samples, ...questions];

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every typed object in the card (elements, inputs, actions, nested cards), in document order. */
function typedNodes(value: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(value)) {
    for (const item of value) typedNodes(item, found);
  } else if (isNode(value)) {
    if (typeof value.type === 'string') found.push(value);
    // Action data is the bot's payload, not card structure.
    for (const [key, child] of Object.entries(value)) if (key !== 'data') typedNodes(child, found);
  }
  return found;
}

const ofType = (card: AdaptiveCard, predicate: (type: string) => boolean) =>
  typedNodes(card).filter((node) => predicate(String(node.type)));
const actionsOf = (card: AdaptiveCard) => ofType(card, (type) => type.startsWith('Action.'));
const sample = (name: string): CardSample => {
  const found = samples.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no sample ${name}`);
  return found;
};

/** What the real Adaptive Cards renderer reports when it reads the card: parse events, then validation. */
function rendererProblems(card: AdaptiveCard): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1) {
    const event = context.getEventAt(index);
    problems.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push(`validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  return problems;
}

describe('card samples', () => {
  it('cover every template, every question mode and both result states', () => {
    expect(new Set(samples.map((entry) => entry.template))).toEqual(new Set(TEMPLATE_NAMES));
    expect(new Set(samples.map((entry) => entry.name)).size).toBe(samples.length);
    expect(samples.filter((entry) => entry.template === 'question').map((entry) => entry.mode)).toEqual(
      expect.arrayContaining(['execute', 'submit']),
    );
    const text = (name: string) => JSON.stringify(sample(name).card);
    expect(text('teamResult-ready')).toContain('Answers from');
    expect(text('teamResult-ready')).toContain('needed to show a level');
    expect(text('teamResult-ready')).toContain('Next best actions');
    expect(text('teamResult-ready')).toContain('Opportunities at');
    expect(text('teamResult-withheld')).toContain('Results appear once');
    expect(text('summary-nothing-answered')).toContain("You haven't chosen a level for any question yet");
    expect(text('summary-nothing-answered')).not.toContain('▱');
    expect(text('summary-answered-execute')).toContain('Your next steps');
    expect(text('question-middle-execute')).toContain('no longer valid');
  });

  it('include a question card for every capability of every model', () => {
    const capabilities = Object.values(set.content.models).reduce((sum, model) => sum + model.capabilities.length, 0);
    expect(questions).toHaveLength(capabilities * 2);
  });
});

describe.each(allCards.map((entry) => [entry.name, entry] as const))('%s', (_name, { card, template, mode, first, changing }) => {
  const json = JSON.stringify(card);

  it('is a version 1.5 card under the Teams size limit with every field bound', () => {
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(Buffer.byteLength(json)).toBeLessThan(MAX_CARD_BYTES);
    expect(json).not.toContain('${');
  });

  it('parses and validates in the adaptivecards renderer without events', () => {
    expect(rendererProblems(card)).toEqual([]);
  });

  it('labels required inputs and gives them an error message', () => {
    for (const input of ofType(card, (type) => type.startsWith('Input.')).filter((node) => node.isRequired === true)) {
      expect(input.label, `label of ${String(input.id)}`).toEqual(expect.stringMatching(/\S/));
      expect(input.errorMessage, `errorMessage of ${String(input.id)}`).toEqual(expect.stringMatching(/\S/));
    }
  });

  it('wraps every TextBlock and keeps ColumnSets to three columns', () => {
    for (const block of ofType(card, (type) => type === 'TextBlock')) expect(block, String(block.text)).toMatchObject({ wrap: true });
    for (const columnSet of ofType(card, (type) => type === 'ColumnSet')) {
      expect(Array.isArray(columnSet.columns) ? columnSet.columns.length : 0).toBeLessThanOrEqual(3);
    }
  });

  it('uses verbs on Action.Execute only, and Back/Skip send no inputs', () => {
    const actions = actionsOf(card);
    for (const action of actions) {
      if (action.type === 'Action.Execute') expect(action.verb, String(action.title)).toEqual(expect.stringMatching(/^[a-z]+$/));
      if (action.type === 'Action.Submit') expect(action, String(action.title)).not.toHaveProperty('verb');
      if (['Back', 'Skip for now', 'Cancel'].includes(String(action.title)))
        expect(action.associatedInputs, String(action.title)).toBe('none');
    }
    if (template === 'question' || template === 'summary') {
      const expected = mode === 'execute' ? 'Action.Execute' : 'Action.Submit';
      // Showing more of the card itself (Action.ToggleVisibility) never reaches the bot.
      for (const action of actions.filter((entry) => entry.type !== 'Action.ToggleVisibility'))
        expect(action.type, String(action.title)).toBe(expected);
    }
  });

  it('sends action data the bot accepts', () => {
    for (const action of actionsOf(card)) {
      const data = action.data;
      if (!isNode(data) || !('verb' in data)) continue;
      const schema = (SUPPORT_VERBS as readonly unknown[]).includes(data.verb)
        ? supportActionSchema(set.content.support)
        : template === 'forgetMe'
          ? forgetActionSchema
          : cardActionSchema;
      const parsed = schema.safeParse(data);
      expect(parsed.success, `${String(action.title)}: ${parsed.error?.message ?? ''}`).toBe(true);
      if (action.type === 'Action.Execute') expect(data.verb, String(action.title)).toBe(action.verb);
    }
  });

  if (template === 'question') {
    it('offers the five levels and Not sure', () => {
      const [choiceSet, ...others] = ofType(card, (type) => type === 'Input.ChoiceSet');
      expect(others).toEqual([]);
      expect(choiceSet).toMatchObject({ id: 'level', isRequired: true, style: 'expanded' });
      const choices = (choiceSet?.choices ?? []) as Node[];
      expect(choices).toHaveLength(6);
      expect(choices.map((choice) => choice.value)).toEqual([...LEVELS.map(String), NOT_SURE_VALUE]);
      for (const choice of choices) expect(choice.title).toEqual(expect.stringMatching(/\S/));
    });

    it('has Next and Skip, and Back only after the first question; Save and Cancel when changing one answer', () => {
      const titles = actionsOf(card).map((action) => action.title);
      if (changing) expect(titles).toEqual(['Save', 'Cancel']);
      else expect(titles).toEqual(first ? ['Next', 'Skip for now'] : ['Next', 'Back', 'Skip for now']);
    });
  }
});

describe('question card state', () => {
  it('preselects the saved answer and shows the notice on a middle question', () => {
    const level = (name: string) => ofType(sample(name).card, (type) => type === 'Input.ChoiceSet')[0]?.value;
    expect(level('question-middle-execute')).toBe('300');
    expect(level('question-middle-submit')).toBe(NOT_SURE_VALUE);
    expect(level('question-first-execute') ?? '').toBe('');
    const notices = (name: string) => ofType(sample(name).card, () => true).filter((node) => node.color === 'Attention');
    expect(notices('question-middle-execute')).toHaveLength(1);
    expect(notices('question-first-execute')).toHaveLength(0);
  });
});

/** Every TextBlock text of a card, visible or behind a toggle, in document order. */
const textsOf = (card: AdaptiveCard) => ofType(card, (type) => type === 'TextBlock').map((block) => String(block.text));

describe('what the assessment cards say', () => {
  const adoption = set.content.models.adoption;
  const automation = set.content.models.automation;
  const support = set.content.models.support;

  it("reaches every one of the overall level's opportunities: a few shown, the rest behind Show all", () => {
    for (const name of ['summary-answered-execute', 'teamResult-ready', 'summary-answered-submit']) {
      const { card } = sample(name);
      const heading = textsOf(card).find((text) => text.startsWith('Opportunities at '));
      const level = adoption.levels.find((entry) => heading === `Opportunities at ${entry.name}`);
      if (!level) throw new Error(`${name} shows no opportunities heading`);
      expect(level.opportunities.length, name).toBeGreaterThan(3);
      const texts = textsOf(card).join('\n');
      for (const opportunity of level.opportunities) expect(texts, name).toContain(opportunity.text);
      const toggles = actionsOf(card).filter((action) => action.type === 'Action.ToggleVisibility');
      expect(toggles.map((action) => action.title)).toEqual([`Show all ${level.opportunities.length} opportunities`, 'Show fewer']);
      const hidden = ofType(card, () => true).find((node) => node.id === 'moreOpportunities');
      expect(hidden, name).toMatchObject({ isVisible: false });
    }
  });

  it('links every next step: its own links, else its capability section', () => {
    for (const name of ['summary-answered-execute', 'summary-automation-partial-execute', 'teamResult-ready', 'summary-all-answered-execute']) {
      const blocks = ofType(sample(name).card, (type) => type === 'Container').filter((container) =>
        String((container.items as Node[] | undefined)?.[0]?.text ?? '').includes(' → '),
      );
      expect(blocks.length, name).toBeGreaterThan(0);
      for (const block of blocks) {
        const items = block.items as Node[];
        expect(String(items[1]?.text ?? ''), `${name}: ${String(items[0]?.text)}`).toMatch(/\]\(https:\/\//);
      }
    }
  });

  it('says in a line what the overall level means', () => {
    expect(textsOf(sample('summary-answered-execute').card)).toContain(`**100 Initial**: ${adoption.levels[0]!.headline}`);
    expect(textsOf(sample('teamResult-ready').card)).toContain(`**200 Repeatable**: ${adoption.levels[1]!.headline}`);
    expect(textsOf(sample('teamResult-withheld').card).join(' ')).not.toContain(adoption.levels[0]!.headline);
  });

  it('offers Continue on a partial summary, in chat and in the dialog, and not once every question is answered', () => {
    const continueOf = (name: string) => actionsOf(sample(name).card).filter((action) => action.title === 'Continue');
    expect(continueOf('summary-answered-execute')).toEqual([expect.objectContaining({ type: 'Action.Execute', verb: 'assess' })]);
    expect(continueOf('summary-answered-submit')).toEqual([expect.objectContaining({ type: 'Action.Submit' })]);
    expect(continueOf('summary-automation-partial-execute')).toHaveLength(1);
    expect(continueOf('summary-all-answered-execute')).toEqual([]);
    expect(continueOf('summary-nothing-answered')).toEqual([]);
  });

  it('names HEAT pillars as such, and marks the adoption-pillar pairing as ours', () => {
    const context = (name: string) => textsOf(sample(name).card)[1];
    expect(context('question-automation-execute')).toBe(`HEAT pillar 3 of ${automation.capabilities.length}`);
    expect(context('question-first-execute')).toBe(`1 of ${adoption.capabilities.length} · Adoption pillar: Strategy (our mapping)`);
    expect(context('question-support-execute')).toBe('Adoption pillar: Operations (our mapping)');
    for (const question of questions.filter((entry) => entry.name.startsWith('question-automation-')))
      expect(JSON.stringify(question.card), question.name).not.toContain('Adoption pillar');
  });

  it("opens the capability's own section from \"What do these levels mean?\"", () => {
    for (const question of questions.filter((entry) => entry.mode === 'execute')) {
      const link = textsOf(question.card).find((text) => text.startsWith('[What do these levels mean?]'));
      expect(link, question.name).toMatch(/#[a-z-]+\)$|support-strategy-maturity\)$/);
    }
  });

  it("says where a link is the source's own and opens another page than its title", () => {
    const texts = textsOf(sample('summary-automation-partial-execute').card).join('\n');
    expect(texts).toContain("[Azure VM deployment](https://learn.microsoft.com/azure/architecture/framework/scalability/design-apps) (the source's link: it opens");
  });

  it('keeps the further reading of the model, and says where opportunities are our suggestions', () => {
    const texts = textsOf(sample('summary-automation-partial-execute').card).join('\n');
    for (const group of automation.resources) expect(texts).toContain(`**${group.heading}**`);
    const supportSummary = summaryCard(set.cards, {
      model: support,
      choices: new Map([['support-strategy', 200]]),
      mode: 'execute',
      inTeam: false,
    });
    expect(support.opportunitiesNote).toMatch(/\S/);
    expect(textsOf(supportSummary)).toContain(support.opportunitiesNote);
    expect(textsOf(sample('summary-answered-execute').card).join('\n')).not.toMatch(/our suggestions/i);
  });
});

describe('changing one answer', () => {
  const adoption = set.content.models.adoption;

  it('lists every question with the answer given, to pick the one to change', () => {
    for (const name of ['changeAnswer-execute', 'changeAnswer-submit']) {
      const [choiceSet] = ofType(sample(name).card, (type) => type === 'Input.ChoiceSet');
      expect(choiceSet, name).toMatchObject({ id: 'capability', isRequired: true, style: 'expanded' });
      const choices = (choiceSet?.choices ?? []) as Node[];
      expect(choices.map((choice) => choice.value)).toEqual(adoption.capabilities.map((capability) => capability.id));
      expect(choices.map((choice) => choice.title)).toContain('Governance: 100 Initial');
      expect(choices.map((choice) => choice.title)).toContain('Support: not answered yet');
      expect(actionsOf(sample(name).card).map((action) => action.title)).toEqual(['Change', 'Back']);
    }
    expect(textsOf(sample('changeAnswer-submit').card).join(' ')).toContain('Nothing was changed');
  });

  it('sends the picked question with the change verb (the input id is the action data field)', () => {
    const change = actionsOf(sample('changeAnswer-execute').card).find((action) => action.title === 'Change')!;
    expect(cardActionSchema.safeParse({ ...(change.data as object), capability: 'security' }).success).toBe(true);
  });

  it('marks a question opened to change one answer, so Save and Cancel lead back to the summary', () => {
    for (const name of ['question-changing-execute', 'question-changing-submit']) {
      for (const action of actionsOf(sample(name).card)) expect((action.data as Node).then, `${name}: ${String(action.title)}`).toBe('summary');
    }
    for (const action of actionsOf(sample('question-middle-execute').card)) expect((action.data as Node).then).toBeUndefined();
  });
});

describe('texts per scope', () => {
  const help = (name: string) => textsOf(sample(name).card).join('\n');

  it('lists in a personal chat only what works there, and no admin command "for this channel"', () => {
    const personal = help('help-personal');
    for (const command of ['pulse on', 'target capability', 'export [']) expect(personal).not.toContain(`**${command}`);
    expect(personal).not.toMatch(/this channel|@mention/);
    expect(personal).toContain('**forget me**');
    expect(personal).toMatch(/your own summary/i);
  });

  it('says to @mention the bot in a channel and a group chat, and lists the team commands there', () => {
    for (const name of ['help-channel', 'help-groupChat']) {
      expect(help(name), name).toContain('@mention me');
      expect(help(name), name).toContain('**pulse on [model] | off | status | now**');
      expect(help(name), name).not.toContain('**forget me**');
    }
    expect(help('help-groupChat')).not.toMatch(/channel/);
  });

  it('offers Team results on a summary only where a team result exists', () => {
    const titles = (name: string) => actionsOf(sample(name).card).map((action) => action.title);
    expect(titles('summary-answered-execute')).toContain('Team results');
    expect(titles('summary-personal-execute')).not.toContain('Team results');
    expect(titles('summary-personal-execute')).toContain('Change answers');
  });
});

describe('renderer check', () => {
  it('reports unknown elements and actions and unlabelled required inputs', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Madeup' }, { type: 'Input.ChoiceSet', id: 'x', isRequired: true, choices: [{ title: 'a', value: 'a' }] }],
      actions: [{ type: 'Action.Madeup', title: 'Go' }],
    } as AdaptiveCard;
    const problems = rendererProblems(broken).join('\n');
    expect(problems).toMatch(/UnknownElementType/);
    expect(problems).toMatch(/UnknownActionType/);
    expect(problems).toMatch(/RequiredInputsShouldHaveLabel/);
    expect(problems).toMatch(/RequiredInputsShouldHaveErrorMessage/);
  });
});

describe('rendering', () => {
  it('refuses a card with a missing bound field', () => {
    expect(() => set.cards.render('help', { commands: [] })).toThrow(/unbound field \$\{intro\}/);
    expect(() =>
      set.cards.render('assessmentPrompt', { heading: 'h', description: 'd', effortLine: 'e', openData: {}, resultsData: {} }),
    ).toThrow(/unbound field \$\{privacyLine\}/);
  });
});
