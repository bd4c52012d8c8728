/**
 * Sharded builds (`build --shard i/n`) as a CI matrix runs them: each shard in its own checkout of one
 * project, against one HeyGen (the emulator), then `lock merge` of their partial lockfiles.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { LOCKFILE_VERSION, type Lockfile } from '../../src/model/lock.js';
import { BIN, cleanEnv, runCli, tempProject } from '../helpers/cli.js';
import { emulator, posts } from './emulator.js';
import { CONFIG, makeProject } from './project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A checkout of `dir` for one CI job. */
function checkout(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'hb-shard-'));
  cpSync(dir, copy, { recursive: true });
  dirs.push(copy);
  return copy;
}

function project(n: number): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[`videos/batch/v${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: Shard test video number ${i} says hello.\n`;
  const dir = makeProject(files);
  dirs.push(dir);
  return dir;
}

function readLock(file: string): Lockfile | undefined {
  return existsSync(file) ? parseLockfile(readFileSync(file, 'utf8'), file) : undefined;
}

const partial = (dir: string, i: number, n: number): string => join(dir, `heygen.lock.shard-${i}-of-${n}.yaml`);

interface PlanEvent {
  type: string;
  plan?: { items: { id: string; action: string }[] };
}

function plannedIds(stdout: string): string[] {
  const plan = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as PlanEvent)
    .find((e) => e.type === 'plan')!.plan!;
  return plan.items.map((i) => i.id);
}

/** A lockfile with what differs between two HeyGen sessions left out: uploads get new asset ids. */
function comparable(l: Lockfile): Lockfile {
  return { ...l, assets: Object.fromEntries(Object.entries(l.assets).map(([k, a]) => [k, { ...a, remoteId: '' }])) };
}

