/**
 * A build killed with SIGKILL, then run again: nothing is paid twice, the lockfile is whole, and every
 * output ends complete. (RELIABILITY.md: kill points on the submit path; crash at video N of M.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { emulator } from './emulator.js';
import { makeProject } from './project.js';

function readLock(dir: string): Lockfile | undefined {
  const file = join(dir, 'heygen.lock.yaml');
  if (!existsSync(file)) return undefined;
  return parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml');
}

/** Starts a build and SIGKILLs it as soon as `when(lock)` holds. Returns the lockfile at that moment. */
async function killWhen(dir: string, env: Record<string, string>, when: (l: Lockfile) => boolean): Promise<Lockfile> {
  const child = spawn(process.execPath, [BIN, 'build', '--concurrency', '4'], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    // Every read during the run must parse: writes are atomic.
    const l = readLock(dir);
    if (l && when(l)) {
      child.kill('SIGKILL');
      await exited;
      return readLock(dir)!;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the kill condition never held');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

function manyVideos(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`videos/batch/v${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: Batch video number ${i} says hello.\n`;
  return files;
}

describe('crash safety (SIGKILL, emulator)', () => {
  it('killed with some videos finished and some rendering: the rebuild resumes and pays for none twice', async () => {
    const { emu, env } = await emulator({ renderMs: 700 });
    const dir = makeProject(manyVideos(12));
    const total = 15;
    const atKill = await killWhen(dir, env, (l) => {
      const v = Object.values(l.videos);
      return v.filter((e) => e.status === 'completed').length >= 4 && v.some((e) => e.status === 'submitted');
    });
    const submittedBefore = Object.values(atKill.videos).filter((e) => e.remoteId).length;
    expect(submittedBefore).toBeLessThan(total);

    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toMatch(/> resume/);

    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const after = readLock(dir)!;
    expect(Object.values(after.videos).every((e) => e.status === 'completed' && e.output)).toBe(true);
    // Every video recorded before the kill kept its remote id: it was never submitted again.
    for (const [id, e] of Object.entries(atKill.videos)) {
      if (e.remoteId) expect(after.videos[id]!.remoteId).toBe(e.remoteId);
    }
    const videoJobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(videoJobs).toHaveLength(total);
    expect(new Set(videoJobs.map((j) => j.idempotencyKey)).size).toBe(total);
  });

  it('killed between the POST and recording its answer: the same Idempotency-Key is resent and one job exists', async () => {
    const { emu, env } = await emulator({ renderMs: 300 });
    // The first video POST answers slowly, so the build is certain to be killed while it waits.
    emu.faults.slow = { count: 1, ms: 1500, paths: /^\/v3\/videos$/ };
    const dir = makeProject();
    const atKill = await killWhen(dir, env, (l) => Object.values(l.videos).some((e) => e.status === 'pending'));
    const pending = Object.entries(atKill.videos).filter(([, e]) => e.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);

    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toContain('intent recorded, answer not recorded');

    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const after = readLock(dir)!;
    for (const [id, e] of pending) {
      expect(after.videos[id]!.idempotencyKey).toBe(e.idempotencyKey);
      expect(after.videos[id]!.status).toBe('completed');
    }
    const videoJobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(videoJobs).toHaveLength(3);
    expect(new Set(videoJobs.map((j) => j.idempotencyKey)).size).toBe(3);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; replayed?: boolean });
    for (const [id] of pending) expect(events.some((e) => e.type === 'submitted' && e.id === id && e.replayed)).toBe(true);
  });

  it('a second build while one runs fails at once naming the holder', async () => {
    const { env } = await emulator({ renderMs: 1500 });
    const dir = makeProject();
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
    try {
      const deadline = Date.now() + 20_000;
      while (!existsSync(join(dir, '.heygen', 'build.lock')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const r = await runCli(['build'], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('E_BUILD_LOCKED');
      expect(r.stderr).toContain(String(child.pid));
    } finally {
      child.kill('SIGKILL');
    }
    // Once the holder has exited, the next build takes the lock over with a warning and finishes.
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/stale build lock/);
  });
});
