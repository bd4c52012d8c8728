/** Lockfile builders and arbitraries shared by the lockfile tests. */
import fc from 'fast-check';
import { LOCKFILE_VERSION } from '../../src/model/lock.js';
import type { AssetRecord, ClipLock, FileRecord, LockEntry, Lockfile, RemoteError, TranslationLock } from '../../src/model/lock.js';

export const hex = (c: string): string => c.repeat(64);

export function sampleLock(): Lockfile {
  return {
    version: LOCKFILE_VERSION,
    videos: {
      outro: {
        key: hex('b'),
        parts: { 'scenes[0].script': '12345678', dimension: 'fedcba09' },
        status: 'failed',
        attempt: 2,
        idempotencyKey: `hb-${'b'.repeat(40)}-2`,
        error: { code: 'avatar_not_found', message: 'Avatar "x" was not found: check the id' },
        translations: {},
      },
      intro: {
        key: hex('a'),
        parts: {
          'voice.speed': '01234567',
          'scenes[1].script': '89abcdef',
          'asset examples/assets/bg.png': 'cccccccc',
        },
        status: 'completed',
        api: 'v3',
        idempotencyKey: `hb-${'a'.repeat(40)}-1`,
        attempt: 1,
        remoteId: 'f3a1c2b4e5d6',
        durationSeconds: 42.5,
        output: { path: 'out/intro.mp4', sha256: hex('d'), size: 1_234_567 },
        captions: { path: 'out/intro.srt', sha256: hex('e'), size: 2048 },
        translations: {
          es: {
            key: hex('f'),
            language: 'Spanish',
            status: 'submitted',
            attempt: 1,
            idempotencyKey: `hb-${'f'.repeat(40)}-1`,
            remoteId: 'tr-123',
          },
        },
      },
    },
    assets: {
      [hex('c')]: { path: 'examples/assets/bg.png', size: 204_800, api: 'v3', remoteId: 'asset_123' },
      [hex('0')]: { path: 'examples/assets/outro.mp3', size: 99, api: 'v2', remoteId: 'https://files.example/a?b=1' },
    },
    clips: {
      [hex('7')]: {
        kind: 'avatar',
        status: 'completed',
        attempt: 1,
        idempotencyKey: `hb-${'7'.repeat(40)}-1`,
        remoteId: 'clip-1',
        durationSeconds: 4.2,
        file: { path: '.heygen/clips/7777.webm', sha256: hex('8'), size: 1000 },
        captions: { path: '.heygen/clips/7777.srt', sha256: hex('9'), size: 40 },
      },
      [hex('6')]: { kind: 'speech', status: 'pending', attempt: 1, idempotencyKey: `hb-${'6'.repeat(40)}-1` },
    },
  };
}

// Strings that stress quoting: YAML keywords, numbers, colons, comments, quotes, unicode, controls.
const nasty = fc.oneof(
  fc.constantFrom('', 'true', 'no', 'NULL', '~', '123', '0x1f', '1e5', '-1', '.5', 'a: b', '#x', 'x #y', '- x', '? x',
    '"q"', "'q'", '[a]', '{a}', ' lead', 'trail ', 'multi\nline', 'tab\there', '\u2028', '\u0085', '\ufeff', '\ud800',
    'x'.repeat(1100), '__proto__', 'constructor', '2024', 'scenes[2].script', 'asset a b/c.png', '<<', '*a', '&a', '!t', '%x', '@x', '`x'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const hexish = fc.oneof(fc.stringMatching(/^[0-9a-f]{1,20}$/), fc.constantFrom('1e5', '123', '0b101', '00', '1e99999'));
const text = fc.oneof(nasty, hexish);
/**
 * Part digests as this version writes them (8 hex digits) or anything that is not hex: a longer hex
 * digest is an older version's, shortened on read (src/lockfile/parts.ts, test/lockfile/parts.test.ts).
 */
const partDigest = text.filter((s) => !/^[0-9a-f]{9,}$/.test(s));
const nat = fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));
const status = fc.constantFrom('pending', 'submitted', 'completed', 'failed');
const api = fc.constantFrom('v3', 'v2');

