import { describe, expect, it } from 'vitest';
import { groupBy, interleave } from '../../src/model/collections.js';

describe('groupBy and interleave', () => {
  it('groups in first-seen order and keeps each group in order', () => {
    expect([...groupBy(['a1', 'b1', 'a2', 'c1', 'b2'], (item) => item[0]!)]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1', 'b2']],
      ['c', ['c1']],
    ]);
  });

  it('takes one item from each group in turn, so one big group cannot hold up the others', () => {
    expect(interleave(['a1', 'a2', 'a3', 'b1', 'c1', 'c2'], (item) => item[0]!)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    expect(interleave([], (item: string) => item)).toEqual([]);
  });
});
