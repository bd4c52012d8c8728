/**
 * `lock merge` and the merge driver fail whole: an injected I/O failure at any step of the write, or an
 * unreadable input after a good one, leaves the lockfile byte for byte as it was (or, past the rename,
 * wholly merged) and no temp file beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFs, type AtomicFileHandle, type AtomicFs } from '../../src/fsx/atomic.js';
import { mergePartials, runMergeDriver } from '../../src/lockfile/merge-files.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile, type LockEntry, type Lockfile } from '../../src/model/lock.js';
import { hex } from './locks.js';

function entry(key: string): LockEntry {
  return { key: hex(key), parts: {}, status: 'completed', attempt: 1, remoteId: `r-${key}`, translations: {}, output: { path: `out/${key}.mp4`, sha256: hex('d'), size: 10 } };
}

function lockOf(videos: Record<string, LockEntry>): Lockfile {
  return { ...emptyLockfile(), videos };
}

/** Real file operations, the n-th of which fails as a full disk does; a failing write first writes half its data. */
function failingAt(n: number): { fs: AtomicFs; calls: () => number } {
  let calls = 0;
  const fail = (): boolean => ++calls === n;
  const eio = (op: string): Error => Object.assign(new Error(`injected ENOSPC at ${op}`), { code: 'ENOSPC' });
  const wrap = (h: AtomicFileHandle): AtomicFileHandle => ({
    async writeFile(data) {
      if (!fail()) return h.writeFile(data);
      await h.writeFile(data.slice(0, Math.floor(data.length / 2)));
      throw eio('write');
    },
    async sync() {
      if (fail()) throw eio('sync');
      return h.sync();
    },
    close: () => h.close(),
  });
  const fs: AtomicFs = {
    async open(path, flags, mode) {
      if (fail()) throw eio('open');
      return wrap(await nodeFs.open(path, flags, mode));
    },
    async rename(from, to) {
      if (fail()) throw eio('rename');
      return nodeFs.rename(from, to);
    },
    unlink: (p) => nodeFs.unlink(p),
    link: (a, b) => nodeFs.link(a, b),
    async stat(path) {
      if (fail()) throw eio('stat');
      return nodeFs.stat(path);
    },
  };
  return { fs, calls: () => calls };
}

function project(): { dir: string; lock: string; shards: string[]; before: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hb-merge-atomic-'));
  const lock = join(dir, 'heygen.lock.yaml');
  const before = serializeLockfile(lockOf({ a: entry('a') }));
  writeFileSync(lock, before);
  const shards = ['b', 'c'].map((k, i) => {
    const file = join(dir, `heygen.lock.shard-${i}-of-2.yaml`);
    writeFileSync(file, serializeLockfile(lockOf({ [k]: entry(k) })));
    return file;
  });
  return { dir, lock, shards, before };
}

describe('lock merge never leaves a half-written lockfile', () => {
  it('a failure at every step of the write: the lockfile is the old one or the whole merge, and nothing else is left', async () => {
    const clean = project();
    await mergePartials(clean.lock, 'heygen.lock.yaml', clean.shards.map((p) => ({ path: p, display: p })));
    const merged = readFileSync(clean.lock, 'utf8');
    expect(merged).not.toBe(clean.before);
    const steps = failingAt(0);
    const probe = project();
    await mergePartials(probe.lock, 'heygen.lock.yaml', probe.shards.map((p) => ({ path: p, display: p })), steps.fs);
    let failures = 0;
    for (let n = 1; n <= steps.calls(); n++) {
      const p = project();
      const names = readdirSync(p.dir).sort();
      const run = mergePartials(p.lock, 'heygen.lock.yaml', p.shards.map((f) => ({ path: f, display: f })), failingAt(n).fs);
      const failed = await run.then(() => false, (e: unknown) => {
        expect(e).toMatchObject({ code: 'E_DISK_FULL' });
        return true;
      });
      if (failed) failures++;
      const now = readFileSync(p.lock, 'utf8');
      expect([p.before, merged], `failure at step ${n}`).toContain(now);
      expect(readdirSync(p.dir).sort(), `no temp file after a failure at step ${n}`).toEqual(names);
    }
    expect(failures, 'every step before the rename fails the merge').toBeGreaterThanOrEqual(4);
  });

  it('an unreadable partial after a good one: nothing is written', async () => {
    const p = project();
    writeFileSync(p.shards[1]!, 'version: 3\nvideos: {unclosed\n');
    await expect(mergePartials(p.lock, 'heygen.lock.yaml', p.shards.map((f) => ({ path: f, display: f })))).rejects.toMatchObject({ code: expect.stringMatching(/^E_LOCKFILE/) });
    expect(readFileSync(p.lock, 'utf8')).toBe(p.before);
  });

  it('the merge driver failing at any step leaves `ours` as it was, or wholly merged, and no temp file', async () => {
    const p = project();
    const empty = join(p.dir, 'base.yaml');
    writeFileSync(empty, '');
    const probe = failingAt(0);
    await runMergeDriver(empty, p.lock, p.shards[0]!, 'heygen.lock.yaml', probe.fs);
    const merged = readFileSync(p.lock, 'utf8');
    let failed = 0;
    for (let n = 1; n <= probe.calls(); n++) {
      writeFileSync(p.lock, p.before);
      const ok = await runMergeDriver(empty, p.lock, p.shards[0]!, 'heygen.lock.yaml', failingAt(n).fs).then(() => true, () => false);
      expect(readdirSync(p.dir).filter((f) => f.startsWith('.')), `no temp file after step ${n}`).toEqual([]);
      expect([p.before, merged], `ours after step ${n}`).toContain(readFileSync(p.lock, 'utf8'));
      if (!ok) failed++;
    }
    expect(failed, 'open, write, fsync and rename each fail it').toBeGreaterThanOrEqual(4);
  });

  it('a side committed with conflict markers: the driver fails, names the side, and its hint names no file to check out', async () => {
    const p = project();
    const empty = join(p.dir, 'base.yaml');
    writeFileSync(empty, '');
    writeFileSync(p.shards[0]!, `${p.before}<<<<<<< HEAD\n=======\n>>>>>>> other\n`);
    const err = (await runMergeDriver(empty, p.lock, p.shards[0]!, 'heygen.lock.yaml').catch((e: unknown) => e)) as { code: string; message: string; hint: string };
    expect(err.code).toBe('E_LOCKFILE_CONFLICT');
    expect(err.message).toContain('heygen.lock.yaml (theirs)');
    expect(err.hint).toContain("the theirs side's lockfile was committed broken");
    expect(err.hint).not.toContain('git checkout');
    expect(readFileSync(p.lock, 'utf8')).toBe(p.before);
  });
});
