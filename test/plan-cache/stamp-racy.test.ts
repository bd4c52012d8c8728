import { describe, expect, it } from 'vitest';
import { isRacy, type Stamp } from '../../src/plan-cache/stamp.js';

const file = (ms: number): Stamp => ['f', 1, ms, ms, 7];

describe('the racy rule (plan snapshot stamps)', () => {
  const since = 1_796_177_520_000.25;

  it('trusts a nanosecond stamp that happens to be a whole millisecond, written a second before the plan', () => {
    // ext4 gives such times to about one file in 4,096: 10,000 outputs of a build always hold a few.
    expect(isRacy(file(1_796_177_519_123), since)).toBe(false);
    expect(isRacy(file(1_796_177_518_999), since)).toBe(false);
  });

  it('still distrusts a whole-second stamp (FAT, HFS+) taken under two seconds before the plan', () => {
    expect(isRacy(file(1_796_177_519_000), since)).toBe(true);
    expect(isRacy(file(1_796_177_517_000), since)).toBe(false);
  });

  it('distrusts any stamp taken within 50 ms before the plan, or after it started', () => {
    expect(isRacy(file(since - 10.5), since)).toBe(true);
    expect(isRacy(file(since + 100.5), since)).toBe(true);
    expect(isRacy(file(since - 60.5), since)).toBe(false);
  });
});
