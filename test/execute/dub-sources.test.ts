import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256File } from '../../src/fsx/digest.js';
import { dubSourceKey } from '../../src/hash/index.js';
import { probeDubSources } from '../../src/execute/dub-sources.js';
import { DURATIONS_CACHE_FILE, writeDurations } from '../../src/execute/probe-cache.js';
import type { VideoSpec } from '../../src/model/spec.js';

const CLIP = join(import.meta.dirname, '..', '..', 'examples', 'assets', 'webinar-clip.mp4');

function dubOf(path: string, sha256: string, size: number): VideoSpec {
  return { id: 'dub', source: 'dub.yaml', output: 'out/dub.mp4', scenes: [], translations: [], dub: { video: { kind: 'local', path, sha256, size } } } as unknown as VideoSpec;
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('probeDubSources', () => {
  it('measures a dub source once: the next plan takes its length from .heygen/cache/durations.json', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-dub-'));
    await copyFile(CLIP, join(dir, 'clip.mp4'));
    const { sha256, size } = await sha256File(join(dir, 'clip.mp4'));
    const spec = dubOf('clip.mp4', sha256, size);
    const first = await probeDubSources(dir, [spec]);
    const seconds = first.get(dubSourceKey(spec.dub!.video));
    expect(seconds).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(dir, DURATIONS_CACHE_FILE), 'utf8'))).toEqual({ [sha256]: seconds });
    // The same bytes under another name (not on disk, so not probeable): the recorded length.
    const moved = dubOf('gone.mp4', sha256, size);
    expect((await probeDubSources(dir, [moved])).get(dubSourceKey(moved.dub!.video))).toBe(seconds);
  });

  it('other bytes are measured, not taken from the cache; a damaged cache is ignored', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-dub-'));
    await writeDurations(dir, new Map([['a'.repeat(64), 12]]));
    const known = dubOf('missing.mp4', 'a'.repeat(64), 10);
    expect((await probeDubSources(dir, [known])).get(dubSourceKey(known.dub!.video))).toBe(12);
    const other = dubOf('missing.mp4', 'b'.repeat(64), 10);
    expect((await probeDubSources(dir, [other])).size).toBe(0);
    await writeFile(join(dir, DURATIONS_CACHE_FILE), '{"aaaa');
    expect((await probeDubSources(dir, [known])).size).toBe(0);
  });
});
