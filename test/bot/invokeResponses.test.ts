import { describe, expect, it } from 'vitest';
import { invokeText } from '../../src/bot/invokeResponses.js';

describe('invokeText', () => {
  it('puts the words where the member reads them: on the card, or in the dialog', () => {
    expect(invokeText('adaptiveCard/action', 'Try again', { status: 500, code: 'X' })).toEqual({
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Try again' },
    });
    expect(invokeText('task/submit', 'Try again', { status: 500, code: 'X' })).toEqual({
      status: 200,
      body: { task: { type: 'message', value: 'Try again' } },
    });
  });

  it('answers any other invoke with the given error status and the reason', () => {
    expect(invokeText('composeExtension/query', 'Not for you', { status: 403, code: 'Forbidden' })).toEqual({
      status: 403,
      body: { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: 'Not for you' } },
    });
  });
});
