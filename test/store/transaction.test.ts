import { describe, expect, it } from 'vitest';
import { statusOf } from '../../src/store/tables.js';
import { Transactions } from '../../src/store/transaction.js';
import { countRequests, freshTable } from '../support/storage.js';

const rowsOf = async (table: Awaited<ReturnType<typeof freshTable>>) => {
  const rows: Record<string, unknown>[] = [];
  for await (const row of table.listEntities()) rows.push(row);
  return rows.map(({ partitionKey, rowKey, value }) => ({ partitionKey, rowKey, value }));
};

describe('Transactions (against Azurite)', () => {
  it('applies creates, conditional replaces and deletes in one request, and returns each new ETag in order', async () => {
    const table = await freshTable('tx');
    const transactions = new Transactions(table);
    const requests = countRequests(table);
    const [first, second] = await transactions.submit([
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a', value: 1 } },
      { kind: 'create', entity: { partitionKey: 'p', rowKey: 'b', value: 'two' } },
    ]);
    expect(requests.count).toBe(1);
    expect(first).toBe((await table.getEntity('p', 'a')).etag);
    expect(second).toBe((await table.getEntity('p', 'b')).etag);

    const [replaced, removed] = await transactions.submit([
      { kind: 'replace', entity: { partitionKey: 'p', rowKey: 'a', value: 1.5 }, etag: first! },
      { kind: 'delete', partitionKey: 'p', rowKey: 'b', etag: second! },
    ]);
    expect(replaced).toBe((await table.getEntity('p', 'a')).etag);
    expect(removed).toBeUndefined();
    expect(await rowsOf(table)).toEqual([{ partitionKey: 'p', rowKey: 'a', value: 1.5 }]);
  });

  it('applies nothing when one operation fails, and reports its status: 409 exists, 412 changed, 404 missing', async () => {
    const table = await freshTable('tx');
    const transactions = new Transactions(table);
    const [etag] = await transactions.submit([{ kind: 'create', entity: { partitionKey: 'p', rowKey: 'a', value: 1 } }]);
    await table.updateEntity({ partitionKey: 'p', rowKey: 'a', value: 2 }, 'Replace');
    const failing = [
      [409, { kind: 'create', entity: { partitionKey: 'p', rowKey: 'a', value: 3 } }],
      [412, { kind: 'replace', entity: { partitionKey: 'p', rowKey: 'a', value: 3 }, etag: etag! }],
      [412, { kind: 'delete', partitionKey: 'p', rowKey: 'a', etag: etag! }],
      [404, { kind: 'delete', partitionKey: 'p', rowKey: 'gone' }],
    ] as const;
    for (const [status, operation] of failing) {
      const error = await transactions
        .submit([{ kind: 'create', entity: { partitionKey: 'p', rowKey: 'new', value: 0 } }, operation])
        .catch((caught: unknown) => caught);
      expect(statusOf(error), JSON.stringify(operation)).toBe(status);
      expect(await rowsOf(table)).toEqual([{ partitionKey: 'p', rowKey: 'a', value: 2 }]);
    }
  });

  it('addresses rows whose keys hold quotes, percent signs and other characters URLs escape', async () => {
    const table = await freshTable('tx');
    const transactions = new Transactions(table);
    const keys = ["it's", '100%25 sure', 'a|b c+d&e=f', 'ümlaut·'];
    await transactions.submit(
      keys.map((rowKey) => ({ kind: 'create' as const, entity: { partitionKey: "o'k%7C", rowKey, value: rowKey } })),
    );
    await transactions.submit(
      keys.map((rowKey) => ({ kind: 'replace' as const, entity: { partitionKey: "o'k%7C", rowKey, value: `${rowKey}!` }, etag: '*' })),
    );
    expect((await rowsOf(table)).map((row) => [row.rowKey, row.value]).sort()).toEqual(keys.map((key) => [key, `${key}!`]).sort());
    await transactions.submit(keys.map((rowKey) => ({ kind: 'delete' as const, partitionKey: "o'k%7C", rowKey })));
    expect(await rowsOf(table)).toEqual([]);
  });

  it('refuses a number it cannot store faithfully, before anything is sent', async () => {
    const table = await freshTable('tx');
    const requests = countRequests(table);
    await expect(
      new Transactions(table).submit([{ kind: 'create', entity: { partitionKey: 'p', rowKey: 'a', value: 2 ** 40 } }]),
    ).rejects.toThrow('cannot store as Int32 or Double');
    expect(requests.count).toBe(0);
  });
});
