import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, quote, sha256Hex } from '../../src/hash/canonical.js';

/** Rebuilds every object of a JSON-like value with its keys in a random order. */
function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand)]));
  }
  return value;
}

describe('quote', () => {
  // Every key's strings go through it: a different text would be a different key.
  it('writes every string as JSON.stringify does: quotes, backslashes, controls, lone and paired surrogates, U+2028', () => {
    const samples = ['', 'plain words', 'say "hi"', 'back\\slash', 'tab\there', 'nl\n', '\u0000\u001f\u007f', '\ud83d\ude00', '\ud800 lone', 'lone \udfff', '\u2028\u2029', 'é ü 日本'];
    for (const s of samples) expect(quote(s)).toBe(JSON.stringify(s));
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })), (s) => quote(s) === JSON.stringify(s)), { numRuns: 2000 });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x y' } })).toBe(
      '{"a":{"c":"x y","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined members but keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
  });

  it('writes -0 as 0 so both hash alike', () => {
    expect(canonicalJson({ x: -0 })).toBe('{"x":0}');
    expect(sha256Hex(canonicalJson([-0]))).toBe(sha256Hex(canonicalJson([0])));
  });

  it('rejects values JSON cannot hold faithfully', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain objects/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });

  it('accepts a shared (non-circular) object twice', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('gives the same text whatever the key order (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        expect(canonicalJson(shuffleKeys(value, rand))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('is valid JSON that reads back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON cannot tell -0 from 0; canonical JSON deliberately folds them.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('is the JSON text of the value with every object\'s keys sorted by code unit (property)', () => {
    // Written out, not rebuilt as an object: an object would put integer-like keys first again.
    const sorted = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map(sorted).join(',')}]`
        : v && typeof v === 'object'
          ? `{${Object.keys(v)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${sorted((v as Record<string, unknown>)[k])}`)
              .join(',')}}`
          : JSON.stringify(v);
    const keys = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('a', 'b', 'B', 'é', '_', '10', '2', '', 'aa', 'a\u0000'));
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(keys, tie('v'), { maxKeys: 8 })),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(sorted(v));
      }),
      { numRuns: 500 },
    );
  });

  it('sha256Hex hashes strings as UTF-8 and buffers as bytes', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('é')).toBe(sha256Hex(Buffer.from('é', 'utf8')));
  });
});
