/**
 * The real CLI against the HeyGen emulator over loopback HTTP: fresh builds, no-op rebuilds, edits,
 * restores, the budget, and secrets.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { runCli } from '../helpers/cli.js';
import { API_KEY, emulator, posts } from './emulator.js';
import { makeProject } from './project.js';

function lock(dir: string) {
  return parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
}

function isMp4(file: string): boolean {
  return readFileSync(file).subarray(4, 8).toString('latin1') === 'ftyp';
}

describe('build with HeyGen (emulator)', () => {
  it('renders every video once, then does nothing, then re-renders only an edited one', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();

    const first = await runCli(['build'], { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const f of ['intro.mp4', 'tour.mp4', 'tour.srt', 'hello.mp4', 'hello.es.mp4']) {
      expect(readdirSync(join(dir, 'out'))).toContain(f);
    }
    expect(isMp4(join(dir, 'out', 'intro.mp4'))).toBe(true);
    const l1 = lock(dir);
    expect(Object.keys(l1.videos).sort()).toEqual(['hello', 'intro', 'tour']);
    for (const v of Object.values(l1.videos)) expect(v.status).toBe('completed');
    expect(l1.videos.hello!.translations.es!.status).toBe('completed');
    // The background image, and hello composed here and uploaded for its translation.
    expect(Object.keys(l1.assets)).toHaveLength(2);
    // One clip per scene: intro 1, tour 2, hello 1.
    expect(posts(emu, /^\/v3\/videos$/)).toBe(4);
    expect(Object.keys(l1.clips ?? {})).toHaveLength(4);
    expect(posts(emu, /^\/v3\/video-translations$/)).toBe(1);
    expect(posts(emu, /^\/v3\/assets$/)).toBe(2);
    // Every paid POST carried an Idempotency-Key.
    for (const r of emu.requests.filter((x) => x.method === 'POST' && x.path === '/v3/videos')) {
      expect(r.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_:.-]{1,255}$/);
    }

    emu.reset();
    const second = await runCli(['build'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(posts(emu)).toBe(0);
    expect(second.stdout).toContain('0 rendered, 4 unchanged');

    const tour = join(dir, 'videos', 'tour.yaml');
    writeFileSync(tour, readFileSync(tour, 'utf8').replace('tell you what changed', 'show what moved'));
    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    const items = (JSON.parse(plan.stdout) as { items: { id: string; action: string; reasons: string[] }[] }).items;
    expect(items.filter((i) => i.action !== 'unchanged')).toEqual([
      expect.objectContaining({ id: 'tour', action: 'update', reasons: ['scenes[1].script', '1 of 2 scenes to render, 1 reused'] }),
    ]);

    emu.reset();
    const third = await runCli(['build'], { cwd: dir, env });
    expect(third.code).toBe(0);
    // Only the edited scene is paid for; the other is reused and the video composed again.
    expect(posts(emu, /^\/v3\/videos$/)).toBe(1);
    expect(posts(emu)).toBe(1);
    expect(Object.keys(lock(dir).clips ?? {})).toHaveLength(5);
    expect(lock(dir).videos.tour!.output!.sha256).not.toBe(l1.videos.tour!.output!.sha256);

    // The API key is in no file and no output.
    for (const text of [first.stdout, first.stderr, second.stdout, third.stdout, readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8')]) {
      expect(text).not.toContain(API_KEY);
    }
  });

  it('restores missing outputs on a fresh clone without rendering again', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const before = lock(dir);
    rmSync(join(dir, 'out'), { recursive: true });
    rmSync(join(dir, '.heygen'), { recursive: true, force: true });
    emu.reset();
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toContain('0 to create, 0 to update, 0 to resume, 4 to download');
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(posts(emu)).toBe(0);
    const after = lock(dir);
    expect(after.videos.intro!.output!.sha256).toBe(before.videos.intro!.output!.sha256);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['hello.es.mp4', 'hello.mp4', 'intro.mp4', 'tour.mp4', 'tour.srt']);
  });

  it('--replace renders an unchanged video again, as a new attempt with a new Idempotency-Key', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const before = lock(dir).videos.intro!;
    const clipsBefore = lock(dir).clips!;
    const plan = await runCli(['plan', '--replace', 'intro'], { cwd: dir, env });
    expect(plan.stdout).toMatch(/~ update\s+intro[\s\S]*replacement requested/);
    expect(plan.stdout).toContain('1 to update');
    emu.reset();
    const r = await runCli(['build', '--replace', 'intro'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(posts(emu)).toBe(1);
    const after = lock(dir);
    expect(after.videos.intro!.attempt).toBe(before.attempt + 1);
    // Its one clip went again as a new attempt, with a new Idempotency-Key.
    const [clipKey, clip] = Object.entries(after.clips!).find(([, c]) => c.attempt === 2)!;
    expect(clip.idempotencyKey).not.toBe(clipsBefore[clipKey]!.idempotencyKey);
    expect(clip.remoteId).not.toBe(clipsBefore[clipKey]!.remoteId);
    expect(emu.requests.find((q) => q.method === 'POST')!.headers['idempotency-key']).toBe(clip.idempotencyKey);
    const bad = await runCli(['build', '--replace', 'intr'], { cwd: dir, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/E_REPLACE_UNKNOWN.*did you mean "intro"/);
  });

  it('build --plan builds what the saved plan showed, refuses a plan that changed since, and spends at most its total', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    const saved = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('to create');
    const doc = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { provider: string; items: { id: string; action: string }[]; totals: { credits: number } };
    expect(doc.provider).toBe('heygen');
    expect(doc.items.map((i) => `${i.id} ${i.action}`)).toEqual(['hello create', 'hello@es create', 'intro create', 'tour create']);

    // After the review, a scene was edited and a video added: neither was in the saved plan.
    const tour = join(dir, 'videos', 'tour.yaml');
    writeFileSync(tour, readFileSync(tour, 'utf8').replace('tell you what changed', 'show what moved'));
    writeFileSync(join(dir, 'videos', 'extra.yaml'), 'avatar: presenter\nbackground: "#101010"\nscenes:\n  - script: One more.\n');
    const stale = await runCli(['build', '--plan', 'plan.json'], { cwd: dir, env });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('E_PLAN_STALE');
    expect(stale.stderr).toContain('the plan changed since plan.json was saved: nothing was built or sent');
    expect(stale.stderr).toContain('extra: create, not in the saved plan');
    expect(stale.stderr).toMatch(/tour: create of other content than the saved plan's/);
    expect(stale.stderr).toContain('hint: review the plan as it is now');
    expect(posts(emu)).toBe(0);

    // Saved again and reviewed: built as shown; with nothing left to do, the same file builds nothing.
    expect((await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env })).code).toBe(0);
    const built = await runCli(['build', '--plan', 'plan.json'], { cwd: dir, env });
    expect(built.code).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(5);
    emu.reset();
    expect((await runCli(['build', '--plan', 'plan.json'], { cwd: dir, env })).code).toBe(0);
    expect(posts(emu)).toBe(0);

    // The saved total is the budget: a plan file saying less than the items cost is refused before any POST.
    const intro = join(dir, 'videos', 'intro.yaml');
    writeFileSync(intro, readFileSync(intro, 'utf8').replace('It helps teams', 'It lets teams'));
    expect((await runCli(['plan', '--out', 'p2.json'], { cwd: dir, env })).code).toBe(0);
    const p2 = JSON.parse(readFileSync(join(dir, 'p2.json'), 'utf8')) as { totals: { credits: number } };
    expect(p2.totals.credits).toBeGreaterThan(0);
    writeFileSync(join(dir, 'p2.json'), JSON.stringify({ ...p2, totals: { ...p2.totals, credits: p2.totals.credits / 2 } }));
    const over = await runCli(['build', '--plan', 'p2.json'], { cwd: dir, env });
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('E_BUDGET');
    expect(posts(emu)).toBe(0);

    // Not a plan, or a file that is not the plan's to write.
    const missing = await runCli(['build', '--plan', 'nope.json'], { cwd: dir, env });
    expect(missing.stderr).toContain('E_PLAN_FILE');
    expect(missing.stderr).toContain('nope.json: not a saved plan: there is no such file');
    const onManifest = await runCli(['plan', '--out', 'videos/intro.yaml'], { cwd: dir, env });
    expect(onManifest.code).toBe(1);
    expect(onManifest.stderr).toContain('plan --out videos/intro.yaml: that is a manifest; the plan was not saved');
    expect(readFileSync(intro, 'utf8')).toContain('It lets teams');
    expect(posts(emu)).toBe(0);
  });

  it('refuses a build over budget before sending anything', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    const r = await runCli(['build', '--max-credits', '0.1'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E_BUDGET');
    expect(r.stderr).toMatch(/hint: raise --max-credits/);
    expect(posts(emu)).toBe(0);
  });

  it('builds with the legacy v2 API', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    const r = await runCli(['build'], { cwd: dir, env: { ...env, TEST_HEYGEN_API: 'v2' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(posts(emu, /^\/v2\/video\/generate$/)).toBe(3);
    expect(posts(emu, /^\/v2\/video_translate$/)).toBe(1);
    expect(posts(emu, /^\/v1\/asset$/)).toBe(1);
    expect(lock(dir).videos.tour!.api).toBe('v2');
    expect(isMp4(join(dir, 'out', 'hello.es.mp4'))).toBe(true);
    // Said once, never a reason to stop: HeyGen ended v1/v2 on 2026-10-31.
    expect(r.stdout.match(/ended support for its v1\/v2 API on 2026-10-31/g)).toHaveLength(1);
    const plan = await runCli(['plan'], { cwd: dir, env: { ...env, TEST_HEYGEN_API: 'v2' } });
    expect(plan.code).toBe(0);
    expect(plan.stderr.match(/warning: .*ended support for its v1\/v2 API on 2026-10-31/g)).toHaveLength(1);
    expect(plan.stderr).not.toMatch(/hint: .*api: 'v2'/);
  });

  it('never has more jobs in flight than --concurrency, and waits out 429s from the job cap', async () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 6; i++) extra[`videos/more/m${i}.yaml`] = `avatar: presenter\nscenes:\n  - script: Extra video number ${i}.\n`;

    const own = await emulator({ renderMs: 300 });
    const dir1 = makeProject(extra);
    expect((await runCli(['build', '--concurrency', '2'], { cwd: dir1, env: own.env })).code).toBe(0);
    expect(maxOverlap(own.emu.jobs())).toBeLessThanOrEqual(2);
    expect(maxOverlap(own.emu.jobs())).toBe(2);

    const capped = await emulator({ concurrency: 2, renderMs: 300 });
    const dir2 = makeProject(extra);
    expect((await runCli(['build', '--concurrency', '5'], { cwd: dir2, env: capped.env })).code).toBe(0);
    expect(capped.emu.requests.some((r) => r.status === 429)).toBe(true);
    const jobs = capped.emu.jobs();
    // A clip per scene: nine videos, one of them (tour) with two scenes.
    expect(jobs.filter((j) => j.kind === 'video')).toHaveLength(10);
    // Each content key was created once, whatever the 429s.
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(jobs.length);
  });
});

/** The largest number of jobs that were running at the same moment. */
function maxOverlap(jobs: { createdAt: number; finishAt: number }[]): number {
  const edges = jobs.flatMap((j) => [
    [j.createdAt, 1],
    [j.finishAt, -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let cur = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (cur += d!));
  return max;
}
