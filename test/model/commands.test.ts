import { describe, expect, it } from 'vitest';
import { parseCommand, wordedForScope } from '../../src/model/commands.js';

describe('wordedForScope: a command to type, as it must be sent where the reply is read', () => {
  it("leaves a personal chat's wording as written", () => {
    const text = 'Type **pulse on** to start it. Try **assess adoption**.';
    expect(wordedForScope(text, 'personal')).toBe(text);
  });

  it('says to @mention the bot in a channel and a group chat, at the start of a sentence and inside one', () => {
    for (const scope of ['team', 'groupChat'] as const) {
      expect(wordedForScope('Past results stay; type **pulse on** to start it again.', scope)).toBe(
        'Past results stay; @mention me with **pulse on** to start it again.',
      );
      expect(wordedForScope('Type **assess** to pick up where you left off.', scope)).toBe(
        '@mention me with **assess** to pick up where you left off.',
      );
      expect(wordedForScope('Yours is counted; ask colleagues to type **support maturity** too.', scope)).toBe(
        'Yours is counted; ask colleagues to @mention me with **support maturity** too.',
      );
    }
  });

  it('rewords a whole list of commands once, and a command with its arguments', () => {
    expect(wordedForScope('Type **pulse on**, **pulse off**, **pulse status** or **pulse now**.', 'team')).toBe(
      '@mention me with **pulse on**, **pulse off**, **pulse status** or **pulse now**.',
    );
    expect(wordedForScope('Try **results adoption**, **results automation** or **results support**.', 'groupChat')).toBe(
      '@mention me with **results adoption**, **results automation** or **results support**.',
    );
  });

  it('keeps an instruction to type in the personal chat, and bold words that are no command', () => {
    for (const text of [
      'For your privacy, type **forget me** in your personal chat with me.',
      'Type **support stats** in your personal chat with me to read them.',
      'Type **Yes** to confirm.',
      'The pulse is **on** (adoption).',
    ])
      expect(wordedForScope(text, 'team')).toBe(text);
  });

  it('rewords every instruction in a text, each on its own', () => {
    expect(wordedForScope("Type **support** and I'll work out the tier, or type **help** for everything I can do.", 'groupChat')).toBe(
      "@mention me with **support** and I'll work out the tier, or @mention me with **help** for everything I can do.",
    );
  });
});

describe('parseCommand: a typed message read as a command', () => {
  it('ignores case and extra spaces, and keeps the words after the command as arguments', () => {
    expect(parseCommand('  Assess   AUTOMATION ')).toEqual({ command: 'assess', args: ['automation'] });
    expect(parseCommand('results')).toEqual({ command: 'results', args: [] });
    expect(parseCommand('target governance 300')).toEqual({ command: 'target', args: ['governance', '300'] });
  });

  it('prefers the longest command name, so "support level" is not "support" with an argument', () => {
    expect(parseCommand('support level')).toEqual({ command: 'support level', args: [] });
    expect(parseCommand('support maturity')).toEqual({ command: 'support maturity', args: [] });
    expect(parseCommand('support who handles flows')).toEqual({ command: 'support', args: ['who', 'handles', 'flows'] });
    expect(parseCommand('forget me')).toEqual({ command: 'forget me', args: [] });
  });

  it('is not fooled by a command name inside a word or later in the sentence', () => {
    expect(parseCommand('assessment please')).toBeUndefined();
    expect(parseCommand('please assess')).toBeUndefined();
    expect(parseCommand('forget')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
    expect(parseCommand('   ')).toBeUndefined();
  });
});
