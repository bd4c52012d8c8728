import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNatural, diffParts } from '../../src/hash/diff.js';
import { idempotencyKey } from '../../src/hash/idempotency.js';

describe('diffParts', () => {
  it('names changed, added and removed parts, in natural order', () => {
    const before = { 'scenes[10].script': '1', 'scenes[2].script': '1', 'voice.speed': 'a', caption: 'c', gone: 'x' };
    const after = { 'scenes[10].script': '2', 'scenes[2].script': '2', 'voice.speed': 'a', caption: 'd', added: 'y' };
    expect(diffParts(before, after)).toEqual(['added', 'caption', 'gone', 'scenes[2].script', 'scenes[10].script']);
  });

  it('is empty for equal parts and symmetric in the names it reports', () => {
    const parts = fc.dictionary(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b'));
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        expect(diffParts(a, { ...a })).toEqual([]);
        expect(diffParts(a, b)).toEqual(diffParts(b, a));
        for (const name of diffParts(a, b)) expect(a[name]).not.toBe(b[name]);
      }),
    );
  });

  it('does not treat inherited object properties as parts', () => {
    expect(diffParts({ toString: 'x' }, {})).toEqual(['toString']);
    expect(diffParts({}, { constructor: 'x' })).toEqual(['constructor']);
  });
});

describe('compareNatural', () => {
  it('orders digit runs by value and is a total order', () => {
    expect(['a10', 'a2', 'a1', 'b', 'a02'].sort(compareNatural)).toEqual(['a1', 'a02', 'a2', 'a10', 'b']);
    const str = fc.stringMatching(/^[a0-9.]{0,6}$/);
    fc.assert(
      fc.property(str, str, str, (a, b, c) => {
        const cmp = (x: string, y: string) => Math.sign(compareNatural(x, y));
        expect(cmp(a, b)).toBe(0 - cmp(b, a) || 0);
        if (cmp(a, b) === 0) expect(a).toBe(b);
        if (cmp(a, b) <= 0 && cmp(b, c) <= 0) expect(cmp(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('idempotencyKey', () => {
  const key = 'ab'.repeat(32);

  it('fits HeyGen limits and changes with the attempt', () => {
    const k1 = idempotencyKey(key, 1);
    expect(k1).toBe(`hb-${key.slice(0, 40)}-1`);
    expect(k1).toMatch(/^[A-Za-z0-9_:.-]{1,255}$/);
    expect(idempotencyKey(key, 2)).not.toBe(k1);
    expect(idempotencyKey('cd'.repeat(32), 1)).not.toBe(k1);
  });

  it('refuses a non-key or a bad attempt', () => {
    expect(() => idempotencyKey('not a key', 1)).toThrow(TypeError);
    expect(() => idempotencyKey(key, -1)).toThrow(TypeError);
    expect(() => idempotencyKey(key, 1.5)).toThrow(TypeError);
  });
});
