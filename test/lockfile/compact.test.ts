import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as yamlParse } from 'yaml';
import { idempotencyKey } from '../../src/hash/idempotency.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile, LOCKFILE_VERSION, type Lockfile } from '../../src/model/lock.js';
import { serializeFormat2 } from './legacy.js';
import { serializeFormat3 } from './legacy3.js';
import { lockArb, sampleLock } from './locks.js';

const FILE = 'heygen.lock.yaml';
/** A sha256-like digest (letters and digits, as real ones are: all-digit strings are quoted). */
const hex = (c: string): string => `${c}a`.repeat(32);

/** One composed row and its first scene's clip, as a build of `rows:` leaves them. */
function builtRow(): Lockfile {
  const lock = emptyLockfile();
  const clipKey = hex('1');
  lock.videos['welcome/ac-1042'] = {
    key: hex('9'),
    parts: { row: '842a9ee2' },
    status: 'completed',
    api: 'v3',
    attempt: 1,
    durationSeconds: 15.6,
    composed: true,
    output: { path: 'out/welcome/ac-1042.mp4', sha256: hex('7'), size: 480_920 },
    translations: {},
  };
  lock.clips = {
    [clipKey]: {
      kind: 'avatar',
      status: 'completed',
      attempt: 1,
      idempotencyKey: idempotencyKey(clipKey, 1),
      remoteId: '2f3ffb667c8cdfe7867baaca1b16badc',
      durationSeconds: 4.4,
      file: { path: `.heygen/clips/${clipKey}.mp4`, sha256: hex('5'), size: 143_111 },
    },
  };
  return lock;
}

describe('format 3', () => {
  it('reads every format-2 file an older version wrote as the same state (property)', () => {
    expect(parseLockfile(serializeFormat2(sampleLock()), FILE)).toStrictEqual(sampleLock());
    fc.assert(
      fc.property(lockArb, (lock) => {
        expect(parseLockfile(serializeFormat2(lock), FILE)).toEqual({ ...lock, version: LOCKFILE_VERSION });
      }),
      { numRuns: 200 },
    );
  });

  it("leaves out a clip's derived Idempotency-Key and its path in the clip folder, and reads both back", () => {
    const lock = builtRow();
    const text = serializeLockfile(lock);
    expect(text).not.toContain('idempotencyKey');
    expect(text).not.toContain('.heygen/clips');
    expect(text).toContain(`    file: [mp4, ${hex('5')}, 143111]\n`);
    expect(text).toContain(`    output: [out/welcome/ac-1042.mp4, ${hex('7')}, 480920]\n`);
    // Any YAML reader sees the lists; heygen-build reads the whole records back.
    expect((yamlParse(text) as { clips: Record<string, { file: unknown }> }).clips[hex('1')]!.file).toEqual(['mp4', hex('5'), 143111]);
    const back = parseLockfile(text, FILE);
    expect(back).toStrictEqual(lock);
    expect(back.clips![hex('1')]!.idempotencyKey).toBe(`hb-${hex('1').slice(0, 40)}-1`);
  });

  it('keeps a row and its clip under 600 bytes, 30% less than format 2', () => {
    const lock = builtRow();
    const empty = Buffer.byteLength(serializeLockfile({ ...emptyLockfile(), clips: {} }));
    const v3 = Buffer.byteLength(serializeLockfile(lock)) - empty;
    const v2 = Buffer.byteLength(serializeFormat2(lock)) - empty;
    expect(v3).toBeLessThan(600);
    expect(v3).toBeLessThan(v2 * 0.72);
  });

  it('a clip with no Idempotency-Key says so with null, and one that is not derived is written whole', () => {
    const lock = builtRow();
    const clip = lock.clips![hex('1')]!;
    delete clip.idempotencyKey;
    expect(serializeLockfile(lock)).toContain('    idempotencyKey: null\n');
    expect(parseLockfile(serializeLockfile(lock), FILE).clips![hex('1')]).not.toHaveProperty('idempotencyKey');
    clip.idempotencyKey = 'hb-custom-1';
    expect(parseLockfile(serializeLockfile(lock), FILE).clips![hex('1')]!.idempotencyKey).toBe('hb-custom-1');
  });

  it('a clip path that reads like an extension keeps the long form', () => {
    const lock = builtRow();
    lock.clips![hex('1')]!.file!.path = 'mp4';
    const text = serializeLockfile(lock);
    expect(text).toContain('    file:\n      path: mp4\n');
    expect(parseLockfile(text, FILE).clips![hex('1')]!.file!.path).toBe('mp4');
  });

  it('a broken file list is E_LOCKFILE_CORRUPT at its line', () => {
    const text = serializeLockfile(builtRow()).replace(', 143111]', ']');
    const line = text.slice(0, text.indexOf('    file: [')).split('\n').length;
    expect(() => parseLockfile(text, FILE)).toThrow(expect.objectContaining({ code: 'E_LOCKFILE_CORRUPT', message: expect.stringContaining(`${FILE}:${line}:`) }));
  });
});

