import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyLockfile, type LockEntry } from '../../src/model/lock.js';
import { nodeFs, type AtomicFs } from '../../src/fsx/atomic.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { LockStore, readLockfile, writeLockfile } from '../../src/lockfile/store.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { unmergedPath } from '../../src/lockfile/unmerged.js';
import { hex, sampleLock } from './locks.js';

let dir: string;
let n = 0;
const freshPath = () => join(dir, `lock-${n++}.yaml`);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number): LockEntry => ({
  key: hex(String(i % 10)),
  parts: {},
  status: 'pending',
  attempt: 1,
  translations: {},
});

/** Real fs whose renames wait until released, recording how many writes overlap. */
function gatedFs() {
  let inFlight = 0;
  let maxInFlight = 0;
  let writes = 0;
  const gates: (() => void)[] = [];
  const fs: AtomicFs = {
    ...nodeFs,
    async open(path, flags, mode) {
      if (flags === 'wx') {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
      }
      return nodeFs.open(path, flags, mode);
    },
    async rename(from, to) {
      await new Promise<void>((resolve) => gates.push(resolve));
      await nodeFs.rename(from, to);
      writes++;
      inFlight--;
    },
  };
  return {
    fs,
    stats: () => ({ maxInFlight, writes }),
    /** Lets the oldest blocked rename through, once one is waiting. */
    async releaseOne(): Promise<void> {
      while (gates.length === 0) await new Promise((r) => setTimeout(r, 1));
      gates.shift()!();
    },
  };
}

async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true), () => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  return done;
}

