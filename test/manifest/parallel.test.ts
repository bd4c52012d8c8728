/**
 * A cold load over worker threads gives exactly what a serial load gives: the same specs, the same
 * diagnostics (in the same places), the same warm cache and the same keys, whichever thread took
 * which manifest. Workers run compiled code only, so this imports the build (`npm test` builds
 * first), and lowers the thresholds through `threads`.
 */
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadOptions, LoadResult } from '../../src/manifest/index.js';
import type { TranslationLanguages } from '../../src/model/languages.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject, REPO } from './helpers.js';

const dist = (p: string): string => path.join(REPO, 'dist', p);
const { loadManifests } = (await import(dist('manifest/index.js'))) as typeof import('../../src/manifest/index.js');
const { derivedCache } = (await import(dist('plan/derived.js'))) as typeof import('../../src/plan/derived.js');
const { languageChecker } = (await import(dist('execute/heygen/languages.js'))) as typeof import('../../src/execute/heygen/languages.js');
const { contentKey } = (await import(dist('hash/key.js'))) as typeof import('../../src/hash/key.js');
const { analyzeMisses, prestartWorkers } = (await import(dist('manifest/load/parallel.js'))) as typeof import('../../src/manifest/load/parallel.js');
const { finishSpecs } = (await import(dist('manifest/load/finish-specs.js'))) as typeof import('../../src/manifest/load/finish-specs.js');
const { fileStates, readFiles } = (await import(dist('manifest/load/state.js'))) as typeof import('../../src/manifest/load/state.js');
const { AssetStore } = (await import(dist('manifest/assets.js'))) as typeof import('../../src/manifest/assets.js');

const roots: string[] = [];
afterAll(() => roots.splice(0).forEach(cleanup));

const BASE = 'avatar: presenter\n';

