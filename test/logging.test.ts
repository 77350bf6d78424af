import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging.js';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', { write: (line: string) => void lines.push(line) }) };
}

describe('createLogger', () => {
  it('blanks credentials that ride along on logged objects, such as the signed request inside a storage error', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('The server is busy.'), {
      statusCode: 503,
      request: { url: 'https://account.table.core.windows.net/answers', headers: { authorization: 'SharedKeyLite account:SIGNATURE' } },
      response: {
        status: 503,
        headers: { 'set-cookie': 'session=COOKIE' },
        request: { headers: { authorization: 'Bearer CONNECTOR-TOKEN' } },
      },
    });
    logger.error(
      {
        err,
        headers: { authorization: 'Bearer INBOUND-TOKEN' },
        token: 'TOKEN',
        appPassword: 'PASSWORD',
        connectionString: 'AccountKey=KEY',
      },
      'failed',
    );
    const line = JSON.parse(lines[0]!) as Record<string, any>;
    expect(lines[0]).not.toMatch(/SIGNATURE|COOKIE|CONNECTOR-TOKEN|INBOUND-TOKEN|"TOKEN"|PASSWORD|AccountKey/);
    // What helps a person fix the problem stays.
    expect(line.err).toMatchObject({ message: 'The server is busy.', statusCode: 503 });
    expect(line.msg).toBe('failed');
  });

  it('blanks what a member typed or chose, should an activity ever be logged whole', () => {
    const { lines, logger } = capture();
    logger.info({ activity: { type: 'message', text: 'my answer text', value: { level: '300' } } }, 'activity');
    expect(lines[0]).not.toMatch(/my answer text|"300"/);
    expect(JSON.parse(lines[0]!).activity.type).toBe('message');
  });
});
