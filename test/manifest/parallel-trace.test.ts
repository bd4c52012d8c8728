/**
 * A cold load over worker threads can keep its plan snapshot: the loader's workers trace their own
 * reads and post them with each chunk, so a file only a worker read (an asset it digested) is an
 * input of the plan like any other, and the loader's own worker does not taint the trace (any other
 * worker does). Workers run compiled code only, so this imports the build, as parallel.test.ts does.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { makeConfig } from './config.js';
import { cleanup, makeProject, REPO } from './helpers.js';

const dist = (p: string): string => path.join(REPO, 'dist', p);
const { analyzeMisses } = (await import(dist('manifest/load/parallel.js'))) as typeof import('../../src/manifest/load/parallel.js');
const { fileStates, readFiles } = (await import(dist('manifest/load/state.js'))) as typeof import('../../src/manifest/load/state.js');
const { AssetStore } = (await import(dist('manifest/assets.js'))) as typeof import('../../src/manifest/assets.js');
const { derivedCache } = (await import(dist('plan/derived.js'))) as typeof import('../../src/plan/derived.js');
const { startTrace } = (await import(dist('plan-cache/trace.js'))) as typeof import('../../src/plan-cache/trace.js');

const roots: string[] = [];
afterAll(() => roots.splice(0).forEach(cleanup));

const manifest = (n: number): string => `avatar: presenter\nbackground:\n  image: ../assets/bg${n}.png\nscenes:\n  - script: Video ${n}.\n`;

describe('a traced cold load over worker threads', () => {
  it("records the files only a worker read, and the loader's own worker does not taint the trace", async () => {
    const root = makeProject({ 'assets/bg1.png': 'one', 'assets/bg2.png': 'two', 'videos/v1.yaml': manifest(1), 'videos/v2.yaml': manifest(2) });
    roots.push(root);
    const states = fileStates(['videos/v1.yaml', 'videos/v2.yaml'].map((f) => path.join(root, f)), root);
    const trace = startTrace();
    let stats;
    try {
      readFiles(states);
      const ctx = { config: makeConfig(root), defaults: { file: 'heygen.config.ts', pos: { line: 1, column: 1 }, invalid: false }, timings: { parse: 0, validate: 0, resolve: 0 } };
      // This thread takes no chunk: every asset is digested by the worker alone.
      stats = await analyzeMisses(states, ctx, (s) => s.rel, { store: new AssetStore(root), priorAssets: {}, derived: derivedCache, threads: 1, mainTakesChunks: false });
    } finally {
      trace.stop();
    }
    expect(stats).toEqual({ threads: 1, byWorkers: 2 });
    expect(trace.taints).toEqual([]);
    expect(trace.paths).toContain(path.join(root, 'assets', 'bg1.png'));
    expect(trace.paths).toContain(path.join(root, 'assets', 'bg2.png'));
  });

  it('is tainted by any other worker thread', () => {
    const trace = startTrace();
    try {
      const w = new Worker('process.exit(0)', { eval: true });
      void w.terminate();
    } finally {
      trace.stop();
    }
    expect(trace.taints).toEqual(['a worker thread']);
  });
});
