import { describe, expect, it } from 'vitest';
import { shardConcurrency, shardOfKey } from '../../src/plan/shard.js';
import { createHash } from 'node:crypto';

const shares = (total: number, count: number): number[] => Array.from({ length: count }, (_, index) => shardConcurrency(total, { index, count }));

describe('shardConcurrency', () => {
  it('uses the whole cap: 10 jobs over 4 shards are 2, 2, 3, 3, not 2 each', () => {
    expect(shares(10, 4)).toEqual([2, 2, 3, 3]);
    expect(shares(10, 3)).toEqual([3, 3, 4]);
    expect(shares(10, 2)).toEqual([5, 5]);
    expect(shares(10, 1)).toEqual([10]);
  });

  it('sums to the cap whenever the cap covers every shard', () => {
    for (let total = 1; total <= 40; total++) {
      for (let count = 1; count <= total; count++) {
        const s = shares(total, count);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives every shard at least one job when the matrix is wider than the cap', () => {
    expect(shares(3, 5)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('shardOfKey', () => {
  it('spreads sha256 content keys evenly: 4,000 keys over 4 shards, each within 10 % of its share', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOfKey(createHash('sha256').update(`video ${i}`).digest('hex'), 4)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });
});
