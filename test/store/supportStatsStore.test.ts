import { describe, expect, it } from 'vitest';
import { TableSupportStatsStore } from '../../src/store/supportStatsStore.js';
import { freshTable } from '../support/storage.js';

const TENANT = '72f988bf-0000-4000-8000-00000000abcd';
const OTHER = '72f988bf-0000-4000-8000-00000000ef01';

describe('help desk counts in Table Storage (Azurite)', () => {
  it('adds counts per organisation, month and answer', async () => {
    const store = new TableSupportStatsStore(await freshTable('stats'));
    await store.add(TENANT, '2026-11', 'sla', { asked: 1, up: 0, down: 0 });
    await store.add(TENANT, '2026-11', 'sla', { asked: 2, up: 1, down: 1 });
    await store.add(TENANT, '2026-10', 'sla', { asked: 5, up: 0, down: 0 });
    await store.add(OTHER, '2026-11', 'sla', { asked: 9, up: 0, down: 0 });
    expect(await store.counts(TENANT, ['2026-10', '2026-11'])).toEqual([
      { month: '2026-10', key: 'sla', asked: 5, up: 0, down: 0 },
      { month: '2026-11', key: 'sla', asked: 3, up: 1, down: 1 },
    ]);
  });

  it('keeps every increment when many land at once (ETag-checked)', async () => {
    const store = new TableSupportStatsStore(await freshTable('stats'));
    await Promise.all(Array.from({ length: 6 }, () => store.add(TENANT, '2026-11', 'unanswered', { asked: 1, up: 0, down: 0 })));
    expect(await store.counts(TENANT, ['2026-11'])).toEqual([{ month: '2026-11', key: 'unanswered', asked: 6, up: 0, down: 0 }]);
  });

  it('keeps question texts apart from counts, newest first, per organisation', async () => {
    const store = new TableSupportStatsStore(await freshTable('stats'));
    await store.keepQuestion(TENANT, '2026-11', 'first question', new Date('2026-11-02T10:00:00Z'));
    await store.keepQuestion(TENANT, '2026-11', 'second question', new Date('2026-11-03T10:00:00Z'));
    await store.keepQuestion(OTHER, '2026-11', 'elsewhere', new Date('2026-11-03T10:00:00Z'));
    await store.add(TENANT, '2026-11', 'unanswered', { asked: 2, up: 0, down: 0 });
    expect((await store.questions(TENANT, '2026-11', 10)).map((question) => question.text)).toEqual(['second question', 'first question']);
    expect(await store.questions(TENANT, '2026-11', 1)).toHaveLength(1);
    expect((await store.counts(TENANT, ['2026-11'])).map((row) => row.key)).toEqual(['unanswered']);
  });
});
