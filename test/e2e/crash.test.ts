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
  // Generous: at load 12-14 on 2 cores, the first test's build took 21 s to reach its kill condition.
  const deadline = Date.now() + 60_000;
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

interface PlanScene {
  index: number;
  key: string | null;
  action: string;
  reasons: string[];
}
interface PlanDoc {
  items: { id: string; kind: string; scenes?: PlanScene[] }[];
}

/** Each clip key of the plan, with the `<video>#<scene>` labels that use it. */
function clipLabels(doc: PlanDoc): Map<string, PlanScene & { label: string }> {
  const out = new Map<string, PlanScene & { label: string }>();
  for (const it of doc.items) for (const s of it.scenes ?? []) if (s.key) out.set(s.key, { ...s, label: `${it.id}#${s.index + 1}` });
  return out;
}

describe('crash safety (SIGKILL, emulator)', () => {
  it('killed with some videos finished and some rendering: the rebuild resumes and pays for none twice', async () => {
    // The first 4 clips (the build's --concurrency) render at once; later ones are held at HeyGen (in
    // progress) until the kill, so while the first videos are composed (ffmpeg, however long that takes on
    // a loaded machine) the held clips keep the build's slots and the rest are not yet sent. The emulator
    // reads `timing.holdRenders` once per accepted render. (Slow renders of 5 s raced composing: at load
    // 15, composing took longer than the renders, and all 16 clips were sent before the kill.)
    const { emu, env } = await emulator({ renderMs: 300 });
    let holding = true;
    Object.defineProperty(emu.timing, 'holdRenders', { get: () => holding && emu.jobs().filter((j) => j.kind === 'video').length >= 4 });
    const dir = makeProject(manyVideos(8));
    // 8 one-scene batch videos, and the base project's 4 scenes (tour has 2): one clip each. At the kill:
    // 4 clips rendered, 4 held at HeyGen in the build's 4 slots, 4 not sent.
    const totalVideos = 11;
    const totalClips = 12;
    const atKill = await killWhen(dir, env, (l) => {
      const composed = Object.values(l.videos).filter((e) => e.status === 'completed').length;
      return composed >= 2 && Object.values(l.clips ?? {}).some((c) => c.status === 'submitted');
    });
    // The held renders end now, and the rerun's own are not held.
    holding = false;
    expect(emu.release()).toBeGreaterThan(0);
    const clipsBefore = Object.entries(atKill.clips ?? {});
    const submittedBefore = clipsBefore.filter(([, c]) => c.remoteId);
    expect(submittedBefore.length).toBeLessThan(totalClips);
    expect(clipsBefore.some(([, c]) => c.status === 'submitted')).toBe(true);

    // The plan resumes the clips in flight (nothing to pay for them) and reuses the finished ones.
    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    const scenes = clipLabels(JSON.parse(plan.stdout) as PlanDoc);
    for (const [key, c] of clipsBefore) {
      if (c.status === 'submitted') expect(scenes.get(key)?.action, key).toBe('resume');
      if (c.status === 'completed' && scenes.has(key)) expect(scenes.get(key)?.action, key).toBe('reuse');
    }

    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const after = readLock(dir)!;
    expect(Object.keys(after.videos)).toHaveLength(totalVideos);
    expect(Object.values(after.videos).every((e) => e.status === 'completed' && e.composed && e.output)).toBe(true);
    expect(Object.values(after.clips ?? {}).every((c) => c.status === 'completed' && c.file)).toBe(true);
    // Every clip recorded before the kill kept its remote id and key: it was never submitted again.
    for (const [key, c] of submittedBefore) {
      expect(after.clips![key]!.remoteId).toBe(c.remoteId);
      expect(after.clips![key]!.idempotencyKey).toBe(c.idempotencyKey);
    }
    const clipJobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(clipJobs).toHaveLength(totalClips);
    expect(new Set(clipJobs.map((j) => j.idempotencyKey)).size).toBe(totalClips);
    // ~6 s on an idle machine; 47 s at load 12-14 on 2 cores (most of it ffmpeg composing), near the default 60 s.
  }, 120_000);

  it('killed between the POST and recording its answer: the same Idempotency-Key is resent and one job exists', async () => {
    const { emu, env } = await emulator({ renderMs: 300 });
    // The first clip POST answers slowly, so the build is certain to be killed while it waits.
    emu.faults.slow = { count: 1, ms: 1500, paths: /^\/v3\/videos$/ };
    const dir = makeProject();
    const atKill = await killWhen(dir, env, (l) => Object.values(l.clips ?? {}).some((c) => c.status === 'pending' && !c.remoteId));
    const pending = Object.entries(atKill.clips ?? {}).filter(([, c]) => c.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    for (const [, c] of pending) expect(c.idempotencyKey).toBeTruthy();

    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    const scenes = clipLabels(JSON.parse(plan.stdout) as PlanDoc);
    for (const [key] of pending) {
      expect(scenes.get(key)?.action).toBe('resume');
      expect(scenes.get(key)?.reasons.join(' ')).toContain('intent recorded: resent with the same Idempotency-Key');
    }

    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const after = readLock(dir)!;
    for (const [key, c] of pending) {
      expect(after.clips![key]!.idempotencyKey).toBe(c.idempotencyKey);
      expect(after.clips![key]!.status).toBe('completed');
    }
    // One job per clip (intro 1, tour 2, hello 1), whatever was resent.
    const clipJobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(clipJobs).toHaveLength(4);
    expect(new Set(clipJobs.map((j) => j.idempotencyKey)).size).toBe(4);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; replayed?: boolean });
    for (const [key] of pending) {
      const label = scenes.get(key)!.label;
      expect(events.some((e) => e.type === 'submitted' && e.id === label && e.replayed), label).toBe(true);
    }
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
