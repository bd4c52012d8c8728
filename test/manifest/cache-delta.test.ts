import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifests, type LoadOptions } from '../../src/manifest/index.js';
import { CACHE_FILE } from '../../src/manifest/cache.js';
import { DELTA_FILE } from '../../src/manifest/cache-delta.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject, writeFile } from './helpers.js';

const N = 80;
const manifest = (title: string, image: string, id?: string): string =>
  `${id ? `id: ${id}\n` : ''}title: ${title}\navatar: presenter\nscenes:\n  - script: Hello from ${title}.\n    background: {image: ${image}}\n`;

let root: string;
let files: string[];
let opts: LoadOptions;

beforeEach(() => {
  const tree: Record<string, string> = { 'assets/one.png': 'first image bytes', 'assets/two.png': 'second image bytes' };
  for (let i = 0; i < N; i++) tree[`v/m${i}.yaml`] = manifest(`Video ${i}`, i % 2 ? '../assets/one.png' : '../assets/two.png');
  root = makeProject(tree);
  files = Array.from({ length: N }, (_, i) => path.join(root, `v/m${i}.yaml`));
  opts = { config: makeConfig(root), manifestsRoot: 'v' };
});

afterEach(() => cleanup(root));

const base = (): string => readFileSync(path.join(root, CACHE_FILE), 'utf8');
const delta = (): { files: Record<string, unknown>; removed: string[] } => JSON.parse(readFileSync(path.join(root, DELTA_FILE), 'utf8')) as ReturnType<typeof delta>;
/** What a load without any cache gives: the truth a cached load must match. */
const fresh = () => loadManifests(files, { ...opts, cache: false });

describe("the warm cache's delta", () => {
  it('an edit to one manifest of many is written beside the base, which stays as it was, and served from there', async () => {
    await loadManifests(files, opts);
    const before = base();
    expect(existsSync(path.join(root, DELTA_FILE))).toBe(false);
    writeFile(root, 'v/m3.yaml', manifest('Video three, edited', '../assets/two.png'));
    const edited = await loadManifests(files, opts);
    expect(edited.cacheHits).toBe(N - 1);
    expect(base()).toBe(before);
    expect(Object.keys(delta().files)).toEqual(['v/m3.yaml']);
    // The next load serves all of them, the edited one from the delta, and each spec is what a load
    // without any cache makes of the files as they are now.
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(N);
    expect(warm.timings.parse).toBe(0);
    expect(warm.specs).toEqual((await fresh()).specs);
    expect(warm.specs.find((s) => s.id === 'm3')?.title).toBe('Video three, edited');
    // A second edit joins the first in the delta; the base is still untouched.
    writeFile(root, 'v/m9.yaml', manifest('Video nine, edited', '../assets/one.png'));
    await loadManifests(files, opts);
    expect(Object.keys(delta().files).sort()).toEqual(['v/m3.yaml', 'v/m9.yaml']);
    expect(base()).toBe(before);
    expect((await loadManifests(files, opts)).cacheHits).toBe(N);
  });

  it('past an eighth of the entries, the base is written again with the delta folded in, and the delta deleted', async () => {
    await loadManifests(files, opts);
    const before = base();
    // 11 of 80: one past an eighth.
    for (const i of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) writeFile(root, `v/m${i}.yaml`, manifest(`Video ${i}, edited`, '../assets/one.png'));
    await loadManifests(files, opts);
    expect(base()).not.toBe(before);
    expect(existsSync(path.join(root, DELTA_FILE))).toBe(false);
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(N);
    expect(warm.specs).toEqual((await fresh()).specs);
  });

  it('a manifest deleted is recorded as removed, and the rest are still served', async () => {
    await loadManifests(files, opts);
    rmSync(files[5]!);
    files.splice(5, 1);
    await loadManifests(files, opts);
    expect(delta().removed).toEqual(['v/m5.yaml']);
    const warm = await loadManifests(files, opts);
    expect(warm.cacheHits).toBe(N - 1);
    expect(warm.specs.map((s) => s.id)).not.toContain('m5');
  });

  it('the checks across files run again after an edit that makes two videos clash', async () => {
    await loadManifests(files, opts);
    writeFile(root, 'v/m7.yaml', manifest('Video seven', '../assets/one.png', 'm8'));
    const clash = await loadManifests(files, opts);
    expect(clash.diagnostics.map((d) => [d.code, d.location?.file])).toEqual([['E_DUPLICATE_ID', 'v/m7.yaml'], ['E_DUPLICATE_ID', 'v/m8.yaml']]);
    expect(Object.keys(delta().files)).toEqual(['v/m7.yaml']);
    const again = await loadManifests(files, opts);
    expect(again.cacheHits).toBe(N);
    expect(again.diagnostics).toEqual(clash.diagnostics);
  });

  it('a delta that is torn, or made against another base, is ignored: its manifests are analysed again', async () => {
    await loadManifests(files, opts);
    writeFile(root, 'v/m3.yaml', manifest('Video three, edited', '../assets/two.png'));
    await loadManifests(files, opts);
    const text = readFileSync(path.join(root, DELTA_FILE), 'utf8');
    writeFileSync(path.join(root, DELTA_FILE), text.slice(0, text.length / 2));
    const torn = await loadManifests(files, opts);
    expect(torn.cacheHits).toBe(N - 1);
    expect(torn.diagnostics).toEqual([]);
    expect(torn.specs).toEqual((await fresh()).specs);
    const other = JSON.parse(text) as { base: string };
    other.base = 'another-base';
    writeFileSync(path.join(root, DELTA_FILE), JSON.stringify(other));
    const unmatched = await loadManifests(files, opts);
    expect(unmatched.cacheHits).toBe(N - 1);
    expect(unmatched.specs.find((s) => s.id === 'm3')?.title).toBe('Video three, edited');
    // Each of those loads wrote a good delta again: the next one is served whole.
    expect((await loadManifests(files, opts)).cacheHits).toBe(N);
  });
});