describe('build --shard (emulator)', () => {
  it('shards 0/2 and 1/2 build every item exactly once, and their merged lockfile is the one a single build writes', async () => {
    const { emu, env } = await emulator({ renderMs: 200 });
    const base = project(6);
    const [a, b, single, merged] = [checkout(base), checkout(base), checkout(base), checkout(base)];
    const [r0, r1] = await Promise.all([
      runCli(['build', '--shard', '0/2', '--json'], { cwd: a, env }),
      runCli(['build', '--shard', '1/2', '--json'], { cwd: b, env }),
    ]);
    expect(r0.code, r0.stderr).toBe(0);
    expect(r1.code, r1.stderr).toBe(0);

    // 9 videos (6 + intro, tour, hello) and hello's translation, split with no overlap and no gap.
    const ids0 = plannedIds(r0.stdout);
    const ids1 = plannedIds(r1.stdout);
    expect(ids0.length).toBeGreaterThan(0);
    expect(ids1.length).toBeGreaterThan(0);
    expect(ids0.filter((id) => ids1.includes(id))).toEqual([]);
    expect([...ids0, ...ids1].sort()).toHaveLength(10);
    // The translation goes with its video.
    expect(ids0.includes('hello') ? ids0 : ids1).toContain('hello@es');

    // Each clip (10: tour has 2 scenes) and the translation sent once, by one shard.
    expect(posts(emu, /^\/v3\/videos$/)).toBe(10);
    expect(emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(10);
    expect(emu.jobs().filter((j) => j.kind === 'translation')).toHaveLength(1);
    // The shards wrote their own partial lockfiles, not the lockfile.
    expect(existsSync(join(a, 'heygen.lock.yaml'))).toBe(false);
    const planEvent = JSON.parse(r0.stdout.split('\n')[0]!) as { type: string; shard?: unknown };
    expect(planEvent.shard).toEqual({ index: 0, count: 2, lockOut: 'heygen.lock.shard-0-of-2.yaml' });
    expect(Object.keys(readLock(partial(a, 0, 2))!.videos).sort()).toEqual(ids0.filter((id) => !id.includes('@')).sort());

    // Each partial says what its shard was dealt from, and both shards dealt from one list.
    const [s0, s1] = [readLock(partial(a, 0, 2))!.shard, readLock(partial(b, 1, 2))!.shard];
    expect(s0).toMatchObject({ index: 0, count: 2 });
    expect(s1).toMatchObject({ index: 1, count: 2, dealt: s0!.dealt });

    cpSync(partial(a, 0, 2), partial(merged, 0, 2));
    // One shard alone is refused: the other's renders would be missing from the lockfile.
    const alone = await runCli(['lock', 'merge', 'heygen.lock.shard-0-of-2.yaml'], { cwd: merged, env });
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/E_LOCK_MERGE_SHARDS[\s\S]*shard 1\/2 is missing/);
    expect(existsSync(join(merged, 'heygen.lock.yaml'))).toBe(false);
    cpSync(partial(b, 1, 2), partial(merged, 1, 2));
    const m = await runCli(['lock', 'merge', 'heygen.lock.shard-0-of-2.yaml', 'heygen.lock.shard-1-of-2.yaml'], { cwd: merged, env });
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr).not.toContain('warning');
    expect(m.stdout).toContain('Merged 2 partial lockfiles into heygen.lock.yaml');

    // The same project built in one go: every request replays the shards' jobs (same Idempotency-Keys).
    const one = await runCli(['build'], { cwd: single, env });
    expect(one.code, one.stderr).toBe(0);
    expect(emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(10);
    const mergedLock = readLock(join(merged, 'heygen.lock.yaml'))!;
    expect(comparable(mergedLock)).toEqual(comparable(readLock(join(single, 'heygen.lock.yaml'))!));
    expect(readFileSync(join(merged, 'heygen.lock.yaml'), 'utf8')).toMatch(new RegExp(`^version: ${LOCKFILE_VERSION}$`, 'm'));

    // The merged checkout plans nothing to pay for (its outputs are restored, not rendered).
    const plan = await runCli(['plan', '--json'], { cwd: merged, env });
    const doc = JSON.parse(plan.stdout) as { totals: { actions: { create: number; update: number }; credits: number } };
    expect(doc.totals.actions.create + doc.totals.actions.update).toBe(0);
  });

  it('--shard takes ⌊concurrency/n⌋ jobs by default, and refuses a shard outside the count', async () => {
    const { emu, env } = await emulator({ renderMs: 600 });
    const dir = project(12);
    const r = await runCli(['build', '--shard', '0/3'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    // concurrency 10 in the config, 3 shards: at most 3 unfinished jobs of this shard at once.
    expect(maxInFlight(emu.jobs())).toBeLessThanOrEqual(3);
    const bad = await runCli(['build', '--shard', '3/3'], { cwd: dir, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('E_SHARD');
  });

  it('--lock-out is relative to the working folder, as --config is, and the project lockfile is refused however it is named', async () => {
    const { emu, env } = await emulator({ renderMs: 100 });
    // A CI job in the repository root builds the project in site/ with --config site/heygen.config.mjs.
    const repo = tempProject({ 'site/heygen.config.mjs': CONFIG, 'site/videos/one.yaml': 'avatar: presenter\nscenes:\n  - script: Lock out beside the job.\n', 'partials/.keep': '' });
    dirs.push(repo);
    const shard = ['build', '--config', 'site/heygen.config.mjs', '--shard', '0/1', '--json'];
    for (const named of ['site/heygen.lock.yaml', join(repo, 'site', 'heygen.lock.yaml'), 'partials/../site/heygen.lock.yaml']) {
      const refused = await runCli([...shard, '--lock-out', named], { cwd: repo, env });
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toContain(`--lock-out ${named} is the project lockfile`);
    }
    expect(posts(emu)).toBe(0);
    const r = await runCli([...shard, '--lock-out', 'partials/shard-0.yaml'], { cwd: repo, env });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(readLock(join(repo, 'partials', 'shard-0.yaml'))!.videos)).toEqual(['one']);
    expect(existsSync(join(repo, 'site', 'partials'))).toBe(false);
    expect(existsSync(join(repo, 'site', 'heygen.lock.yaml'))).toBe(false);
    const planEvent = JSON.parse(r.stdout.split('\n')[0]!) as { shard?: unknown };
    expect(planEvent.shard).toEqual({ index: 0, count: 1, lockOut: 'partials/shard-0.yaml' });
    // `lock merge` reads its files from the same folder.
    const m = await runCli(['lock', 'merge', '--config', 'site/heygen.config.mjs', 'partials/shard-0.yaml'], { cwd: repo, env });
    expect(m.code, m.stderr).toBe(0);
    expect(Object.keys(readLock(join(repo, 'site', 'heygen.lock.yaml'))!.videos)).toEqual(['one']);
  });

  it('two shards SIGKILLed mid-build, then run again: every key is paid for exactly once', async () => {
    const { emu, env } = await emulator({ renderMs: 1500 });
    const base = project(10);
    const [a, b] = [checkout(base), checkout(base)];
    await Promise.all([killWhenSubmitted(a, 0, env), killWhenSubmitted(b, 1, env)]);
    const [r0, r1] = await Promise.all([
      runCli(['build', '--shard', '0/2'], { cwd: a, env }),
      runCli(['build', '--shard', '1/2'], { cwd: b, env }),
    ]);
    expect(r0.code, r0.stderr).toBe(0);
    expect(r1.code, r1.stderr).toBe(0);
    // 14 clips (10 + intro + 2 of tour + hello): one job each, whatever was resent after the kills.
    const clips = emu.jobs().filter((j) => j.kind === 'video');
    expect(clips).toHaveLength(14);
    expect(new Set(clips.map((j) => j.idempotencyKey)).size).toBe(14);

    const merged = checkout(base);
    cpSync(partial(a, 0, 2), partial(merged, 0, 2));
    cpSync(partial(b, 1, 2), partial(merged, 1, 2));
    expect((await runCli(['lock', 'merge', partial(merged, 0, 2), partial(merged, 1, 2)], { cwd: merged, env })).code).toBe(0);
    const lock = readLock(join(merged, 'heygen.lock.yaml'))!;
    expect(Object.values(lock.videos).every((e) => e.status === 'completed')).toBe(true);
    expect(Object.keys(lock.videos)).toHaveLength(13);
  });
});

/** Highest number of jobs unfinished at the same moment. */
function maxInFlight(jobs: { createdAt: number; finishAt: number; kind: string }[]): number {
  const edges = jobs.filter((j) => j.kind !== 'speech').flatMap((j) => [[j.createdAt, 1] as const, [j.finishAt, -1] as const]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

/** Starts shard `i` of 2 in `dir` and SIGKILLs it once its partial lockfile records a clip in flight. */
async function killWhenSubmitted(dir: string, i: number, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'build', '--shard', `${i}/2`], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const l = readLock(partial(dir, i, 2));
    if (l && Object.values(l.clips ?? {}).some((c) => c.status === 'submitted')) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the shard never recorded a clip in flight');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await exited;
  const atKill = readLock(partial(dir, i, 2))!;
  // Killed mid-build: some clips of this shard were still rendering.
  expect(Object.values(atKill.clips ?? {}).some((c) => c.status !== 'completed')).toBe(true);
}
