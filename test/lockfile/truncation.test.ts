/**
 * A lockfile cut short (a full disk during a checkout, a failed copy, a careless edit) must be
 * refused, never read as whole: read as whole, it forgets the videos after the cut and the next
 * build pays for them again. Format 1 files, which have no end line, still read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../src/cli/errors.js';
import { HeygenBuildError } from '../../src/errors.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { resealLockfile } from '../../src/lockfile/reseal.js';
import { LOCKFILE_END, serializeLockfile } from '../../src/lockfile/serialize.js';
import { LockStore } from '../../src/lockfile/store.js';
import { LOCKFILE_VERSION, type LockEntry, type Lockfile } from '../../src/model/lock.js';
import { serializeFormat2 } from './legacy.js';
import { hex, lockArb, sampleLock } from './locks.js';

const FILE = 'heygen.lock.yaml';

function errorOf(text: string): HeygenBuildError {
  try {
    parseLockfile(text, FILE);
  } catch (e) {
    if (e instanceof HeygenBuildError) return e;
    throw e;
  }
  throw new Error(`expected the lockfile to be refused:\n${text}`);
}

const video = (i: number): LockEntry => ({
  key: hex(String(i % 10)),
  parts: { 'scenes[0].script': '01234567' },
  status: 'completed',
  api: 'v3',
  attempt: 1,
  idempotencyKey: `hb-${String(i % 10).repeat(40)}-1`,
  remoteId: `remote-${i}`,
  output: { path: `out/v${i}.mp4`, sha256: hex('d'), size: 1000 + i },
  translations: {},
});

/** A lockfile with `n` finished videos v0..v(n-1), plus the sample's entries and assets. */
function lockWith(n: number): Lockfile {
  const lock = sampleLock();
  for (let i = 0; i < n; i++) lock.videos[`v${i}`] = video(i);
  return lock;
}

/** Format 1 as heygen-build 1.x wrote it: the same body, `version: 1`, no end line. */
/** `lock` as a format-1 file: format 2's fields, `version: 1`, no end line. */
function asVersion1(lock: Lockfile): string {
  return serializeFormat2(lock, true);
}

describe('a lockfile cut short', () => {
  it('cut just before a video entry: refused as E_LOCKFILE_TRUNCATED at its last line, naming what is left', () => {
    const text = serializeLockfile(lockWith(3));
    const cut = text.slice(0, text.indexOf('\n  v2:') + 1);
    // The cut file is valid YAML holding fewer videos: without the check it read as whole.
    const err = errorOf(cut);
    expect(err.code).toBe('E_LOCKFILE_TRUNCATED');
    const lastLine = cut.split('\n').length - 1;
    expect(err.location).toEqual({ file: FILE, line: lastLine, column: 1 });
    expect(err.message).toContain(`${FILE}:${lastLine}:`);
    expect(err.message).toContain('"v1"');
    expect(err.hint).toContain(`git checkout -- ${FILE}`);
    expect(err.hint).toContain(LOCKFILE_END.trim());
  });

  it('the printed error names its place once (file:line:col, then the message)', () => {
    const text = serializeLockfile(lockWith(3));
    const cut = text.slice(0, text.indexOf('\n  v2:') + 1);
    const lastLine = cut.split('\n').length - 1;
    const printed = formatError(errorOf(cut));
    expect(printed).toContain(`[E_LOCKFILE_TRUNCATED] ${FILE}:${lastLine}:1: the lockfile was cut short`);
    expect(printed.split(`${FILE}:${lastLine}:`).length - 1).toBe(1);
  });

  it('refused when cut at any line boundary (between entries or inside one)', () => {
    const text = serializeLockfile(lockWith(6));
    for (let at = text.indexOf('\n'); at < text.length - 1; at = text.indexOf('\n', at + 1)) {
      expect(errorOf(text.slice(0, at + 1)).code, `cut after line ${text.slice(0, at).split('\n').length}`).toBe('E_LOCKFILE_TRUNCATED');
    }
  });

  it('refused when cut at any character', () => {
    const text = serializeLockfile(sampleLock());
    for (let at = 0; at < text.length; at++) {
      expect(errorOf(text.slice(0, at)).code, `cut after ${at} of ${text.length} characters`).toBe('E_LOCKFILE_TRUNCATED');
    }
  });

  it('any strict prefix of any sealed lockfile is refused as truncated, the empty and header-only ones too (property)', () => {
    fc.assert(
      fc.property(lockArb, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (lock, f) => {
        const text = serializeLockfile(lock);
        const cut = text.slice(0, Math.floor(f * text.length));
        expect(errorOf(cut).code).toBe('E_LOCKFILE_TRUNCATED');
      }),
      { numRuns: Number(process.env.HB_FUZZ_RUNS ?? 500) },
    );
  });

  it('the whole file still reads, with LF or CRLF line ends (a Windows checkout)', () => {
    const lock = lockWith(2);
    const text = serializeLockfile(lock);
    expect(parseLockfile(text, FILE)).toEqual(lock);
    expect(parseLockfile(text.replaceAll('\n', '\r\n'), FILE)).toEqual(lock);
    expect(errorOf(text.replaceAll('\n', '\r\n').slice(0, -1)).code).toBe('E_LOCKFILE_TRUNCATED');
  });

  it('a sealed file broken in the middle is still E_LOCKFILE_CORRUPT, not truncated', () => {
    const text = serializeLockfile(lockWith(2)).replace('    status: completed', '    status: done');
    expect(errorOf(text).code).toBe('E_LOCKFILE_CORRUPT');
  });
});