const fileArb: fc.Arbitrary<FileRecord> = fc.record({ path: text, sha256: hex64, size: nat }, { noNullPrototype: true });
const errorArb: fc.Arbitrary<RemoteError> = fc.record({ code: text, message: text }, { requiredKeys: ['message'], noNullPrototype: true });

const translationArb: fc.Arbitrary<TranslationLock> = fc.record(
  {
    key: hex64,
    language: text,
    status,
    attempt: nat,
    idempotencyKey: text,
    remoteId: text,
    output: fileArb,
    captions: fileArb,
    error: errorArb,
  },
  { requiredKeys: ['key', 'language', 'status', 'attempt'], noNullPrototype: true },
);

const entryArb: fc.Arbitrary<LockEntry> = fc.record(
  {
    key: hex64,
    parts: fc.dictionary(text, partDigest, { maxKeys: 6, noNullPrototype: true }),
    status,
    api,
    idempotencyKey: text,
    attempt: nat,
    remoteId: text,
    durationSeconds: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(0, 1e21, 5e-324, 0.1)),
    output: fileArb,
    captions: fileArb,
    error: errorArb,
    translations: fc.dictionary(text, translationArb, { maxKeys: 2, noNullPrototype: true }),
    composed: fc.constant(true),
  },
  { requiredKeys: ['key', 'parts', 'status', 'attempt', 'translations'], noNullPrototype: true },
);

const clipArb: fc.Arbitrary<ClipLock> = fc.record(
  {
    kind: fc.constantFrom('avatar', 'speech'),
    status,
    attempt: nat,
    idempotencyKey: text,
    remoteId: text,
    durationSeconds: fc.double({ min: 0, max: 1e4, noNaN: true }),
    file: fileArb,
    captions: fileArb,
    error: errorArb,
  },
  { requiredKeys: ['kind', 'status', 'attempt'], noNullPrototype: true },
);

const assetArb: fc.Arbitrary<AssetRecord> = fc.record({ path: text, size: nat, api, remoteId: text }, { noNullPrototype: true });

export const lockArb: fc.Arbitrary<Lockfile> = fc.record({
  version: fc.constant(LOCKFILE_VERSION),
  videos: fc.dictionary(text, entryArb, { maxKeys: 4, noNullPrototype: true }),
  assets: fc.dictionary(hex64, assetArb, { maxKeys: 2, noNullPrototype: true }),
  clips: fc.dictionary(hex64, fc.tuple(clipArb, fc.nat({ max: 5 })), { minKeys: 1, maxKeys: 3, noNullPrototype: true }).map(asBuilt),
}, { requiredKeys: ['version', 'videos', 'assets'], noNullPrototype: true });

/**
 * Clips as a build leaves them (format 3 writes those smaller, see src/lockfile/compact.ts), by
 * `how`: 0 as generated; 1 the derived Idempotency-Key; 2 also files in the clip folder under the
 * key; 3 no key at all; 4 a path that reads like an extension; 5 a clip-folder path with another key.
 */
function asBuilt(clips: Record<string, [ClipLock, number]>): Record<string, ClipLock> {
  const out: Record<string, ClipLock> = {};
  for (const [key, [clip, how]] of Object.entries(clips)) {
    const c = { ...clip };
    if (how === 1 || how === 2) c.idempotencyKey = `hb-${key.slice(0, 40)}-${c.attempt}`;
    if (how === 2 && c.file) c.file = { ...c.file, path: `.heygen/clips/${key}.mp4` };
    if (how === 2 && c.captions) c.captions = { ...c.captions, path: `.heygen/clips/${key}.srt` };
    if (how === 3) delete c.idempotencyKey;
    if (how === 4 && c.file) c.file = { ...c.file, path: 'mp4' };
    if (how === 5 && c.file) c.file = { ...c.file, path: `.heygen/clips/${'0'.repeat(64)}.mp4` };
    out[key] = c;
  }
  return out;
}

/** The same lockfile with every record (and every entry's fields) inserted in reverse order. */
export function reversedInsertion(lock: Lockfile): Lockfile {
  const rev = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v).reverse()) {
      Object.defineProperty(out, k, { value: rev(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return rev(lock) as Lockfile;
}
