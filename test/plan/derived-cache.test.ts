/**
 * Content and clip keys kept in the manifest cache: a warm plan must plan exactly as a cold one, and
 * a stored key is trusted only when the code that computed it is the code running now.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentKey } from '../../src/hash/key.js';
import { CACHE_FILE } from '../../src/manifest/cache.js';
import { forgetHeldRows } from '../../src/manifest/rows/cache.js';
import { loadManifests, type LoadOptions } from '../../src/manifest/index.js';
import { emptyLockfile } from '../../src/model/lock.js';
import { derivedCache } from '../../src/plan/derived.js';
import { plan, PLAN_ENGINE } from '../../src/plan/plan.js';
import { makeConfig } from '../manifest/config.js';
import { cleanup, makeProject } from '../manifest/helpers.js';
import { rewriteCachedRows } from '../manifest/rows-helpers.js';

const manifest = (title: string): string =>
  `title: ${title}\navatar: presenter\nscenes:\n  - script: Hello from ${title}.\n    background: {image: ../assets/one.png}\n  - silence: 1\n  - script: Bye <break time="2s"/> now.\n`;

let root: string;
let files: string[];
let opts: LoadOptions;

beforeEach(() => {
  root = makeProject({ 'assets/one.png': 'image bytes', 'v/a.yaml': manifest('A'), 'v/b.yaml': manifest('B') });
  files = ['a', 'b'].map((n) => path.join(root, `v/${n}.yaml`));
  opts = { config: makeConfig(root), manifestsRoot: 'v', derived: derivedCache };
});
afterEach(() => cleanup(root));

async function planned() {
  const r = await loadManifests(files, opts);
  return { r, plan: plan({ specs: r.specs, lock: emptyLockfile(), outputs: new Map(), engine: PLAN_ENGINE, scenes: true }) };
}

type Stored = { files: Record<string, { derived?: [string, string, unknown[]] }> };
const readCacheFile = (): Stored => JSON.parse(readFileSync(path.join(root, CACHE_FILE), 'utf8')) as Stored;
const writeCacheFile = (c: Stored): void => writeFileSync(path.join(root, CACHE_FILE), JSON.stringify(c));

describe('keys kept in the manifest cache', () => {
  it('a warm plan (keys from the cache) equals a cold one, scene clips and estimates included', async () => {
    const cold = await planned();
    const warm = await planned();
    expect(warm.r.cacheHits).toBe(2);
    expect(warm.plan).toEqual(cold.plan);
    const clips = cold.plan.items[0]?.scenes?.map((s) => s.key) ?? [];
    expect(new Set(clips).size).toBe(3);
  });

  it('a warm plan takes the stored keys instead of hashing again', async () => {
    await planned();
    const c = readCacheFile();
    c.files['v/a.yaml']!.derived![1] = 'f'.repeat(64);
    writeCacheFile(c);
    const warm = await planned();
    expect(warm.plan.items.find((i) => i.id === 'a')?.key).toBe('f'.repeat(64));
  });

  it('keys stored by other code are computed again, and stored again', async () => {
    const cold = await planned();
    const c = readCacheFile();
    const stored = c.files['v/a.yaml']!.derived!;
    stored[0] = 'other code';
    stored[1] = 'f'.repeat(64);
    writeCacheFile(c);
    const warm = await planned();
    const a = warm.r.specs.find((s) => s.id === 'a')!;
    expect(warm.plan.items.find((i) => i.id === 'a')?.key).toBe(contentKey(a));
    expect(warm.plan).toEqual(cold.plan);
    expect(readCacheFile().files['v/a.yaml']!.derived![0]).not.toBe('other code');
  });

  it('an edited manifest gets its new keys, not the stored ones', async () => {
    const cold = await planned();
    writeFileSync(files[0]!, manifest('A2'));
    const warm = await planned();
    expect(warm.plan.items.find((i) => i.id === 'a')?.key).not.toBe(cold.plan.items.find((i) => i.id === 'a')?.key);
    expect(warm.plan.items.find((i) => i.id === 'b')?.key).toBe(cold.plan.items.find((i) => i.id === 'b')?.key);
  });
});

describe('keys kept in the rows cache', () => {
  const rowsManifest = 'rows:\n  - {name: Ana}\n  - {name: Bo}\nid: hi/{{ name }}\navatar: presenter\nscenes:\n  - script: Hello {{ name }}.\n  - script: Bye now.\n';
  it('a warm plan of rows equals a cold one, and takes each row\'s stored clip keys instead of hashing again', async () => {
    writeFileSync(files[0]!, rowsManifest);
    const cold = await planned();
    const warm = await planned();
    expect(warm.plan).toEqual(cold.plan);
    // The first row's first clip key changed in the cache (a valid one, as a new process reads it).
    rewriteCachedRows(root, 'v/a.yaml', ([spec, key, d], i) => {
      if (i !== 0) return [spec, key, d];
      const [code, k, scenes] = d as [string, string, [number, string, string][]];
      return [spec, key, [code, k, scenes.map((s, j) => (j === 0 ? [s[0], s[1], 'e'.repeat(64)] : s))]];
    });
    forgetHeldRows();
    const again = await planned();
    expect(again.plan.items.find((i) => i.id === 'hi/Ana')?.scenes?.[0]?.key).toBe('e'.repeat(64));
  });
});
