import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExclusive, nodeFs, withTempFile, writeFileAtomic, type AtomicFileHandle, type AtomicFs } from '../../src/fsx/atomic.js';
import { sweepDir } from '../../src/fsx/sweep.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-atomic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Op = 'open' | 'writeFile' | 'sync' | 'close' | 'rename' | 'stat' | 'dir';

/**
 * Real file operations that fail (EIO) at the n-th call. A failing writeFile first writes part
 * of the data, like a disk filling up halfway.
 */
function faultyFs(failAt: number): { fs: AtomicFs; calls: Op[] } {
  const calls: Op[] = [];
  const step = (op: Op): boolean => {
    calls.push(op);
    return calls.length === failAt;
  };
  const eio = (op: Op) => Object.assign(new Error(`injected EIO at ${op}`), { code: 'EIO' });
  const wrap = (h: AtomicFileHandle): AtomicFileHandle => ({
    async writeFile(data) {
      if (step('writeFile')) {
        await h.writeFile(data.slice(0, Math.floor(data.length / 2)));
        throw eio('writeFile');
      }
      return h.writeFile(data);
    },
    async sync() {
      if (step('sync')) throw eio('sync');
      return h.sync();
    },
    async close() {
      if (step('close')) {
        await h.close();
        throw eio('close');
      }
      return h.close();
    },
  });
  const fs: AtomicFs = {
    async open(path, flags, mode) {
      if (step('open')) throw eio('open');
      return wrap(await nodeFs.open(path, flags, mode));
    },
    async rename(from, to) {
      if (step('rename')) throw eio('rename');
      return nodeFs.rename(from, to);
    },
    unlink: (path) => nodeFs.unlink(path),
    link: (from, to) => nodeFs.link(from, to),
    async stat(path) {
      if (step('stat')) throw eio('stat');
      return nodeFs.stat(path);
    },
  };
  return { fs, calls };
}

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temp file', async () => {
    const file = join(dir, 'plain.yaml');
    await writeFileAtomic(file, 'one\n');
    expect(await readFile(file, 'utf8')).toBe('one\n');
    await writeFileAtomic(file, Buffer.from('two\n'));
    expect(await readFile(file, 'utf8')).toBe('two\n');
    expect((await readdir(dir)).filter((n) => n.includes('plain.yaml'))).toEqual(['plain.yaml']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const file = join(dir, 'mode.yaml');
    await writeFile(file, 'old');
    await chmod(file, 0o640);
    await writeFileAtomic(file, 'new');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it('under 1,000 random injected failures, the file is always exactly old or new and no temp is left', async () => {
    const file = join(dir, 'heygen.lock.yaml');
    // Count the operations of a successful write, then fail each of them at random.
    const probe = faultyFs(Number.POSITIVE_INFINITY);
    await writeFileAtomic(file, 'probe', probe.fs);
    const opsPerWrite = probe.calls.length;
    expect(new Set(probe.calls)).toEqual(new Set(['stat', 'open', 'writeFile', 'sync', 'close', 'rename']));

    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const failedAt = new Set<Op>();
    for (let i = 0; i < 1000; i++) {
      const oldText = `old ${i}\n${'x'.repeat(Math.floor(random() * 5000))}`;
      const newText = `new ${i}\n${'y'.repeat(Math.floor(random() * 5000))}`;
      await writeFile(file, oldText);
      const failAt = 1 + Math.floor(random() * (opsPerWrite + 1)); // sometimes past the end: success
      const { fs, calls } = faultyFs(failAt);
      const outcome = await writeFileAtomic(file, newText, fs).then(
        () => 'ok',
        (e: NodeJS.ErrnoException) => e.code,
      );
      const content = await readFile(file, 'utf8');
      const failedOp = calls[failAt - 1];
      // After the rename only the directory fsync remains: a failure there still reports an error
      // (durability is not certain) but the new content is already in place.
      const renamed = calls.slice(0, failAt - 1).includes('rename');
      const expected = outcome === 'ok' || renamed ? newText : oldText;
      expect(content === expected, `outcome ${outcome} at ${failedOp}: got "${content.slice(0, 6)}"`).toBe(true);
      if (outcome !== 'ok') {
        expect(outcome).toBe('EIO');
        failedAt.add(renamed ? 'dir' : failedOp!);
      }
      expect(await readdir(dir).then((names) => names.filter((n) => n.endsWith('.tmp')))).toEqual([]);
    }
    // Every kind of operation failed at least once, before and after the rename (a failed stat only
    // loses the old file's permissions, so it is not an error).
    expect(failedAt).toEqual(new Set(['open', 'writeFile', 'sync', 'close', 'rename', 'dir']));
  });

  it('a sweep removes temp files left by dead writers, never a live writer\'s nor a file not ours', async () => {
    const sub = join(dir, 'sweep');
    await mkdir(sub);
    const dead = join(sub, '.stale.yaml.999999999.abcdef012345.tmp');
    const live = join(sub, `.stale.yaml.${process.pid}.abcdef012345.tmp`);
    const notOurs = join(sub, 'notes.999999999.tmp');
    for (const f of [dead, live, notOurs]) await writeFile(f, 'partial');
    expect(await sweepDir(sub)).toEqual([dead]);
    expect((await readdir(sub)).sort()).toEqual([`.stale.yaml.${process.pid}.abcdef012345.tmp`, 'notes.999999999.tmp'].sort());
    await rm(sub, { recursive: true });
  });
});

describe('createExclusive', () => {
  it('creates once, whole; a second create finds it and leaves no temp', async () => {
    const sub = join(dir, 'excl');
    await mkdir(sub);
    expect(await createExclusive(join(sub, 'build.lock'), 'first\n')).toBe(true);
    expect(await createExclusive(join(sub, 'build.lock'), 'second\n')).toBe(false);
    expect(await readFile(join(sub, 'build.lock'), 'utf8')).toBe('first\n');
    expect(await readdir(sub)).toEqual(['build.lock']);
  });

  it('where the file system has no hard links, falls back to an exclusive create with the same outcome', async () => {
    const sub = join(dir, 'excl-nolink');
    await mkdir(sub);
    const noLinks: AtomicFs = { ...nodeFs, link: async () => Promise.reject(Object.assign(new Error('no links'), { code: 'EPERM' })) };
    expect(await createExclusive(join(sub, 'build.lock'), 'first\n', noLinks)).toBe(true);
    expect(await createExclusive(join(sub, 'build.lock'), 'second\n', noLinks)).toBe(false);
    expect(await readFile(join(sub, 'build.lock'), 'utf8')).toBe('first\n');
    expect(await readdir(sub)).toEqual(['build.lock']);
  });
});

describe('withTempFile', () => {
  it('publishes what the writer made, and removes the temp when the writer fails', async () => {
    const sub = join(dir, 'with-temp');
    await mkdir(sub);
    await withTempFile(join(sub, 'out.mp4'), (tmp) => writeFile(tmp, 'video'), 'part');
    expect(await readFile(join(sub, 'out.mp4'), 'utf8')).toBe('video');
    const failing = withTempFile(join(sub, 'other.mp4'), async (tmp) => {
      await writeFile(tmp, 'half');
      throw Object.assign(new Error('injected'), { code: 'ENOSPC' });
    });
    await expect(failing).rejects.toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining('other.mp4') });
    expect(await readdir(sub)).toEqual(['out.mp4']);
  });
});
