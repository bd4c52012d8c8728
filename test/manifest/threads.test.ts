/** How many worker threads a cold load starts by default (src/manifest/load/threshold.ts). */
import { describe, expect, it } from 'vitest';
import { defaultThreads, PARALLEL_MIN_FILES } from '../../src/manifest/load/threshold.js';

describe('defaultThreads', () => {
  it('starts none on one core, and one on two (measured to take less CPU than none)', () => {
    expect(defaultThreads(10_000, 1)).toBe(0);
    expect(defaultThreads(10_000, 2)).toBe(1);
  });

  it('starts one fewer than the cores, at most 3, from PARALLEL_MIN_FILES misses', () => {
    expect(defaultThreads(PARALLEL_MIN_FILES - 1, 8)).toBe(0);
    expect(defaultThreads(PARALLEL_MIN_FILES, 3)).toBe(2);
    expect(defaultThreads(10_000, 4)).toBe(3);
    expect(defaultThreads(10_000, 16)).toBe(3);
  });
});
