/**
 * The worker thread of a parallel cold load (see parallel.ts): started before its work is known, it
 * loads its modules, then waits for its input; it takes chunks of manifests from the
 * shared counter, loads each cleanly (one-clean.ts) with its own asset store, and posts the results
 * of each chunk with the asset digests it made for them. It ends when no chunk is left, or when
 * the main thread, which has everything it needs, ends it.
 */

import { parentPort } from 'node:worker_threads';
import { derivedCache } from '../../plan/derived.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { VideoSpec } from '../../model/spec.js';
import type { AnalyzeContext } from '../analyze.js';
import { AssetStore, type AssetRecord } from '../assets.js';
import { parseFast } from '../parse-fast.js';
import { prepareValidation } from '../schema.js';
import { loadClean, type CleanFile } from './one-clean.js';
import type { TraceDelta } from '../../plan-cache/active.js';

/** What the main thread posts the worker once it knows the work (structured-cloned; `bytes`, `offsets` and `counter` are shared). */
export interface WorkerInput {
  config: ResolvedConfig;
  priorAssets: Record<string, AssetRecord>;
  /** Whether to compute the planner's keys (the load was given the derived hook). */
  derive: boolean;
  defaultsInvalid: boolean;
  /** Where the config's `defaults:` are written: a template part they bring is placed there. */
  defaultsAt: { file: string; pos: { line: number; column: number } };
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
  /** A plan trace is running on the main thread: trace this thread's reads and post them (plan-cache/active.ts). */
  trace: boolean;
}

/**
 * One chunk's results: the manifests loaded cleanly (the others of start..end are handed back), the
 * asset digests made since the last message, and the time spent per phase on this chunk.
 */
export interface WorkerMessage {
  start: number;
  end: number;
  clean: (CleanFile & { index: number })[];
  assets: [string, AssetRecord][];
  timings: AnalyzeContext['timings'];
  /** What this thread read since its last message, when the main thread traces the plan. */
  trace?: TraceDelta;
}

async function run(input: WorkerInput, post: (m: WorkerMessage) => void): Promise<void> {
  const { config, rels, counter, chunk } = input;
  // Started before anything of the input is read; each message carries what was read for it.
  const traced = input.trace ? await startWorkerTrace() : undefined;
  let asked: string[] = [];
  const ctx: AnalyzeContext = {
    config,
    defaults: { file: input.defaultsAt.file, pos: input.defaultsAt.pos, invalid: input.defaultsInvalid },
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
  const derive = input.derive ? (spec: VideoSpec): unknown => derivedCache.store(spec) : undefined;
  let posted = 0;
  for (let start = Atomics.add(counter, 0, chunk); start < rels.length; start = Atomics.add(counter, 0, chunk)) {
    const end = Math.min(rels.length, start + chunk);
    const clean: (CleanFile & { index: number })[] = [];
    const timings = { ...ctx.timings };
    for (let i = start; i < end; i++) {
      asked = [];
      // A view of the shared bytes, not a copy: loadClean only validates and decodes them.
      const bytes = Buffer.from(input.bytes, input.offsets[i], input.offsets[i + 1]! - input.offsets[i]!);
      const r = await loadClean(rels[i]!, bytes, input.defaultIds[i]!, ctx, store, derive);
      if (r) clean.push({ index: i, ...r, ...(asked.length > 0 ? { languages: asked } : {}) });
    }
    const seen = [...store.seen];
    const t = ctx.timings;
    const timed = { parse: t.parse - timings.parse, validate: t.validate - timings.validate, resolve: t.resolve - timings.resolve };
    post({ start, end, clean, assets: seen.slice(posted), timings: timed, ...(traced ? { trace: traced() } : {}) });
    posted = seen.length;
  }
}

/** This thread's reads traced from now on; the function answers what was read since it was last called. */
async function startWorkerTrace(): Promise<() => TraceDelta> {
  const { startTrace, drainTrace } = await import('../../plan-cache/trace.js');
  const trace = startTrace();
  return () => drainTrace(trace);
}

if (parentPort) {
  const port = parentPort;
  // Ready the schema and the parser before the input comes (the main thread is still reading the
  // files): a chunk taken and then held through start-up could be the last one it waits for.
  prepareValidation();
  parseFast('warm: up\n');
  port.once('message', (input: WorkerInput) => void run(input, (m) => port.postMessage(m)));
}