describe('readLockfile / writeLockfile', () => {
  it('reads a missing file as an empty lockfile', async () => {
    expect(await readLockfile(join(dir, 'missing.yaml'))).toEqual(emptyLockfile());
  });

  it('reads back what it wrote', async () => {
    const path = freshPath();
    await writeLockfile(path, sampleLock());
    expect(await readLockfile(path)).toEqual(sampleLock());
  });

  it('throws on a corrupt file and leaves it untouched (reading and opening a store)', async () => {
    const path = freshPath();
    const garbage = 'version: 1\nvideos:\n  intro: [not, an, entry\n';
    await writeFile(path, garbage);
    const before = await stat(path);
    await expect(readLockfile(path, { displayPath: 'heygen.lock.yaml' })).rejects.toMatchObject({
      code: 'E_LOCKFILE_CORRUPT',
      message: expect.stringContaining('heygen.lock.yaml'),
    });
    await expect(LockStore.open(path)).rejects.toMatchObject({ code: 'E_LOCKFILE_CORRUPT' });
    expect(await readFile(path, 'utf8')).toBe(garbage);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('LockStore', () => {
  it('saves every one of many concurrent updates, coalescing them, never two writes at once', async () => {
    const path = freshPath();
    const gated = gatedFs();
    const store = new LockStore(path, emptyLockfile(), gated.fs);
    const updates = Array.from({ length: 50 }, (_, i) => store.update((l) => (l.videos[`v${i}`] = entry(i))));
    // Changes made in one turn of the event loop go out in one write.
    await gated.releaseOne();
    await Promise.all(updates);
    expect(Object.keys(parseLockfile(await readFile(path, 'utf8'), path).videos)).toHaveLength(50);
    expect(gated.stats()).toEqual({ maxInFlight: 1, writes: 1 });
    // Changes made while a save is in flight queue behind it, then go out together.
    const first = store.update((l) => (l.videos.w0 = entry(0)));
    await new Promise((r) => setImmediate(r));
    const more = Array.from({ length: 20 }, (_, i) => store.update((l) => (l.videos[`w${i + 1}`] = entry(i))));
    await gated.releaseOne();
    await first;
    await gated.releaseOne();
    await Promise.all(more);
    expect(Object.keys(parseLockfile(await readFile(path, 'utf8'), path).videos)).toHaveLength(71);
    expect(gated.stats()).toEqual({ maxInFlight: 1, writes: 3 });
  });

  it('saves an update made any number of ticks after the last save settled (none is left waiting forever)', async () => {
    const path = freshPath();
    const store = new LockStore(path, emptyLockfile());
    for (let ticks = 0; ticks < 8; ticks++) {
      await store.update((l) => (l.videos[`a${ticks}`] = entry(ticks)));
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      const late = store.update((l) => (l.videos[`b${ticks}`] = entry(ticks)));
      expect(await Promise.race([late.then(() => 'saved'), new Promise((r) => setTimeout(() => r('stuck'), 2000))])).toBe('saved');
    }
    expect(Object.keys(parseLockfile(await readFile(path, 'utf8'), path).videos)).toHaveLength(16);
  });

  it('resolves update() only after a save containing its change has completed', async () => {
    const path = freshPath();
    const gated = gatedFs();
    const store = new LockStore(path, emptyLockfile(), gated.fs);
    const first = store.update((l) => (l.videos.a = entry(1)));
    expect(await settled(first)).toBe(false); // its save is blocked at rename
    const second = store.update((l) => (l.videos.b = entry(2)));
    await gated.releaseOne(); // the first save (a only) completes
    await first;
    expect(Object.keys(parseLockfile(await readFile(path, 'utf8'), path).videos)).toEqual(['a']);
    expect(await settled(second)).toBe(false); // that save did not contain b
    await gated.releaseOne();
    await second;
    expect(Object.keys(parseLockfile(await readFile(path, 'utf8'), path).videos)).toEqual(['a', 'b']);
  });

  it('rejects the update whose save fails, and a later update saves both changes', async () => {
    const path = freshPath();
    let fail = true;
    const fs: AtomicFs = {
      ...nodeFs,
      async rename(from, to) {
        if (fail) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        return nodeFs.rename(from, to);
      },
    };
    const store = new LockStore(path, emptyLockfile(), fs);
    // A full disk is the user's to fix: a coded error naming the lockfile, not a raw ENOSPC.
    await expect(store.update((l) => (l.videos.a = entry(1)))).rejects.toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining(basename(path)) });
    fail = false;
    await store.update((l) => (l.videos.b = entry(2)));
    expect(Object.keys((await readLockfile(path)).videos).sort()).toEqual(['a', 'b']);
  });

  it('rejects an update whose mutator throws, without saving', async () => {
    const path = freshPath();
    const store = new LockStore(path, emptyLockfile());
    await expect(store.update(() => {
      throw new Error('bad mutator');
    })).rejects.toThrow('bad mutator');
    await store.flush();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('opens an existing lockfile and keeps entries it did not touch', async () => {
    const path = freshPath();
    await writeLockfile(path, sampleLock());
    const store = await LockStore.open(path);
    await store.update((l) => (l.videos.intro!.status = 'failed'));
    const back = await readLockfile(path);
    expect(back.videos.intro?.status).toBe('failed');
    expect(back.videos.outro).toEqual(sampleLock().videos.outro);
  });

  it('a lockfile given merge-conflict markers during a build is never written: saves go to the journal beside it until it is resolved, then both are joined and the journal goes', async () => {
    const path = freshPath();
    await writeLockfile(path, sampleLock());
    const store = await LockStore.open(path);
    const warnings: string[] = [];
    store.onHold((w) => warnings.push(w));
    const mine = await readFile(path, 'utf8');
    const conflicted = `<<<<<<< HEAD\n${mine}=======\n${mine.replace('outro:', 'outra:')}>>>>>>> origin/main\n`;
    await writeFile(path, conflicted);

    // A render paid while the file is conflicted: recorded, in the journal.
    await store.update((l) => (l.videos.paid = { ...entry(1), status: 'submitted', remoteId: 'r-paid' }));
    await store.update((l) => (l.videos.paid!.status = 'completed'));
    expect(await readFile(path, 'utf8')).toBe(conflicted);
    expect(store.holding).toBe(true);
    expect(store.unmerged).toBe(unmergedPath(path));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`has git merge-conflict markers`);
    expect((await readLockfile(unmergedPath(path))).videos.paid).toMatchObject({ status: 'completed', remoteId: 'r-paid' });

    // Resolved by taking the other side whole (it has a teammate's render, not this build's): the next save joins them.
    const theirs = sampleLock();
    theirs.videos.pulled = { ...entry(2), status: 'completed', remoteId: 'r-pulled' };
    await writeFile(path, serializeLockfile(theirs));
    await store.update((l) => (l.videos.paid!.durationSeconds = 3));
    const back = await readLockfile(path);
    expect(back.videos.paid).toMatchObject({ status: 'completed', remoteId: 'r-paid', durationSeconds: 3 });
    expect(back.videos.pulled?.remoteId).toBe('r-pulled');
    expect(store.holding).toBe(false);
    await expect(stat(unmergedPath(path))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a journal left beside the lockfile is joined when a store opens (and saved into the lockfile at once), and named by a still-conflicted lockfile\'s error', async () => {
    const path = freshPath();
    const journal = sampleLock();
    journal.videos.paid = { ...entry(1), status: 'completed', remoteId: 'r-paid' };
    await writeFile(unmergedPath(path), serializeLockfile(journal));
    const conflicted = `<<<<<<< HEAD\n${serializeLockfile(sampleLock())}=======\n>>>>>>> stash\n`;
    await writeFile(path, conflicted);
    const refused = await LockStore.open(path, { displayPath: 'heygen.lock.yaml' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'E_LOCKFILE_CONFLICT', hint: expect.stringContaining('recorded in heygen.lock.unmerged.yaml') as string });
    expect(await readFile(path, 'utf8')).toBe(conflicted);

    // Resolved (one side taken whole): the store starts from both, and the journal's records are in the lockfile.
    const theirs = sampleLock();
    theirs.videos.intro!.status = 'submitted';
    await writeLockfile(path, theirs);
    const store = await LockStore.open(path);
    expect(store.lock.videos.paid?.remoteId).toBe('r-paid');
    expect(store.lock.videos.intro?.status).toBe('completed'); // the further record of the same render
    expect((await readLockfile(path)).videos.paid?.remoteId).toBe('r-paid');
    await expect(stat(unmergedPath(path))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