describe('format 4', () => {
  it('reads every format-3 file an older version wrote as the same state (property)', () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        expect(parseLockfile(serializeFormat3(lock), FILE)).toEqual({ ...lock, version: LOCKFILE_VERSION });
      }),
      { numRuns: 200 },
    );
  });

  it("leaves out a finished avatar clip's kind and status, writes a row's digest as one line, and reads all back", () => {
    const lock = builtRow();
    const text = serializeLockfile(lock);
    expect(text).not.toMatch(/kind:|status: completed\n {4}remoteId|parts:/);
    expect(text).toContain('\n    row: 842a9ee2\n');
    expect(parseLockfile(text, FILE)).toStrictEqual(lock);
    const saved = '    kind: avatar\n    status: completed\n'.length + '    parts:\n      row: 842a9ee2\n'.length - '    row: 842a9ee2\n'.length;
    expect(Buffer.byteLength(serializeFormat3(lock)) - Buffer.byteLength(text)).toBe(saved);
  });

  it('keeps parts other than a lone row digest as a parts map', () => {
    const lock = builtRow();
    const entry = lock.videos['welcome/ac-1042']!;
    entry.parts = { row: '842a9ee2', 'scenes[0].script': '0badc0de' };
    expect(serializeLockfile(lock)).toContain('    parts:\n      row: 842a9ee2\n');
    expect(parseLockfile(serializeLockfile(lock), FILE)).toStrictEqual(lock);
    entry.parts = { rows: '842a9ee2' };
    expect(parseLockfile(serializeLockfile(lock), FILE)).toStrictEqual(lock);
  });

  it('an entry with both row: and parts: is E_LOCKFILE_CORRUPT', () => {
    const text = serializeLockfile(builtRow()).replace('    row: 842a9ee2\n', '    row: 842a9ee2\n    parts: {}\n');
    expect(() => parseLockfile(text, FILE)).toThrow(expect.objectContaining({ code: 'E_LOCKFILE_CORRUPT' }));
  });

  it('writes the kind of a speech clip and the status of a clip without its file', () => {
    const lock = builtRow();
    const clip = lock.clips![hex('1')]!;
    clip.kind = 'speech';
    expect(serializeLockfile(lock)).toContain('    kind: speech\n');
    expect(parseLockfile(serializeLockfile(lock), FILE)).toStrictEqual(lock);
    clip.kind = 'avatar';
    delete clip.file;
    expect(serializeLockfile(lock)).toContain('    status: completed\n');
    expect(parseLockfile(serializeLockfile(lock), FILE)).toStrictEqual(lock);
    clip.status = 'submitted';
    expect(parseLockfile(serializeLockfile(lock), FILE).clips![hex('1')]!.status).toBe('submitted');
  });

  it('a clip with neither status nor file is E_LOCKFILE_CORRUPT', () => {
    const lock = builtRow();
    delete lock.clips![hex('1')]!.file;
    const text = serializeLockfile(lock).replace('    status: completed\n', '');
    expect(() => parseLockfile(text, FILE)).toThrow(expect.objectContaining({ code: 'E_LOCKFILE_CORRUPT' }));
  });
});

describe('the clip folder', () => {
  it('is where builds put clip files', async () => {
    const { CLIP_DIR } = await import('../../src/execute/heygen/clip-job.js');
    const { CLIP_FOLDER } = await import('../../src/lockfile/compact.js');
    expect(CLIP_DIR.split('\\').join('/')).toBe(CLIP_FOLDER);
  });
});
