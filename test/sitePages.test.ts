import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/botHarness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.close());

describe('the pages the Teams manifest links to', () => {
  it.each([
    ['/', 'Microsoft Power Platform maturity models'],
    ['/privacy', 'forget me'],
    ['/terms', 'self-assessment'],
  ])('%s is served as HTML', async (route, text) => {
    const response = await fetch(`${harness.app.url}${route}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain(text);
  });
});
