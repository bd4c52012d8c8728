import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { HeygenBuildError } from '../../src/errors.js';
import { readCanonical } from '../../src/lockfile/fastread.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { LOCKFILE_VERSION } from '../../src/model/lock.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { lockArb, sampleLock } from './locks.js';

const FILE = 'heygen.lock.yaml';

function errorOf(text: string): HeygenBuildError {
  try {
    parseLockfile(text, FILE);
  } catch (e) {
    if (e instanceof HeygenBuildError) return e;
    throw e;
  }
  throw new Error('expected parseLockfile to fail');
}

/** The sample lockfile text with one line replaced (found by its exact text). */
function withLine(find: string, replace: string): string {
  const text = serializeLockfile(sampleLock());
  expect(text).toContain(find);
  return text.replace(find, replace);
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('parseLockfile errors', () => {
  it.each([
    ['invalid YAML', '    status: completed', '    status: [completed'],
    ['a wrong status', '    status: completed', '    status: done'],
    ['a key that is not a sha256', `    key: ${'a'.repeat(64)}`, '    key: abc'],
    ['a negative attempt', '    attempt: 2', '    attempt: -1'],
    ['an unknown field', '    remoteId: f3a1c2b4e5d6', '    remoteID: f3a1c2b4e5d6'],
    ['a list instead of a mapping', '      es:', '      - es:'],
    ['a duplicated key', '    status: completed', '    status: completed\n    status: failed'],
  ])('%s is E_LOCKFILE_CORRUPT naming the file and the line, with a restore hint', (_what, find, replace) => {
    const text = withLine(find, replace);
    const err = errorOf(text);
    expect(err.code).toBe('E_LOCKFILE_CORRUPT');
    expect(err.message).toContain(FILE);
    expect(err.hint).toContain(`git checkout -- ${FILE}`);
    const expectedLine = lineOf(text, replace.split('\n').at(-1)!);
    // On the line, or one off: a bad value is reported at its key, a syntax error where the parser noticed it.
    expect(err.location?.line).toBeGreaterThanOrEqual(expectedLine - 1);
    expect(err.location?.line).toBeLessThanOrEqual(expectedLine + 1);
    expect(err.message).toContain(`${FILE}:${err.location?.line}:`);
  });

  it('names the offending field path', () => {
    const err = errorOf(withLine('    status: completed', '    status: done'));
    expect(err.message).toContain('videos.intro.status');
    expect(err.message).toContain('pending, submitted, completed, failed');
  });

  it.each([
    ['a comment only', '# nothing\n'],
    ['a scalar', 'hello\n'],
    ['a list', '- 1\n'],
    ['a version as a string', 'version: "1"\nvideos: {}\nassets: {}\n'],
    ['videos as a list', 'version: 1\nvideos: []\nassets: {}\n'],
    ['two documents', 'version: 1\n---\nversion: 1\n'],
  ])('%s is E_LOCKFILE_CORRUPT', (_what, text) => {
    expect(errorOf(text).code).toBe('E_LOCKFILE_CORRUPT');
  });

  it('a newer format is E_LOCKFILE_NEWER with an upgrade hint, whatever its shape', () => {
    for (const text of ['version: 99\nvideos: {}\nassets: {}\n', 'version: 99\nentries: [1, 2]\n']) {
      const err = errorOf(text);
      expect(err.code).toBe('E_LOCKFILE_NEWER');
      expect(err.message).toContain('99');
      expect(err.hint).toMatch(/upgrade/i);
    }
  });

  it('merge-conflict markers are E_LOCKFILE_CONFLICT at the marker line', () => {
    const text = withLine(
      '    status: completed',
      '<<<<<<< HEAD\n    status: completed\n=======\n    status: failed\n>>>>>>> feature',
    );
    const err = errorOf(text);
    expect(err.code).toBe('E_LOCKFILE_CONFLICT');
    expect(err.location?.line).toBe(lineOf(text, '<<<<<<<'));
    expect(err.hint).toMatch(/conflict/i);
  });

  it('accepts a hand-written minimal lockfile and plain YAML the fast reader declines', () => {
    // Format 1 had no end line; it reads as before, in the current format.
    expect(parseLockfile('version: 1\n', FILE)).toEqual({ version: LOCKFILE_VERSION, videos: {}, assets: {} });
    const flow = `version: 1 # comment\nvideos: {}\nassets: {'${'c'.repeat(64)}': {path: a.png, size: 1, api: v3, remoteId: x}}\n`;
    expect(readCanonical(flow)).toBeUndefined();
    expect(parseLockfile(flow, FILE).assets['c'.repeat(64)]?.remoteId).toBe('x');
  });
});

describe('fast reader', () => {
  it('reads everything the serializer writes (except over-long keys) (property)', () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        const text = serializeLockfile(lock);
        if (!text.includes('\n  ? ') && !text.includes('\n    ? ') && !text.includes('\n      ? ')) {
          expect(readCanonical(text)).toBeDefined();
        }
      }),
      { numRuns: 200 },
    );
  });

  const edits = ['', ' ', '  ', ':', ': ', '#', ' #', '"', "'", '\\', '\t', '-', '? ', '{', '[', '&a ', '*a', '!', '\n', '\n  ', 'x', '0', '1e5', '~', 'null', 'true'];

  it('agrees with `yaml` on every text it accepts, and declines what `yaml` rejects (mutation fuzz)', () => {
    const mutated = fc
      .tuple(lockArb, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...edits)), { minLength: 1, maxLength: 3 }))
      .map(([lock, ops]) => {
        let text = serializeLockfile(lock);
        for (const [pos, del, ins] of ops) {
          const at = pos % (text.length + 1);
          text = text.slice(0, at) + ins + text.slice(at + del);
        }
        return text;
      });
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        const fast = readCanonical(text);
        if (fast === undefined) return;
        accepted++;
        const doc = parseDocument(text, { uniqueKeys: true });
        expect(doc.errors.map((e) => e.message)).toEqual([]);
        expect(fast).toEqual(doc.toJS());
      }),
      { numRuns: Number(process.env.HB_FUZZ_RUNS ?? 1000) },
    );
    // The fuzz must exercise the accepting side too, or it proves nothing.
    expect(accepted).toBeGreaterThan(100);
  });
});
