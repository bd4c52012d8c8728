import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireBuildLock } from '../../src/lockfile/buildlock.js';
import { exited, firstLine, spawnFixture } from './children.js';

let base: string;
let n = 0;
async function freshRoot(): Promise<string> {
  const root = join(base, `project-${n++}`);
  await mkdir(root);
  return root;
}
const lockPath = (root: string) => join(root, '.heygen', 'build.lock');

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await exited(child);
  return child.pid!;
}

async function writeForeignLock(root: string, info: Record<string, unknown>): Promise<void> {
  await mkdir(join(root, '.heygen'), { recursive: true });
  await writeFile(lockPath(root), JSON.stringify(info));
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'hb-buildlock-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('acquireBuildLock', () => {
  it('writes who holds the lock, and release removes it', async () => {
    const root = await freshRoot();
    const lock = await acquireBuildLock(root, { command: 'heygen-build build' });
    expect(lock.warning).toBeUndefined();
    const info = JSON.parse(await readFile(lockPath(root), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ pid: process.pid, host: hostname(), command: 'heygen-build build' });
    expect(Number.isNaN(Date.parse(info.since as string))).toBe(false);
    await lock.release();
    await expect(stat(lockPath(root))).rejects.toMatchObject({ code: 'ENOENT' });
    await lock.release(); // twice is fine
    const again = await acquireBuildLock(root);
    await again.release();
  });

  it('refuses a second build, naming the holder (pid, host, since) with a hint', async () => {
    const root = await freshRoot();
    const first = await acquireBuildLock(root, { command: 'heygen-build build' });
    const err = await acquireBuildLock(root).then(
      () => undefined,
      (e: { code: string; message: string; hint: string }) => e,
    );
    expect(err?.code).toBe('E_BUILD_LOCKED');
    expect(err?.message).toContain(`pid ${process.pid}`);
    expect(err?.message).toContain(hostname());
    expect(err?.message).toContain(first.info.since);
    expect(err?.hint).toContain(lockPath(root));
    // Losing the race leaves the holder's lock in place.
    expect(JSON.parse(await readFile(lockPath(root), 'utf8'))).toEqual(first.info);
    await first.release();
  });

  it('lets exactly one of several concurrent acquisitions win', async () => {
    const root = await freshRoot();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => acquireBuildLock(root)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'E_BUILD_LOCKED' });
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireBuildLock>>>).value.release();
  });

  it('takes over the lock of a dead process on this host, with a warning', async () => {
    const root = await freshRoot();
    const pid = await deadPid();
    const since = '2024-01-02T03:04:05.000Z';
    await writeForeignLock(root, { pid, host: hostname(), since, command: 'heygen-build build' });
    const lock = await acquireBuildLock(root);
    expect(lock.warning).toBe(`took over a stale build lock left by pid ${pid} since ${since}`);
    expect(JSON.parse(await readFile(lockPath(root), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock naming our own pid that this process does not hold (a reused pid)', async () => {
    const root = await freshRoot();
    await writeForeignLock(root, { pid: process.pid, host: hostname(), since: '2024-01-01T00:00:00.000Z', command: 'x', token: 'old' });
    const lock = await acquireBuildLock(root);
    expect(lock.warning).toContain(`pid ${process.pid}`);
    await lock.release();
  });

  it('never takes over a lock from another host, even with a dead pid', async () => {
    const root = await freshRoot();
    await writeForeignLock(root, { pid: await deadPid(), host: 'some-other-ci-runner', since: '2024-01-01T00:00:00.000Z', command: 'x' });
    await expect(acquireBuildLock(root)).rejects.toMatchObject({
      code: 'E_BUILD_LOCKED',
      message: expect.stringContaining('some-other-ci-runner'),
    });
  });

  it('release leaves a lock that is no longer ours', async () => {
    const root = await freshRoot();
    const lock = await acquireBuildLock(root);
    const other = JSON.stringify({ pid: 1, host: 'elsewhere', since: 'now', command: 'x' });
    await writeFile(lockPath(root), other);
    await lock.release();
    expect(await readFile(lockPath(root), 'utf8')).toBe(other);
  });
});

describe('build lock across processes', () => {
  it('a live holder blocks; once it is killed its lock is taken over with a warning', async () => {
    const root = await freshRoot();
    const child = spawnFixture('holder.ts', [root, 'hold']);
    try {
      expect(JSON.parse(await firstLine(child))).toEqual({ ok: true, warning: null });
      await expect(acquireBuildLock(root)).rejects.toMatchObject({
        code: 'E_BUILD_LOCKED',
        message: expect.stringContaining(`pid ${child.pid}`),
      });
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    const lock = await acquireBuildLock(root);
    expect(lock.warning).toContain(`took over a stale build lock left by pid ${child.pid} since`);
    await lock.release();
  });

  it('a process that exits without releasing removes its lock on the way out', async () => {
    const root = await freshRoot();
    const child = spawnFixture('holder.ts', [root, 'exit']);
    expect(JSON.parse(await firstLine(child))).toEqual({ ok: true, warning: null });
    await exited(child);
    await expect(stat(lockPath(root))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
