/** What the help desk model did with a question, in the evaluation's terms. */
import type { HelpDeskAnswer } from '../../src/model/supportAnswerer.js';
import type { Observed } from './evaluate.js';

export function observeAnswer(answer: HelpDeskAnswer): Observed {
  switch (answer.kind) {
    case 'entry': {
      const { about, id } = answer.entry;
      return {
        kind: 'answer',
        entryId: id,
        ...(about.kind === 'level' ? { level: about.level } : {}),
        ...(about.kind === 'tier' ? { tier: about.tier } : {}),
      };
    }
    case 'tier':
      return { kind: 'answer', tier: answer.decision.tier.id };
    case 'form':
      return { kind: 'form' };
    case 'suggest':
      return { kind: 'suggest', entryIds: answer.entries.map((entry) => entry.id) };
    case 'unknown':
      return { kind: 'unknown' };
  }
}
