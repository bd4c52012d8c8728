import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifests, type LoadOptions } from '../../src/manifest/index.js';
import { CACHE_FILE } from '../../src/manifest/cache.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject, writeFile } from './helpers.js';

const manifest = (title: string, image: string): string =>
  `title: ${title}\navatar: presenter\nscenes:\n  - script: Hello from ${title}.\n    background: {image: ${image}}\n  - silence: 1\n`;

let root: string;
let files: string[];
let opts: LoadOptions;

beforeEach(() => {
  root = makeProject({
    'assets/one.png': 'first image bytes',
    'assets/two.png': 'second image bytes',
    'v/a.yaml': manifest('A', '../assets/one.png'),
    'v/b.yaml': manifest('B', '../assets/one.png'),
    'v/c.yaml': manifest('C', '../assets/two.png'),
  });
  files = ['a', 'b', 'c'].map((n) => path.join(root, `v/${n}.yaml`));
  opts = { config: makeConfig(root), manifestsRoot: 'v' };
});

afterEach(() => cleanup(root));

/** Change a file's bytes (same length) and move its mtime, as an editor would. */
function rewrite(rel: string, content: string, mtime = Date.now() / 1000 + 60): void {
  writeFileSync(path.join(root, rel), content);
  utimesSync(path.join(root, rel), mtime, mtime);
}