/** Every kind of manifest a load meets: clean ones (fast parse or not), and each kind of problem. */
function project(): string {
  const files: Record<string, string | Buffer> = {
    'assets/bg.png': 'png bytes',
    'assets/other.png': 'other bytes',
    'videos/dup-a.yaml': `${BASE}id: same/one\nscenes:\n  - script: First.\n`,
    'videos/dup-b.yaml': `${BASE}id: same/one\nscenes:\n  - script: Second.\n`,
    'videos/missing.yaml': `${BASE}background:\n  image: ../assets/nope.png\nscenes:\n  - script: Gone.\n`,
    'videos/warn.yaml': `avatar: presenter\nvoice: upbeat\nscenes:\n  - script: Emotional.\n`,
    'videos/bad.yaml': `${BASE}scenez: []\nscenes:\n  - script: Typo.\n`,
    'videos/syntax.yaml': `${BASE}scenes:\n  - script: "open\n`,
    'videos/lang-bad.yaml': `${BASE}translations: [xx-nowhere]\nscenes:\n  - script: Hola.\n`,
    'videos/lang-ok.yaml': `${BASE}translations: [fr]\nscenes:\n  - script: Bonjour.\n`,
    'videos/anchor.yaml': `${BASE}title: &t Anchored\ndescription: *t\nscenes:\n  - script: Slow path, clean.\n`,
    'videos/rows.yaml': `${BASE}id: row/{{ n }}\nrows:\n  - {n: a}\n  - {n: b}\nscenes:\n  - script: Row {{ n }}.\n`,
    'videos/link.yaml': `${BASE}background:\n  image: ../assets/link.png\nscenes:\n  - script: Linked out.\n`,
    'videos/out-clash.yaml': `${BASE}output: out/clean5.mp4\nscenes:\n  - script: Clash.\n`,
    // Latin-1, not UTF-8 (and an encoded surrogate): reported by this thread, never loaded by a worker.
    'videos/latin1.yaml': Buffer.from(`${BASE}scenes:\n  - script: Caf\xe9.\n`, 'latin1'),
    'videos/surrogate.yaml': Buffer.concat([Buffer.from(`${BASE}scenes:\n  - script: A`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('.\n')]),
  };
  for (let i = 0; i < 40; i++) {
    const id = i % 3 === 0 ? `id: clean/${i}\n` : '';
    const output = i % 5 === 0 ? `output: out/clean${i}.mp4\n` : '';
    files[`videos/clean${i}.yaml`] =
      `# video ${i}\n${BASE}${id}title: Clean ${i}\n${output}caption: ${i % 2 === 0}\nscenes:\n  - script: Hello number ${i}.\n    background:\n      image: ../assets/${i % 2 ? 'bg' : 'other'}.png\n  - script: Second scene.\n    background: "#112233"\n`;
  }
  const root = makeProject(files);
  roots.push(root);
  const outside = path.join(tmpdir(), `hb-parallel-outside-${process.pid}.png`);
  writeFileSync(outside, 'outside');
  symlinkSync(outside, path.join(root, 'assets', 'link.png'));
  return root;
}

async function load(root: string, threads: number): Promise<{ result: LoadResult; cache: string; keys: string[] }> {
  const languages: TranslationLanguages = languageChecker(['French', 'German'], 'cached');
  const files = readdirSync(path.join(root, 'videos')).map((f) => path.join(root, 'videos', f));
  const opts: LoadOptions = { config: makeConfig(root), manifestsRoot: 'videos', derived: derivedCache, languages, threads };
  const result = await loadManifests(files, opts);
  // The same cache but for its random id (which a delta names, manifest/cache-delta.ts).
  const { id: _id, ...cache } = JSON.parse(readFileSync(path.join(root, '.heygen', 'cache', 'manifests.json'), 'utf8')) as Record<string, unknown>;
  return { result, cache: JSON.stringify(cache), keys: result.specs.map((s) => contentKey(s)) };
}

describe('a cold load over worker threads', () => {
  it('gives the specs, diagnostics, cache and keys of a serial load', async () => {
    const root = project();
    const serial = await load(root, 0);
    expect(serial.result.specs.length).toBeGreaterThan(40);
    expect(new Set(serial.result.diagnostics.map((d) => d.code))).toEqual(
      new Set(['E_DUPLICATE_ID', 'E_ASSET_MISSING', 'W_V3_EMOTION', 'E_UNKNOWN_KEY', 'E_YAML_SYNTAX', 'E_LANGUAGE', 'E_PATH_ESCAPE', 'E_DUPLICATE_OUTPUT', 'E_ENCODING']),
    );
    for (const threads of [1, 2]) {
      rmSync(path.join(root, '.heygen'), { recursive: true });
      const parallel = await load(root, threads);
      expect(JSON.stringify(parallel.result.specs)).toBe(JSON.stringify(serial.result.specs));
      expect(parallel.result.diagnostics).toEqual(serial.result.diagnostics);
      expect(parallel.cache).toBe(serial.cache);
      expect(parallel.keys).toEqual(serial.keys);
      expect(parallel.result.workers.threads).toBe(threads);
    }
  });

  it('has the workers load every clean manifest and hand back the rest, which this thread reports', async () => {
    const root = project();
    const files = readdirSync(path.join(root, 'videos')).map((f) => path.join(root, 'videos', f));
    const run = async (threads: number, early = false) => {
      // Started before the files are read, as a cold load of thousands does; else by analyzeMisses.
      const prestarted = early ? prestartWorkers(5000, threads) : undefined;
      const states = fileStates(files, root);
      readFiles(states);
      const config = makeConfig(root);
      const ctx = {
        config,
        defaults: { file: 'heygen.config.ts', pos: { line: 1, column: 1 }, invalid: false },
        timings: { parse: 0, validate: 0, resolve: 0 },
        languages: languageChecker(['French'], 'cached'),
      };
      const store = new AssetStore(root);
      const stats = await analyzeMisses(states, ctx, (s) => s.rel.replace(/^videos\//, '').replace(/\.yaml$/, ''), {
        store,
        priorAssets: {},
        derived: derivedCache,
        threads,
        mainTakesChunks: false,
        ...(prestarted ? { prestarted } : {}),
      });
      await prestarted?.end();
      await finishSpecs(states, store, root);
      return { stats, states: states.map((s) => ({ rel: s.rel, spec: s.spec, rows: s.rowSpecs, diagnostics: s.diagnostics })) };
    };
    const serial = await run(0);
    const parallel = await run(1);
    // Every manifest that loads without a problem of its own (duplicates are found across files,
    // later; lang-ok's French is checked on this thread), but anchor.yaml, which needs yaml's parse:
    // the workers hand back the rest, and this thread reports them as a serial load does.
    const clean = serial.states.filter((s) => s.spec && s.diagnostics.length === 0 && !s.rows).length;
    expect(parallel.stats).toEqual({ threads: 1, byWorkers: clean - 1 });
    expect(JSON.stringify(parallel.states)).toBe(JSON.stringify(serial.states));
    const early = await run(1, true);
    expect(early.stats).toEqual(parallel.stats);
    expect(JSON.stringify(early.states)).toBe(JSON.stringify(serial.states));
  });
});
