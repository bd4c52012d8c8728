import { describe, expect, it } from 'vitest';
import { grouped } from '../../src/util/grouped.js';

describe('grouped', () => {
  it('writes integers as toLocaleString("en-US") does, without loading ICU', () => {
    for (const n of [0, 7, 999, 1000, 10_000, 99_999, 100_000, 1_234_567, -1, -1000, -1_234_567, Number.MAX_SAFE_INTEGER]) {
      expect(grouped(n)).toBe(n.toLocaleString('en-US'));
    }
  });
});
