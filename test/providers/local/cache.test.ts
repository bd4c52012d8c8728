import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedDraft, draftCache, renderDraft } from '../../../src/providers/local/index.js';
import { parseSrt, probe, spec, tmpDir } from './helpers.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await tmpDir('draft-cache-'));
});
afterEach(() => cleanup());

const KEY = 'a'.repeat(64);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function rendered(name: string, bytes: string, srt?: string): Promise<{ mp4: string; srt?: string }> {
  const dir = path.join(root, '.heygen', 'tmp');
  await mkdir(dir, { recursive: true });
  const mp4 = path.join(dir, `${name}.mp4`);
  await writeFile(mp4, bytes);
  if (srt === undefined) return { mp4 };
  await writeFile(path.join(dir, `${name}.srt`), srt);
  return { mp4, srt: path.join(dir, `${name}.srt`) };
}

describe('draftCache', () => {
  it('put takes over the rendered files; get finds them; materialize places copies at the output', async () => {
    const cache = draftCache(root);
    expect(await cache.get(KEY)).toBeUndefined();
    const r = await rendered('x', 'video bytes', '1\n00:00:00,000 --> 00:00:01,000\nhi\n');
    await cache.put(KEY, r.mp4, r.srt, { seconds: 1 });
    await expect(stat(r.mp4)).rejects.toThrow(); // moved, not left behind
    expect(await cache.get(KEY)).toBe(path.join(root, '.heygen', 'drafts', `${KEY}.mp4`));

    const out = path.join(root, 'out', 'intro.draft.mp4');
    const m = await cache.materialize(KEY, out);
    expect(await readFile(out, 'utf8')).toBe('video bytes');
    expect(m).toMatchObject({ path: out, size: 11, sha256: sha(Buffer.from('video bytes')), seconds: 1 });
    expect(m.captions).toBe(path.join(root, 'out', 'intro.draft.srt'));
    expect(await readFile(m.captions!, 'utf8')).toContain('hi');
    // the cache entry survives materializing, for the next build
    expect(await cache.get(KEY)).toBeDefined();
    expect((await readdir(path.join(root, 'out'))).sort()).toEqual(['intro.draft.mp4', 'intro.draft.srt']);
  });

  it('replaces a stale sidecar at the output when the cached draft has no captions', async () => {
    const cache = draftCache(root);
    const r = await rendered('x', 'video');
    await cache.put(KEY, r.mp4);
    await mkdir(path.join(root, 'out'), { recursive: true });
    await writeFile(path.join(root, 'out', 'v.srt'), 'old');
    const m = await cache.materialize(KEY, path.join(root, 'out', 'v.mp4'));
    expect(m.captions).toBeUndefined();
    expect(await readdir(path.join(root, 'out'))).toEqual(['v.mp4']);
  });

  it('treats an entry without its record, or with a truncated video, as a miss', async () => {
    const cache = draftCache(root);
    const r = await rendered('x', 'complete video');
    await cache.put(KEY, r.mp4);
    const mp4 = (await cache.get(KEY))!;
    await truncate(mp4, 4);
    expect(await cache.get(KEY)).toBeUndefined();
    await expect(cache.materialize(KEY, path.join(root, 'o.mp4'))).rejects.toMatchObject({ code: 'E_DRAFT_CACHE_MISS' });

    const other = 'b'.repeat(64);
    await writeFile(path.join(root, '.heygen', 'drafts', `${other}.mp4`), 'no record written');
    expect(await cache.get(other)).toBeUndefined();
  });

  it('rejects keys that are not plain file names', async () => {
    await expect(draftCache(root).get('../escape')).rejects.toMatchObject({ code: 'E_DRAFT_CACHE_KEY' });
  });
});

describe('cachedDraft', () => {
  it('renders a draft once; a second request for the same key is served from the cache', async () => {
    const cache = draftCache(root);
    const s = spec({ caption: 'file' });
    let renders = 0;
    const render = (tmp: string) => {
      renders++;
      return renderDraft(s, { root, outFile: tmp, espeak: false });
    };
    const first = await cachedDraft(cache, KEY, path.join(root, 'out', 'a.mp4'), render);
    expect(first.cached).toBe(false);
    const second = await cachedDraft(cache, KEY, path.join(root, 'out', 'b.mp4'), render);
    expect(second.cached).toBe(true);
    expect(renders).toBe(1);

    expect(second.sha256).toBe(first.sha256);
    expect(sha(await readFile(second.path))).toBe(first.sha256);
    expect((await probe(second.path)).video).toEqual({ width: 320, height: 180 });
    expect(parseSrt(await readFile(second.captions!, 'utf8')).length).toBeGreaterThan(0);
    // nothing half-done left in the cache directory
    expect((await readdir(cache.dir)).sort()).toEqual([`${KEY}.json`, `${KEY}.mp4`, `${KEY}.srt`]);
  });

  it('caches nothing when the render fails', async () => {
    const cache = draftCache(root);
    const boom = () => Promise.reject(new Error('boom'));
    await expect(cachedDraft(cache, KEY, path.join(root, 'out', 'a.mp4'), boom)).rejects.toThrow('boom');
    expect(await cache.get(KEY)).toBeUndefined();
    expect(await readdir(cache.dir)).toEqual([]);
  });
});