describe('format 1 (no end line)', () => {
  it('reads as before, in the current format', () => {
    const lock = lockWith(2);
    const v1 = asVersion1(lock);
    expect(v1).toContain('\nversion: 1\n');
    expect(v1).not.toContain('# end of');
    expect(parseLockfile(v1, FILE)).toEqual({ ...lock, version: LOCKFILE_VERSION });
  });

  it('cannot be checked for a cut: a cut format-1 file reads as before', () => {
    const v1 = asVersion1(lockWith(3));
    const cut = v1.slice(0, v1.indexOf('\n  v2:') + 1);
    expect(Object.keys(parseLockfile(cut, FILE).videos)).not.toContain('v2');
  });

  it('is written back in the current format, sealed, on the next save', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hb-v1-'));
    try {
      const path = join(dir, FILE);
      await writeFile(path, asVersion1(lockWith(1)));
      const store = await LockStore.open(path, { displayPath: FILE });
      await store.update((l) => {
        l.videos.v0!.status = 'failed';
      });
      const text = await readFile(path, 'utf8');
      expect(text).toContain(`\nversion: ${LOCKFILE_VERSION}\n`);
      expect(text.endsWith(LOCKFILE_END)).toBe(true);
      expect(parseLockfile(text, FILE).videos.v0?.status).toBe('failed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the store and a cut lockfile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-cut-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to open it for writing, and leaves it byte-identical', async () => {
    const path = join(dir, FILE);
    const text = serializeLockfile(lockWith(3));
    const cut = text.slice(0, text.indexOf('\n  v1:') + 1);
    await writeFile(path, cut);
    await expect(LockStore.open(path, { displayPath: FILE })).rejects.toMatchObject({ code: 'E_LOCKFILE_TRUNCATED' });
    expect(await readFile(path, 'utf8')).toBe(cut);
  });
});

describe('git merges', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-merge-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** `git merge-file -p ours base theirs`: the merged text and whether it conflicted. */
  async function merge3(ours: string, base: string, theirs: string): Promise<{ text: string; conflicts: boolean }> {
    const files = { ours: join(dir, 'ours'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    await Promise.all([writeFile(files.ours, ours), writeFile(files.base, base), writeFile(files.theirs, theirs)]);
    try {
      return { text: execFileSync('git', ['merge-file', '-p', files.ours, files.base, files.theirs], { encoding: 'utf8' }), conflicts: false };
    } catch (e) {
      return { text: (e as { stdout: string }).stdout, conflicts: true };
    }
  }

  it('two branches adding different videos merge without a conflict, and the result reads whole', async () => {
    const base = lockWith(0);
    const ours = structuredClone(base);
    ours.videos.alpha = video(1);
    const theirs = structuredClone(base);
    theirs.videos.zulu = video(2);
    const merged = await merge3(serializeLockfile(ours), serializeLockfile(base), serializeLockfile(theirs));
    expect(merged.conflicts).toBe(false);
    expect(Object.keys(parseLockfile(merged.text, FILE).videos).sort()).toEqual(['alpha', 'intro', 'outro', 'zulu']);
  });

  it('a conflict resolved by hand (markers removed, one side kept) reads without resealing', async () => {
    const base = lockWith(1);
    const ours = structuredClone(base);
    ours.videos.v0!.remoteId = 'ours-id';
    const theirs = structuredClone(base);
    theirs.videos.v0!.remoteId = 'theirs-id';
    theirs.videos.zulu = video(2);
    const merged = await merge3(serializeLockfile(ours), serializeLockfile(base), serializeLockfile(theirs));
    expect(merged.conflicts).toBe(true);
    expect(errorOf(merged.text).code).toBe('E_LOCKFILE_CONFLICT');
    // Keep "ours" in each conflict: drop the markers and theirs' lines.
    const resolved = merged.text.replace(/^<{7}.*\n([\s\S]*?)^={7}\n[\s\S]*?^>{7}.*\n/gm, '$1');
    const lock = parseLockfile(resolved, FILE);
    expect(lock.videos.v0?.remoteId).toBe('ours-id');
    expect(lock.videos.zulu?.remoteId).toBe('remote-2');
  });
});

describe('resealLockfile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-reseal-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('seals a complete file whose end line was removed, and leaves a sealed one untouched', async () => {
    const path = join(dir, FILE);
    const lock = lockWith(2);
    const sealed = serializeLockfile(lock);
    await writeFile(path, sealed.replace(LOCKFILE_END, ''));
    expect(await resealLockfile(path, { displayPath: FILE })).toEqual({ changed: true, videos: 4, assets: 2 });
    expect(await readFile(path, 'utf8')).toBe(sealed);
    expect(await resealLockfile(path, { displayPath: FILE })).toMatchObject({ changed: false });
  });

  it('still refuses conflict markers and broken entries, and writes nothing', async () => {
    const path = join(dir, FILE);
    const broken = serializeLockfile(lockWith(1)).replace(LOCKFILE_END, '').replace('    status: completed', '    status: done');
    await writeFile(path, broken);
    await expect(resealLockfile(path, { displayPath: FILE })).rejects.toMatchObject({ code: 'E_LOCKFILE_CORRUPT' });
    expect(await readFile(path, 'utf8')).toBe(broken);
  });
});
