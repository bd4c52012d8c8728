/**
 * Drafts as a Provider: the draft cache read as lockfile-shaped entries (so the planner decides
 * unchanged / restore / render), and how a draft run counts, stops and fails.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planWith } from '../../../src/api/pipeline.js';
import { openProject, type Project } from '../../../src/api/project.js';
import { loadConfig } from '../../../src/config/index.js';
import type { BuildEvent } from '../../../src/execute/events.js';
import { LocalProvider } from '../../../src/execute/local/provider.js';
import type { ExecuteResult } from '../../../src/execute/provider.js';
import { tempProject } from '../../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: { width: 320, height: 180 } },
};
`;
const CAPTIONED = 'avatar: presenter\nbackground: "#112233"\ncaption: true\nscenes:\n  - script: Words with captions.\ntranslations: [es]\n';
const broken = (n: number): string => `avatar: presenter\nbackground: { image: bad${n}.png }\nscenes:\n  - script: Broken ${n}.\n`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function open(files: Record<string, string>, dir?: string): Promise<Project> {
  const root = dir ?? tempProject({ 'heygen.config.mjs': CONFIG, ...files });
  if (!dir) dirs.push(root);
  return openProject({ cwd: root }, await loadConfig({ cwd: root, env: {} }));
}

/** Plans and runs the project as `build --provider local` does; returns the plan, result and events. */
async function draft(project: Project, opts: { failFast?: boolean; signal?: AbortSignal } = {}) {
  const provider = new LocalProvider(project.config);
  const planned = await planWith(provider, project, { mode: 'build' });
  const events: BuildEvent[] = [];
  const ctx = { emit: (e: BuildEvent) => events.push(e), signal: opts.signal ?? new AbortController().signal, failFast: opts.failFast ?? false, partial: false, facts: {} };
  const result: ExecuteResult = await provider.execute(planned.plan, project.specs, planned.state, ctx);
  const actions = Object.fromEntries(planned.plan.items.map((i) => [i.id, i.action]));
  return { planned, actions, result, events };
}

describe('LocalProvider', () => {
  it('reads cached drafts as finished renders, captions included, and restores a missing sidecar', async () => {
    const project = await open({ 'videos/intro.yaml': CAPTIONED });
    const first = await draft(project);
    expect(first.actions).toEqual({ intro: 'create', 'intro@es': 'create' });
    expect(first.result.counts).toMatchObject({ rendered: 2, done: 2 });

    const state = await new LocalProvider(project.config).readState(project.specs);
    const size = statSync(join(project.config.root, 'out', 'intro.draft.mp4')).size;
    expect(state.lock.videos.intro).toMatchObject({
      status: 'completed',
      output: { path: 'out/intro.draft.mp4', size },
      captions: { path: 'out/intro.draft.srt' },
    });
    expect(state.lock.videos.intro?.translations.es).toMatchObject({ status: 'completed', output: { path: 'out/intro.es.draft.mp4' } });
    // Drafts never touch the lockfile.
    expect(existsSync(join(project.config.root, 'heygen.lock.yaml'))).toBe(false);
    expect((await draft(project)).actions).toEqual({ intro: 'unchanged', 'intro@es': 'unchanged' });

    rmSync(join(project.config.root, 'out', 'intro.draft.srt'));
    const again = await draft(project);
    expect(again.actions).toEqual({ intro: 'download', 'intro@es': 'unchanged' });
    expect(again.result.counts).toMatchObject({ restored: 1, rendered: 0, unchanged: 1 });
    expect(existsSync(join(project.config.root, 'out', 'intro.draft.srt'))).toBe(true);
  });

  it('counts a translation found in the cache as reused when its video had to be rendered again', async () => {
    const project = await open({ 'videos/intro.yaml': CAPTIONED });
    const first = await draft(project);
    // Lose the video's cached draft only: the translation's is still there.
    const videoKey = first.planned.plan.items.find((i) => i.id === 'intro')!.key!;
    const cache = join(project.config.root, '.heygen', 'drafts');
    for (const f of readdirSync(cache)) if (f.startsWith(videoKey)) rmSync(join(cache, f));
    const again = await draft(project);
    expect(again.actions).toEqual({ intro: 'create', 'intro@es': 'create' });
    expect(again.result.counts).toMatchObject({ rendered: 1, reused: 1, done: 2 });
  });

  it('reports each failed draft, and with fail-fast starts no new one after a failure', async () => {
    const files = { 'videos/a.yaml': broken(1), 'videos/b.yaml': broken(2), 'videos/c.yaml': broken(3), 'videos/d.yaml': broken(4) };
    const project = await open({ ...files, 'videos/bad1.png': 'x', 'videos/bad2.png': 'x', 'videos/bad3.png': 'x', 'videos/bad4.png': 'x' });
    const all = await draft(project);
    expect(all.result.counts).toMatchObject({ failed: 4, skipped: 0, done: 0 });
    expect(all.events.filter((e) => e.type === 'failed').map((e) => (e as { id: string }).id).sort()).toEqual(['a', 'b', 'c', 'd']);

    const fast = await draft(project, { failFast: true });
    // Two drafts run at once: those already started finish (and fail); the rest are never started.
    expect(fast.result.counts).toMatchObject({ failed: 2, skipped: 2, done: 0 });
    expect(fast.events.filter((e) => e.type === 'status' && e.state === 'skipped')).toHaveLength(2);
  });

  it('starts nothing once interrupted, and says it was', async () => {
    const project = await open({ 'videos/intro.yaml': CAPTIONED });
    const ctl = new AbortController();
    ctl.abort(new Error('interrupted'));
    const r = await draft(project, { signal: ctl.signal });
    expect(r.result).toMatchObject({ interrupted: true, counts: { skipped: 2, done: 0 } });
    expect(existsSync(join(project.config.root, 'out'))).toBe(false);
  });
});
