/**
 * `build()` with offline drafts on a tiny project, run after run: what a user sees in the counts
 * (rendered, restored, reused, unchanged), and the event order a script relies on.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/api/build.js';
import { openProject } from '../../src/api/project.js';
import { loadConfig } from '../../src/config/index.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { projectFactory } from '../helpers/cli.js';

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: { width: 320, height: 180 } },
};
`;
const manifest = (script: string, color = '#112233'): string => `avatar: presenter\nbackground: "${color}"\nscenes:\n  - script: ${script}\n`;

const project = projectFactory(CONFIG);

async function run(dir: string, on?: (e: BuildEvent) => void): Promise<{ result: BuildResult; events: BuildEvent[] }> {
  const events: BuildEvent[] = [];
  // No key and no CI in env: `auto` must pick drafts whatever the developer's shell holds.
  const result = await build({ cwd: dir, env: {}, emit: (e) => (events.push(e), on?.(e)) });
  return { result, events };
}

/** A one-frame PNG of one colour. */
function png(dir: string, color: string): Buffer {
  const file = join(dir, `${color}.png`);
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=64x36`, '-frames:v', '1', '-y', file]);
  return readFileSync(file);
}

/** The colour near the top-right corner of a video's first frame (the background there), as [r, g, b]. */
function corner(file: string): number[] {
  return [...execFileSync(ffmpegInstaller.path, ['-v', 'error', '-i', file, '-frames:v', '1', '-vf', 'format=rgb24,crop=1:1:300:30', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'])];
}

describe('build() with drafts', () => {
  it('renders new drafts, then leaves them alone, then restores a deleted one from the cache', async () => {
    const dir = project({ 'videos/intro.yaml': manifest('Hello there.'), 'videos/tour.yaml': manifest('A tour of the place.', '#223344') });

    const first = await run(dir);
    expect(first.result.provider).toBe('local');
    expect(first.result.ok).toBe(true);
    expect(first.result.counts).toMatchObject({ done: 2, rendered: 2, restored: 0, reused: 0, unchanged: 0, failed: 0 });
    // auto without a key says it is building drafts, before anything else happens.
    expect(first.events[0]).toMatchObject({ type: 'warning', message: expect.stringContaining('.draft.mp4') });
    expect(first.events[1]).toMatchObject({ type: 'plan', provider: 'local' });
    expect(first.events.at(-1)).toMatchObject({ type: 'done', ok: true, counts: first.result.counts });
    expect(first.events.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(first.events.filter((e) => e.type === 'downloaded').map((e) => (e as { path: string }).path).sort()).toEqual(['out/intro.draft.mp4', 'out/tour.draft.mp4']);

    const second = await run(dir);
    expect(second.result.counts).toMatchObject({ done: 0, rendered: 0, restored: 0, unchanged: 2 });
    expect(second.events.some((e) => e.type === 'status' && e.state === 'rendering')).toBe(false);

    rmSync(join(dir, 'out', 'tour.draft.mp4'));
    const third = await run(dir);
    expect(third.result.plan.items.find((i) => i.id === 'tour')?.action).toBe('download');
    expect(third.result.counts).toMatchObject({ done: 1, rendered: 0, restored: 1, reused: 0, unchanged: 1 });
    expect(third.events.some((e) => e.type === 'status' && e.state === 'rendering')).toBe(false);
  });

  it('refuses a concurrency that is not a positive integer, also with an opened project, before drafting anything', async () => {
    const dir = project({ 'videos/intro.yaml': manifest('Hello there.') });
    const opened = await openProject({ cwd: dir }, await loadConfig({ cwd: dir, env: {} }));
    for (const concurrency of [Number.NaN, 0, 1.5]) {
      // Its own hint: the option is at fault, not heygen.config.ts (whose advice E_CONFIG gives by default).
      const hint = expect.stringMatching(/^give --concurrency \(build\(\)'s `concurrency` option\) a whole number/);
      await expect(build({ cwd: dir, env: {}, project: opened, concurrency })).rejects.toMatchObject({ code: 'E_CONFIG', hint });
      await expect(build({ cwd: dir, env: {}, concurrency })).rejects.toMatchObject({ code: 'E_CONFIG', hint });
    }
    const ok = await build({ cwd: dir, env: {}, project: opened, concurrency: 1 });
    expect(ok.counts).toMatchObject({ rendered: 1 });
  });

  it('renders an edited video again and leaves the others unchanged', async () => {
    const dir = project({ 'videos/a.yaml': manifest('First words.'), 'videos/b.yaml': manifest('Second words.', '#334455') });
    await run(dir);
    writeFileSync(join(dir, 'videos', 'b.yaml'), manifest('Second words, edited.', '#334455'));
    const again = await run(dir);
    expect(again.result.plan.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'unchanged'],
      ['b', 'create'],
    ]);
    expect(again.result.counts).toMatchObject({ done: 1, rendered: 1, unchanged: 1 });
  });

  it('a background saved again while its draft renders: E_ASSET_CHANGED, nothing cached under the planned key, and the next runs draft what the file holds', async () => {
    const dir = project({ 'videos/one.yaml': 'avatar: presenter\nbackground: { image: bg.png }\nscenes:\n  - script: A picture behind me.\n' });
    const [red, blue] = [png(dir, 'red'), png(dir, 'blue')];
    const bg = join(dir, 'videos', 'bg.png');
    writeFileSync(bg, red);
    // The editor saves the blue picture the moment the draft starts (after the plan hashed the red one).
    const swap = (e: BuildEvent): void => {
      if (e.type === 'status' && e.state === 'rendering' && e.detail === 'draft') writeFileSync(bg, blue);
    };
    const first = await run(dir, swap);
    const planned = first.result.plan.items[0]!.key!;
    expect(first.result.ok).toBe(false);
    expect(first.result.counts).toMatchObject({ failed: 1, rendered: 0 });
    const failed = first.events.find((e) => e.type === 'failed');
    expect(failed).toMatchObject({ id: 'one', code: 'E_ASSET_CHANGED', message: expect.stringContaining('videos/bg.png changed during the build') });
    expect(existsSync(join(dir, '.heygen', 'drafts', `${planned}.json`))).toBe(false);
    expect(existsSync(join(dir, 'out', 'one.draft.mp4'))).toBe(false);
    expect(readdirSync(join(dir, '.heygen', 'tmp'))).toEqual([]);

    // The next run plans the blue picture and drafts it.
    const second = await run(dir);
    expect(second.result.counts).toMatchObject({ done: 1, rendered: 1, failed: 0 });
    expect(second.result.plan.items[0]!.key).not.toBe(planned);
    expect(corner(join(dir, 'out', 'one.draft.mp4'))[2]).toBeGreaterThan(200);
    // Back to red: the planned key was never cached with blue, so it is drafted, and red.
    writeFileSync(bg, red);
    const third = await run(dir);
    expect(third.result.plan.items[0]).toMatchObject({ key: planned, action: 'create' });
    expect(third.result.counts).toMatchObject({ done: 1, rendered: 1, reused: 0 });
    const [r, , b] = corner(join(dir, 'out', 'one.draft.mp4'));
    expect([r! > 200, b! < 60]).toEqual([true, true]);
  });

  // BUG (src/execute/local/run.ts, draftItem, lines 63-69): two items with the same content key start
  // together (concurrency 2); both miss `cache.get(key)`, both run ffmpeg into the same temp file
  // `.heygen/tmp/<key>.mp4`, and the first `cache.put` renames it away, so the second put fails with
  // ENOENT: the build reports E_INTERNAL for one video (when the timing differs, both render and the
  // next build "restores" a file nothing changed, since the cache keeps only one of two different
  // drafts). Fix: share one in-flight render per key (a Map<key, Promise>, like `uploads` in the
  // HeyGen run context) and give each render its own temp name.
  it('renders identical content once per build: the second video reuses the first one\'s draft', async () => {
    const dir = project({ 'videos/one.yaml': manifest('Same words.'), 'videos/two.yaml': manifest('Same words.') });
    const first = await run(dir);
    expect(first.result.ok).toBe(true);
    expect(first.result.counts).toMatchObject({ done: 2, rendered: 1, reused: 1, failed: 0 });
    const second = await run(dir);
    expect(second.result.counts).toMatchObject({ done: 0, unchanged: 2 });
  });
});
