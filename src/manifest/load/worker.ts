/**
 * The worker thread of a parallel cold load (see parallel.ts): takes chunks of manifests from the
 * shared counter, loads each cleanly (one-clean.ts) with its own asset store, and posts the results
 * per chunk; at the end, the asset digests it made and its phase timings.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedConfig } from '../../model/config.js';
import type { VideoSpec } from '../../model/spec.js';
import type { AnalyzeContext } from '../analyze.js';
import { AssetStore, type AssetRecord } from '../assets.js';
import { loadClean, type CleanFile } from './one-clean.js';

/** What the main thread gives the worker (structured-cloned; `counter` is shared). */
export interface WorkerInput {
  config: ResolvedConfig;
  priorAssets: Record<string, AssetRecord>;
  /** Whether to compute the planner's keys (the load was given the derived hook). */
  derive: boolean;
  defaultsInvalid: boolean;
  /** Whether the load checks translation languages (the main thread has a list). */
  languages: boolean;
  /** Every file's bytes, one after the other in one shared buffer: `offsets[i]` to `offsets[i + 1]`. */
  bytes: SharedArrayBuffer;
  offsets: Int32Array;
  rels: string[];
  defaultIds: string[];
  /** Int32Array over a SharedArrayBuffer: the index of the next chunk not yet taken. */
  counter: Int32Array;
  chunk: number;
}

/** A message from the worker: one chunk's results, or the end of its work. */
export type WorkerMessage =
  | { kind: 'chunk'; start: number; end: number; clean: (CleanFile & { index: number })[] }
  | { kind: 'done'; assets: [string, AssetRecord][]; timings: AnalyzeContext['timings'] };

async function run(input: WorkerInput, post: (m: WorkerMessage) => void): Promise<void> {
  const { config, rels, counter, chunk } = input;
  const all = new Uint8Array(input.bytes);
  let asked: string[] = [];
  const ctx: AnalyzeContext = {
    config,
    defaults: { file: '', pos: { line: 1, column: 1 }, invalid: input.defaultsInvalid },
    timings: { parse: 0, validate: 0, resolve: 0 },
  };
  // Every language is fine here; the main thread checks the ones asked about against its own list.
  if (input.languages) {
    ctx.languages = {
      from: 'shipped',
      digest: '',
      check: (language: string) => {
        asked.push(language);
        return undefined;
      },
    };
  }
  const store = new AssetStore(config.root, input.priorAssets);
  let derive: ((spec: VideoSpec) => unknown) | undefined;
  if (input.derive) {
    const { derivedCache } = await import('../../plan/derived.js');
    derive = (spec) => derivedCache.store(spec);
  }
  for (let start = Atomics.add(counter, 0, chunk); start < rels.length; start = Atomics.add(counter, 0, chunk)) {
    const end = Math.min(rels.length, start + chunk);
    const clean: (CleanFile & { index: number })[] = [];
    for (let i = start; i < end; i++) {
      asked = [];
      // A copy: TextDecoder refuses views of shared memory.
      const bytes = Buffer.from(all.subarray(input.offsets[i], input.offsets[i + 1]));
      const r = await loadClean(rels[i]!, bytes, input.defaultIds[i]!, ctx, store, derive);
      if (r) clean.push({ index: i, ...r, ...(asked.length > 0 ? { languages: asked } : {}) });
    }
    post({ kind: 'chunk', start, end, clean });
  }
  post({ kind: 'done', assets: [...store.seen], timings: ctx.timings });
}

if (parentPort) {
  const port = parentPort;
  void run(workerData as WorkerInput, (m) => port.postMessage(m));
}
