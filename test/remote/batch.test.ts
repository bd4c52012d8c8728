/** Restores are journaled in batches: the first at once, the rest together, each caller told when its batch is saved. */
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/remote/batch.js';

describe('Batcher', () => {
  it('applies the first item at once and the items that arrive within the interval as one batch', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number>(async (xs) => {
      batches.push(xs);
    }, 50);
    await b.add(0);
    expect(batches).toEqual([[0]]);
    await Promise.all([1, 2, 3, 4].map((i) => b.add(i)));
    expect(batches).toEqual([[0], [1, 2, 3, 4]]);
  });

  it('a full batch goes at once, and a failed batch rejects each of its callers', async () => {
    let calls = 0;
    const b = new Batcher<number>(async () => {
      calls++;
      if (calls === 2) throw new Error('disk full');
    }, 60_000, 3);
    await b.add(0);
    const second = [1, 2, 3].map((i) => b.add(i).then(() => 'ok', (e: Error) => e.message));
    expect(await Promise.all(second)).toEqual(['disk full', 'disk full', 'disk full']);
  });
});
