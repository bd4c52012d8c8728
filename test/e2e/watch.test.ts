/**
 * The built CLI's `watch` in a child process on a temp project: drafts by default, only what changed,
 * invalid edits wait, Ctrl-C exits cleanly; with `--provider heygen` (emulator) an edit pays for one
 * video only.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { runCli } from '../helpers/cli.js';
import { spawnWatch, type WatchChild } from '../watch/child.js';
import { fixtureProject, removeProject } from '../watch/helpers.js';
import { emulator } from './emulator.js';
import { makeProject } from './project.js';

let running: WatchChild | undefined;
const dirs: string[] = [];
afterEach(() => {
  running?.kill();
  running = undefined;
  for (const d of dirs.splice(0)) removeProject(d);
});

describe('heygen-build watch (drafts)', () => {
  it('renders drafts, re-renders only the edited one, survives an invalid edit and exits 0 on Ctrl-C', async () => {
    const dir = fixtureProject();
    dirs.push(dir);
    const w = (running = spawnWatch(['--debounce', '50'], dir));
    await w.waitFor('initial build -> rendering 2 drafts (alpha, beta)');
    await w.waitFor(/done: 2 drafts ready in [\d.]+s/);
    expect(existsSync(join(dir, 'out/alpha.draft.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out/beta.draft.mp4'))).toBe(true);
    expect(w.output()).toMatch(/Watching videos\/\*\*\/\*\.yaml, heygen\.config\.ts -> drafts/);

    let m = w.mark();
    writeFileSync(join(dir, 'videos/alpha.yaml'), 'title: Alpha\nscenes:\n  - script: Alpha has new words.\n');
    let text = await w.waitFor(/done: 1 draft ready in [\d.]+s/, m);
    expect(text).toContain('change: videos/alpha.yaml -> re-rendering 1 draft (alpha)');
    expect(text).toContain('saved alpha -> out/alpha.draft.mp4');
    expect(text).not.toContain('beta');

    // The draft deleted while watching: placed again from the cache, at once.
    m = w.mark();
    rmSync(join(dir, 'out/alpha.draft.mp4'));
    text = await w.waitFor(/done: 1 draft ready/, m);
    expect(text).toContain('change: out/alpha.draft.mp4 -> restoring 1 draft from the cache (alpha)');
    expect(existsSync(join(dir, 'out/alpha.draft.mp4'))).toBe(true);

    m = w.mark();
    writeFileSync(join(dir, 'videos/alpha.yaml'), 'title: Alpha\nscenes:\n  - script: [Alpha is half\n');
    await w.waitFor('invalid: videos/alpha.yaml (1 error) -> waiting for a fix', m);
    // The diagnostics go to stderr, which may arrive after stdout's line.
    await w.waitFor(/videos\/alpha\.yaml:\d+:\d+ error E_YAML/, m);
    expect(w.child.exitCode).toBeNull();

    m = w.mark();
    writeFileSync(join(dir, 'videos/alpha.yaml'), 'title: Alpha\nscenes:\n  - script: Alpha is whole again.\n');
    text = await w.waitFor(/done: 1 draft ready/, m);
    expect(text).toContain('change: videos/alpha.yaml -> re-rendering 1 draft (alpha)');

    w.child.kill('SIGINT');
    expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(w.output()).toContain('Stopped watching.');
    // Drafts never touch the lockfile.
    expect(existsSync(join(dir, 'heygen.lock.yaml'))).toBe(false);
  });

  it('refuses --provider heygen without an API key', async () => {
    const dir = fixtureProject();
    dirs.push(dir);
    const r = await runCli(['watch', '--provider', 'heygen'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HEYGEN_API_KEY');
  });
});

describe('heygen-build watch --provider heygen (emulator)', () => {
  it('builds what the lockfile lacks, then pays only for the edited video', async () => {
    const { emu, env } = await emulator();
    const dir = makeProject();
    dirs.push(dir);
    const w = (running = spawnWatch(['--provider', 'heygen', '--debounce', '50'], dir, env));
    await w.waitFor(/Build complete: /);
    const videoJobs = (): number => emu.jobs().filter((j) => j.kind === 'video').length;
    const initial = videoJobs();
    // One render per scene clip: intro 1, tour 2, hello 1.
    expect(initial).toBe(4);

    const m = w.mark();
    const intro = join(dir, 'videos/intro.yaml');
    writeFileSync(intro, readFileSync(intro, 'utf8').replace('It helps teams make videos.', 'It helps teams ship videos.'));
    const text = await w.waitFor(/Build complete: /, m);
    expect(text).toContain('change: videos/intro.yaml -> re-rendering 1 video (intro)');
    expect(text).toMatch(/submitted intro#1 as /);
    expect(text).not.toMatch(/submitted (tour|hello)/);
    // Only the edited scene's clip is paid for.
    expect(videoJobs()).toBe(initial + 1);

    // A video deleted while watching is downloaded again, not paid for again.
    const m2 = w.mark();
    rmSync(join(dir, 'out/tour.mp4'));
    await w.waitFor(/Build complete: /, m2);
    expect(w.output().slice(m2)).toContain('change: out/tour.mp4 -> restoring 1 video without a new render (tour)');
    expect(existsSync(join(dir, 'out/tour.mp4'))).toBe(true);
    expect(videoJobs()).toBe(initial + 1);

    w.child.kill('SIGINT');
    const exit = await w.exited;
    expect(exit.code).toBe(0);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(Object.keys(lock.videos).sort()).toEqual(['hello', 'intro', 'tour']);
  });

  it('Ctrl-C during a render records what is in flight and exits 130; a build then resumes without paying twice', async () => {
    const { emu, env } = await emulator({ renderMs: 2000 });
    const dir = makeProject();
    dirs.push(dir);
    const w = (running = spawnWatch(['--provider', 'heygen'], dir, env));
    await w.waitFor(/submitted intro#1 as /);
    w.child.kill('SIGINT');
    expect((await w.exited).code).toBe(130);
    expect(w.output()).toContain('Interrupt received');
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    const remoteId = /submitted intro#1 as (\w+)/.exec(w.output())![1];
    // Every clip HeyGen accepted is recorded with its id, intro's among them.
    const recorded = Object.values(lock.clips ?? {});
    expect(recorded.map((c) => c.remoteId)).toContain(remoteId);
    expect(recorded.every((c) => c.remoteId)).toBe(true);
    const before = emu.jobs().filter((j) => j.kind === 'video');
    expect(before.map((j) => j.id).sort()).toEqual(recorded.map((c) => String(c.remoteId)).sort());
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    // The rerun adopts the clips that were in flight: only clips never submitted are new (4 in all).
    const after = emu.jobs().filter((j) => j.kind === 'video');
    expect(after).toHaveLength(4);
    expect(new Set(after.map((j) => j.idempotencyKey)).size).toBe(4);
    expect(before.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
