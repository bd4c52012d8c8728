/**
 * The warm cache is written as text put together from entries packed one by one, in pieces: that
 * text must be the very one JSON.stringify gives for the packed cache object (the format readCache
 * reads), whatever the entries' strings hold.
 */
import { describe, expect, it } from 'vitest';
import { packFiles, SCENE_KEYS, SPEC_KEYS } from '../../src/manifest/cache-pack.js';
import type { CacheEntry } from '../../src/manifest/cache.js';
import type { VideoSpec } from '../../src/model/spec.js';

type Data = Record<string, unknown>;

/** The packing as JSON.stringify did it, object by object (the format readCache reads). */
function reference(entries: Record<string, CacheEntry>): { shared: string; files: string } {
  const shared: unknown[] = [];
  const index = new Map<string, number>();
  const intern = (v: unknown): number => {
    const s = JSON.stringify(v);
    let i = index.get(s);
    if (i === undefined) {
      i = shared.length;
      shared.push(v);
      index.set(s, i);
    }
    return i;
  };
  const files: Record<string, Data> = {};
  for (const [rel, e] of Object.entries(entries)) {
    const spec: Data = { ...(e.spec as unknown as Data) };
    for (const k of SPEC_KEYS) if (spec[k] !== undefined) spec[k] = intern(spec[k]);
    spec.scenes = e.spec.scenes.map((s) => {
      const scene: Data = { ...s };
      for (const k of SCENE_KEYS) if (scene[k] !== undefined) scene[k] = intern(scene[k]);
      return scene;
    });
    const stored: Data = { sha256: e.sha256, spec, assets: intern(e.assets) };
    if (e.idAt) stored.idAt = e.idAt;
    if (e.outputAt) stored.outputAt = e.outputAt;
    if (e.derived !== undefined) stored.derived = e.derived;
    if (e.warnings) stored.warnings = e.warnings;
    files[rel] = stored;
  }
  return { shared: JSON.stringify(shared), files: JSON.stringify(files) };
}

/** packFiles with its pieces put together. */
function packed(entries: Record<string, CacheEntry>): { shared: string; files: string } {
  const { shared, files } = packFiles(entries);
  return { shared, files: [...files].join('') };
}

const avatar = { id: 'Daisy', style: 'normal', scale: 1, offset: { x: 0, y: 0 } };
const voice = { id: 'v1', speed: 1.1, pitch: 0 };

function entry(i: number): CacheEntry {
  const spec = {
    id: `v${i}`,
    source: `videos/v${i}.yaml`,
    // Left out by JSON: so must the packed text.
    title: i % 3 === 0 ? undefined : `Video "${i}" \u2028 ü`,
    tags: i % 2 ? ['bench', `t${i % 4}`] : [],
    dimension: { width: 1280, height: 720 },
    avatar: i % 5 === 0 ? undefined : { ...avatar },
    voice: { ...voice },
    background: i % 2 ? { type: 'color', color: '#112233' } : { type: 'image', source: { path: `assets/bg${i % 4}.png`, sha256: 'a'.repeat(64), size: 10 } },
    translations: [],
    caption: 'none',
    scenes: [
      { input: { type: 'script', text: `Hello ${i} <break time="1s"/>` }, avatar: { ...avatar }, voice: undefined, background: { type: 'color', color: '#000000' } },
      { input: { type: 'silence', seconds: 1.5 }, index: 1 },
    ],
    output: `out/v${i}.mp4`,
    '7': 'an integer-like key, which JSON writes first',
  } as unknown as VideoSpec;
  const e: CacheEntry = { sha256: String(i).padStart(64, '0'), spec, assets: i % 2 ? [] : [[`assets/bg${i % 4}.png`, 10, 1700000000000.5]] };
  // The sentinel packEntry swaps shared values for, held by the manifest itself: still the same text.
  if (i === 11) (spec as unknown as Data).title = '\x01shared:0';
  if (i === 13) (spec as unknown as Data).description = '\\u0001shared:1';
  if (i === 17) (spec.scenes[0] as unknown as Data).input = { type: 'script', text: '\x01shared:2 and more' };
  if (i % 2) e.idAt = [1, 5];
  if (i % 3) e.outputAt = [2, 9, 2, 20];
  if (i % 4) e.derived = ['code', `key${i}`, [1.5, [2, 'avatar', `clip${i}`]]];
  if (i % 7 === 0) e.warnings = [{ code: 'W_V3_EMOTION', severity: 'warning', message: 'emotion', location: { file: `videos/v${i}.yaml`, line: 3, column: 1 } }] as CacheEntry['warnings'];
  return e;
}

describe('the packed warm cache', () => {
  it('is the text JSON.stringify gives for the packed cache', () => {
    const entries: Record<string, CacheEntry> = {};
    for (let i = 0; i < 30; i++) entries[`videos/v${i}.yaml`] = entry(i);
    const expected = reference(entries);
    expect(packed(entries)).toEqual(expected);
    expect(JSON.parse(expected.files)).toBeTypeOf('object');
  });

  it('gives the same text in pieces when the files are megabytes long', () => {
    const entries: Record<string, CacheEntry> = {};
    const long = 'word '.repeat(400);
    for (let i = 0; i < 1000; i++) {
      const e = entry(i);
      (e.spec as unknown as Data).description = `${long}${i}`;
      entries[`videos/v${i}.yaml`] = e;
    }
    expect([...packFiles(entries).files].length).toBeGreaterThan(1);
    expect(packed(entries)).toEqual(reference(entries));
  });

  it('writes frozen shared values (a warm hit) as they are now, each time', () => {
    const e = entry(2);
    const deepFreeze = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      Object.values(v).forEach(deepFreeze);
      Object.freeze(v);
    };
    deepFreeze(e.spec.avatar);
    const once = packed({ a: e });
    expect(once).toEqual(reference({ a: e }));
    // A new, unfrozen value in its place is written, not a text kept for the old one.
    (e.spec as unknown as Data).avatar = { ...avatar, id: 'Other' };
    expect(packed({ a: e })).toEqual(reference({ a: e }));
    expect(packed({ a: e }).shared).toContain('Other');
  });
});
