/**
 * The rows cache on warm runs: what it skips must still see every change it depends on (the data
 * file's bytes, the template's), in the checks across files too.
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE } from '../../src/manifest/cache.js';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import type { FileState } from '../../src/manifest/load/state.js';
import { rowsCheckId } from '../../src/manifest/rows/warm.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { rowsConfig, rowsProject, TEMPLATE } from './rows-helpers.js';

const PLAIN = `id: hi/9
avatar: presenter
scenes:
  - script: Hello, everyone.
`;

/** A rows manifest next to a plain one, loaded with the caches on. */
function project(): { root: string; run: () => Promise<LoadResult> } {
  const root = rowsProject({ 'a.yaml': TEMPLATE, 'b.yaml': PLAIN, 'people.csv': 'id,name\n1,Ann\n2,Bo\n' });
  const config = rowsConfig(root);
  const run = (): Promise<LoadResult> => loadManifests(['a.yaml', 'b.yaml'].map((f) => path.join(root, f)), { config, manifestsRoot: '.', cache: true });
  return { root, run };
}

const codes = (r: LoadResult): string[] => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('checks across files with a rows manifest', () => {
  it('a data edit that gives a row the id of another manifest is reported after clean warm runs', async () => {
    const { root, run } = project();
    expect(codes(await run())).toEqual([]);
    expect(codes(await run())).toEqual([]);
    writeFileSync(path.join(root, 'people.csv'), 'id,name\n1,Ann\n9,Bo\n');
    const r = await run();
    expect(codes(r)).toEqual(['E_DUPLICATE_ID', 'E_DUPLICATE_ID']);
    // Both manifests are reported, so neither is built (watch keeps their last drafts, marked invalid).
    expect(r.specs.map((s) => `${s.source} ${s.id}`)).toEqual([]);
    // Still reported when nothing changes again (a run with problems records no clean check).
    expect(codes(await run())).toEqual(['E_DUPLICATE_ID', 'E_DUPLICATE_ID']);
  });

  it('a template edit that makes a row write another video\'s output is reported after clean warm runs', async () => {
    const { root, run } = project();
    await run();
    expect(codes(await run())).toEqual([]);
    writeFileSync(path.join(root, 'a.yaml'), TEMPLATE.replace('avatar: presenter', 'output: out/hi/9.mp4\navatar: presenter'));
    expect(codes(await run())).toContain('E_DUPLICATE_OUTPUT');
  });

  it('a data edit that changes no id or path is not checked again; one that moves an output onto another video is reported', async () => {
    const template = TEMPLATE.replace('avatar: presenter', 'output: out/x/{{ slot }}.mp4\navatar: presenter');
    const plain = PLAIN.replace('avatar: presenter', 'output: out/x/zed.mp4\navatar: presenter');
    const root = rowsProject({ 'a.yaml': template, 'b.yaml': plain, 'people.csv': 'id,name,slot\n1,Ann,a\n2,Bo,b\n' });
    const config = rowsConfig(root);
    const run = (): Promise<LoadResult> => loadManifests(['a.yaml', 'b.yaml'].map((f) => path.join(root, f)), { config, manifestsRoot: '.', cache: true });
    // The digest the last clean checks were recorded for: a run that computes the same one skips them.
    const checked = (): string | undefined => (JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')) as { crossChecked?: string }).crossChecked;
    expect(codes(await run())).toEqual([]);
    const clean = checked();
    expect(clean).toMatch(/^[0-9a-f]{64}$/);
    // A name only fills a script: the same ids and paths, so the recorded check holds (not run again).
    writeFileSync(path.join(root, 'people.csv'), 'id,name,slot\n1,Ann,a\n2,Bea,b\n');
    const renamed = await run();
    expect(codes(renamed)).toEqual([]);
    expect(renamed.specs.find((s) => s.id === 'hi/2')?.scenes[0]?.input).toMatchObject({ text: 'Hello Bea!' });
    expect(checked()).toBe(clean);
    // The slot fills the output: its edit is checked, and this one writes b.yaml's file.
    writeFileSync(path.join(root, 'people.csv'), 'id,name,slot\n1,Ann,a\n2,Bea,zed\n');
    expect(codes(await run())).toEqual(['E_DUPLICATE_OUTPUT', 'E_DUPLICATE_OUTPUT']);
    writeFileSync(path.join(root, 'people.csv'), 'id,name,slot\n1,Ann,a\n2,Bo,b\n');
    expect(codes(await run())).toEqual([]);
    expect(checked()).toBe(clean);
  });

  it('the check id of rows follows their ids, outputs, languages and local files, in file order, not their scripts', () => {
    const spec = (line: number, over: Partial<VideoSpec> = {}): VideoSpec =>
      ({ id: `hi/${line}`, source: 'a.yaml', output: `out/hi/${line}.mp4`, tags: [], dimension: { width: 1280, height: 720 }, caption: 'none', scenes: [{ input: { type: 'script', text: `Hello ${line}` } }], translations: [], row: { group: 'hi/*', file: 'people.csv', line, digest: String(line) }, ...over });
    const id = (specs: VideoSpec[]): string | undefined => rowsCheckId({ rowsKey: 'k', rowSpecs: specs, diagnostics: [] } as unknown as FileState);
    const base = id([spec(2), spec(3)]);
    expect(id([spec(3), spec(2)])).toBe(base);
    expect(id([spec(2, { scenes: [{ input: { type: 'script', text: 'Other' } }] }), spec(3)])).toBe(base);
    expect(id([spec(2, { id: 'hi/x' }), spec(3)])).not.toBe(base);
    expect(id([spec(2, { output: 'out/other.mp4' }), spec(3)])).not.toBe(base);
    expect(id([spec(2, { translations: [{ language: 'fr-FR' }] as unknown as VideoSpec['translations'] }), spec(3)])).not.toBe(base);
    const local = { type: 'image', source: { kind: 'local', path: 'bg.png', sha256: 'a'.repeat(64), size: 1 } } as unknown as VideoSpec['background'];
    expect(id([spec(2, { background: local }), spec(3)])).not.toBe(base);
    // An id and an output that only run together differently are told apart.
    expect(id([spec(2, { id: 'hi/2o', output: 'ut/hi/2.mp4' }), spec(3)])).not.toBe(id([spec(2, { id: 'hi/2', output: 'out/hi/2.mp4' }), spec(3)]));
  });
});

describe('what the assets of rows are', () => {
  it('a rows hit finds the verdict on each asset its rows use in the manifest cache, reading and writing nothing', async () => {
    const root = rowsProject({ 'a.yaml': TEMPLATE.replace('avatar: presenter', 'avatar: presenter\nbackground: {image: bg.png, fit: cover}'), 'people.csv': 'id,name\n1,Ann\n', 'bg.png': 'RIFF\0\0\0\0WEBP' });
    const run = (): Promise<LoadResult> => loadManifests([path.join(root, 'a.yaml')], { config: rowsConfig(root), manifestsRoot: '.', cache: true });
    const cold = await run();
    expect(codes(cold)).toEqual([]);
    const verdict = cold.assets.get('bg.png')?.media;
    expect(verdict).toMatchObject({ image: { ok: false, format: 'WebP' } });
    const file = path.join(root, CACHE_FILE);
    utimesSync(file, 1_000_000, 1_000_000);
    const warm = await run();
    expect(warm.specs).toHaveLength(1);
    expect(warm.assets.get('bg.png')?.media).toEqual(verdict);
    expect(statSync(file).mtimeMs).toBe(1_000_000_000);
  });
});