describe('the warm cache', () => {
  it('a warm load returns equal specs without parsing', async () => {
    const cold = await loadManifests(files, opts);
    expect(cold.cacheHits).toBe(0);
    expect(cold.diagnostics).toEqual([]);
    expect(existsSync(path.join(root, CACHE_FILE))).toBe(true);
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(3);
    expect(warm.specs).toEqual(cold.specs);
    expect(warm.timings.parse).toBe(0);
    // Specs from the cache may share values they have in common, frozen: a write to one video's
    // avatar throws instead of changing the other video's.
    const avatar = warm.specs[0]!.avatar as unknown as { id: string };
    expect(Object.isFrozen(avatar)).toBe(true);
    expect(() => {
      avatar.id = 'changed';
    }).toThrow(TypeError);
    expect(warm.specs[1]?.avatar).toEqual(cold.specs[1]?.avatar);
  });

  it('a cold load stores equal values once, and values that differ deep inside apart', async () => {
    // More distinct backgrounds than the writer compares a fresh value with, cycled, and avatars
    // differing only in a nested member: each distinct value once, and every spec back as it was.
    const many: Record<string, string> = {};
    const scaled = (title: string, image: string, x: number): string =>
      `title: ${title}\navatar: {alias: presenter, offset: {x: ${x}, y: 0}}\nscenes:\n  - script: Hi.\n    background: {image: ${image}}\n`;
    for (let i = 0; i < 6; i++) writeFile(root, `assets/bg${i}.png`, `image ${i}`);
    const names = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    names.forEach((n, i) => (many[n] = scaled(n, `../assets/bg${i % 6}.png`, i % 2 === 0 ? 0 : 0.25)));
    for (const [n, text] of Object.entries(many)) writeFile(root, `v/${n}.yaml`, text);
    const all = names.map((n) => path.join(root, `v/${n}.yaml`));
    const cold = await loadManifests(all, opts);
    expect(cold.diagnostics).toEqual([]);
    const shared = (JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')) as { shared: unknown[] }).shared;
    const texts = shared.map((v) => JSON.stringify(v));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.filter((t) => t.includes('bg')).length).toBeGreaterThanOrEqual(6);
    expect(texts.filter((t) => t.includes('"offset"')).length).toBe(2);
    const warm = await loadManifests(all, opts);
    expect(warm.cacheHits).toBe(12);
    expect(warm.specs).toEqual(cold.specs);
  });

  it('editing one manifest invalidates only that one', async () => {
    await loadManifests(files, opts);
    writeFile(root, 'v/b.yaml', manifest('B2', '../assets/one.png'));
    const r = await loadManifests(files, opts);
    expect(r.cacheHits).toBe(2);
    expect(r.specs.find((s) => s.id === 'b')?.title).toBe('B2');
    expect((await loadManifests(files, opts)).cacheHits).toBe(3);
  });

  it("changing an asset's bytes invalidates exactly the manifests that use it", async () => {
    const cold = await loadManifests(files, opts);
    rewrite('assets/one.png', 'FIRST IMAGE BYTES');
    const r = await loadManifests(files, opts);
    expect(r.cacheHits).toBe(1); // c.yaml uses two.png
    const sha = (res: typeof r, id: string): unknown => {
      const bg = res.specs.find((s) => s.id === id)?.scenes[0]?.background;
      return bg && bg.type === 'image' && bg.source.kind === 'local' ? bg.source.sha256 : undefined;
    };
    expect(sha(r, 'a')).not.toBe(sha(cold, 'a'));
    expect(sha(r, 'b')).toBe(sha(r, 'a'));
    expect(sha(r, 'c')).toBe(sha(cold, 'c'));
  });

  it('a deleted asset is reported on the next run, not served from the cache', async () => {
    await loadManifests(files, opts);
    cleanup(path.join(root, 'assets/two.png'));
    const r = await loadManifests(files, opts);
    expect(r.cacheHits).toBe(2);
    expect(r.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_ASSET_MISSING', 'v/c.yaml']]);
  });

  it('a different config fingerprint invalidates everything', async () => {
    await loadManifests(files, opts);
    const other = { ...opts, config: makeConfig(root, { fingerprint: 'changed' }) };
    expect((await loadManifests(files, other)).cacheHits).toBe(0);
    expect((await loadManifests(files, other)).cacheHits).toBe(3);
  });

  it('a different manifests root invalidates everything (ids depend on it)', async () => {
    const cold = await loadManifests(files, opts);
    const r = await loadManifests(files, { ...opts, manifestsRoot: '.' });
    expect(r.cacheHits).toBe(0);
    expect(r.specs.map((s) => s.id)).toEqual(cold.specs.map((s) => `v/${s.id}`));
  });

  it('a corrupt cache is ignored and rebuilt', async () => {
    await loadManifests(files, opts);
    writeFileSync(path.join(root, CACHE_FILE), '{"format": 2, "key": tru');
    const r = await loadManifests(files, opts);
    expect(r.diagnostics).toEqual([]);
    expect(r.cacheHits).toBe(0);
    expect((await loadManifests(files, opts)).cacheHits).toBe(3);
  });

  it('a damaged entry is a miss, not an error', async () => {
    await loadManifests(files, opts);
    const data = JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')) as { files: Record<string, { spec: unknown }> };
    const entry = data.files['v/a.yaml'];
    if (entry) entry.spec = { id: 42 };
    writeFileSync(path.join(root, CACHE_FILE), JSON.stringify(data));
    const r = await loadManifests(files, opts);
    expect(r.cacheHits).toBe(2);
    expect(r.specs.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('manifests with problems are not cached, and duplicates are still found on a warm run', async () => {
    writeFile(root, 'v/bad.yaml', 'title: Bad\nscenes: []\n');
    writeFile(root, 'v/dup.yaml', 'id: a\navatar: presenter\nscenes:\n  - script: Same id.\n');
    const all = [...files, path.join(root, 'v/bad.yaml'), path.join(root, 'v/dup.yaml')];
    const cold = await loadManifests(all, opts);
    const warm = await loadManifests(all, opts);
    expect(warm.cacheHits).toBe(4);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(warm.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_DUPLICATE_ID', 'v/a.yaml'], ['E_SCHEMA', 'v/bad.yaml'], ['E_DUPLICATE_ID', 'v/dup.yaml']]);
    expect(warm.diagnostics[2]?.frame).toContain('> 1 | id: a');
  });

  it('checks across files are skipped only for the files, bytes and protected paths they passed for', async () => {
    await loadManifests(files, opts);
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(3);
    expect(warm.diagnostics).toEqual([]);
    const recorded = (JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')) as { crossChecked?: string }).crossChecked;
    expect(recorded).toMatch(/^[0-9a-f]{64}$/);
    // Every manifest a hit, but the lockfile now sits where a video is written: found, not skipped.
    const moved = await loadManifests(files, { ...opts, config: makeConfig(root, { lockfile: 'out/a.mp4' }) });
    expect(moved.cacheHits).toBe(3);
    expect(moved.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_OUTPUT', 'v/a.yaml']]);
    expect(moved.specs.map((s) => s.id)).toEqual(['b', 'c']);
    // Fewer files than when the checks passed: a new set, checked again (and clean).
    const fewer = await loadManifests(files.slice(0, 2), opts);
    expect(fewer.diagnostics).toEqual([]);
    // A manifest given the id of another: a miss, so the checks run.
    writeFile(root, 'v/c.yaml', `id: a\n${manifest('C', '../assets/two.png')}`);
    const dup = await loadManifests(files, opts);
    expect(dup.diagnostics.map((d) => d.code)).toEqual(['E_DUPLICATE_ID', 'E_DUPLICATE_ID']);
    // And on the warm run after it, when every file is a hit again.
    const again = await loadManifests(files, opts);
    expect(again.cacheHits).toBe(3);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['E_DUPLICATE_ID', 'E_DUPLICATE_ID']);
  });

  it('an edit the checks across files cannot see keeps them passed; one that changes what a file writes or reads is checked', async () => {
    await loadManifests(files, opts);
    // A new script and title: the same id, outputs and assets as the version the checks passed with.
    writeFile(root, 'v/c.yaml', manifest('C, edited', '../assets/two.png'));
    const edited = await loadManifests(files, opts);
    expect(edited.cacheHits).toBe(2);
    expect(edited.diagnostics).toEqual([]);
    // Its own output written out, then another video's id with it: the same files written, but found.
    writeFile(root, 'v/c.yaml', `output: ../out/c.mp4\n${manifest('C', '../assets/two.png')}`);
    expect((await loadManifests(files, opts)).diagnostics).toEqual([]);
    writeFile(root, 'v/c.yaml', `id: a\noutput: ../out/c.mp4\n${manifest('C', '../assets/two.png')}`);
    const id = await loadManifests(files, opts);
    expect(id.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_DUPLICATE_ID', 'v/a.yaml'], ['E_DUPLICATE_ID', 'v/c.yaml']]);
    writeFile(root, 'v/c.yaml', manifest('C, edited', '../assets/two.png'));
    expect((await loadManifests(files, opts)).diagnostics).toEqual([]);
    // The same id, but an output another video writes: found.
    writeFile(root, 'v/c.yaml', `output: ../out/a.mp4\n${manifest('C, again', '../assets/two.png')}`);
    const output = await loadManifests(files, opts);
    expect(output.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_DUPLICATE_OUTPUT', 'v/a.yaml'], ['E_DUPLICATE_OUTPUT', 'v/c.yaml']]);
    // Clean again (and checked: the last set had a finding), then the same outputs but a new asset,
    // one that a.yaml's video would overwrite: found, at a.yaml, which did not change.
    writeFile(root, 'v/c.yaml', manifest('C, edited', '../assets/two.png'));
    expect((await loadManifests(files, opts)).diagnostics).toEqual([]);
    writeFile(root, 'out/a.draft.mp4', 'a draft');
    writeFile(root, 'v/c.yaml', `title: C\navatar: presenter\nscenes:\n  - script: Hi.\n    background: {video: ../out/a.draft.mp4}\n`);
    const asset = await loadManifests(files, opts);
    expect(asset.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_OUTPUT', 'v/a.yaml']]);
  });

  it('after edits the checks passed unseen, a translation that writes where another video writes is found', async () => {
    writeFile(root, 'v/c.yaml', `output: ../out/a.es.mp4\n${manifest('C', '../assets/two.png')}`);
    expect((await loadManifests(files, opts)).diagnostics).toEqual([]);
    // Unseen by the checks: a new title in a.yaml, then in both.
    writeFile(root, 'v/a.yaml', manifest('A, edited', '../assets/one.png'));
    expect((await loadManifests(files, opts)).diagnostics).toEqual([]);
    writeFile(root, 'v/c.yaml', `output: ../out/a.es.mp4\n${manifest('C, edited', '../assets/two.png')}`);
    writeFile(root, 'v/a.yaml', manifest('A, again', '../assets/one.png'));
    expect((await loadManifests(files, opts)).diagnostics).toEqual([]);
    // a.yaml's Spanish version is out/a.es.mp4, which c.yaml's video writes: found at both.
    writeFile(root, 'v/a.yaml', `translations: [es]\n${manifest('A, again', '../assets/one.png')}`);
    const clash = await loadManifests(files, opts);
    expect(clash.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_DUPLICATE_OUTPUT', 'v/a.yaml'], ['E_DUPLICATE_OUTPUT', 'v/c.yaml']]);
  });

  it('a clean cold load records its checks across files, so the first warm load does not rewrite the cache', async () => {
    await loadManifests(files, opts);
    const file = path.join(root, CACHE_FILE);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { crossChecked?: string }).crossChecked).toMatch(/^[0-9a-f]{64}$/);
    const before = readFileSync(file, 'utf8');
    utimesSync(file, 1_000_000, 1_000_000);
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statSync(file).mtimeMs).toBe(1_000_000_000);
  });

  it("keeps what each asset's bytes are with its digest: a warm load takes it from the cache, a changed asset is judged again", async () => {
    const cold = await loadManifests(files, opts);
    // Text saved as .png: what the compositor and HeyGen's upload would make of it, judged as it was hashed.
    expect(cold.assets.get('assets/one.png')?.media).toEqual({ image: { ok: false, format: 'PNG', problem: expect.stringMatching(/not a PNG image/) }, audio: null, video: null });
    // Another verdict written into the cache is the one a warm load gives: it read the cache, not the file.
    const file = path.join(root, CACHE_FILE);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { assets: Record<string, { media?: unknown }> };
    data.assets['assets/one.png']!.media = { image: { ok: true, format: 'WebP', width: 2, height: 2 }, audio: null };
    writeFileSync(file, JSON.stringify(data));
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(3);
    expect(warm.assets.get('assets/one.png')?.media).toMatchObject({ image: { format: 'WebP' } });
    // New bytes: hashed and judged again, and the cache keeps the new verdict.
    rewrite('assets/one.png', 'ID3 not a picture');
    const changed = await loadManifests(files, opts);
    expect(changed.assets.get('assets/one.png')?.media).toEqual({ image: expect.objectContaining({ ok: false }), audio: 'MP3', video: 'MP3' });
    expect((JSON.parse(readFileSync(file, 'utf8')) as typeof data).assets['assets/one.png']?.media).toMatchObject({ audio: 'MP3' });
  });

  it('a cache written before verdicts were kept: each asset is judged once, then the cache has them', async () => {
    await loadManifests(files, opts);
    const file = path.join(root, CACHE_FILE);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { assets: Record<string, { media?: unknown; sha256: string }> };
    for (const rec of Object.values(data.assets)) delete rec.media;
    writeFileSync(file, JSON.stringify(data));
    const upgraded = await loadManifests(files, opts);
    expect(upgraded.cacheHits).toBe(3);
    expect(upgraded.assets.get('assets/two.png')?.media).toEqual({ image: expect.objectContaining({ ok: false }), audio: null, video: null });
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof data;
    expect(Object.keys(after.assets).sort()).toEqual(['assets/one.png', 'assets/two.png']);
    expect(Object.values(after.assets).every((rec) => rec.media !== undefined)).toBe(true);
    expect(after.assets['assets/two.png']?.sha256).toBe(data.assets['assets/two.png']?.sha256);
    // The next warm load neither judges nor writes anything.
    utimesSync(file, 1_000_000, 1_000_000);
    expect((await loadManifests(files, opts)).cacheHits).toBe(3);
    expect(statSync(file).mtimeMs).toBe(1_000_000_000);
  });

  it('a cache written before videos were judged: an asset its other fields do not tell about is judged once, then the cache has it', async () => {
    rewrite('assets/two.png', 'ID3 a voice saved as .png');
    await loadManifests(files, opts);
    const file = path.join(root, CACHE_FILE);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { assets: Record<string, { media: { video?: unknown } }> };
    for (const rec of Object.values(data.assets)) delete rec.media.video;
    writeFileSync(file, JSON.stringify(data));
    const upgraded = await loadManifests(files, opts);
    expect(upgraded.cacheHits).toBe(3);
    // one.png (text under a picture's name) could be a WebM for all the old verdict says: read again.
    expect(upgraded.assets.get('assets/one.png')?.media).toMatchObject({ video: null });
    // two.png starts as an MP3 does: that is what it is as a video too, without reading it.
    expect(upgraded.assets.get('assets/two.png')?.media).toEqual({ image: expect.objectContaining({ ok: false }), audio: 'MP3' });
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof data;
    expect(after.assets['assets/one.png']?.media.video).toBeNull();
    // The next warm load neither judges nor writes anything.
    utimesSync(file, 1_000_000, 1_000_000);
    expect((await loadManifests(files, opts)).cacheHits).toBe(3);
    expect(statSync(file).mtimeMs).toBe(1_000_000_000);
  });

  it('cache: false neither reads nor writes the cache', async () => {
    const r = await loadManifests(files, { ...opts, cache: false });
    expect(r.cacheHits).toBe(0);
    expect(existsSync(path.join(root, CACHE_FILE))).toBe(false);
  });
});
