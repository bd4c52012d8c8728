/**
 * Analyzing the manifests the warm cache could not serve, over the machine's cores. Below a
 * thousand of them (or with two cores or fewer, see threshold.ts, or when running from the TypeScript sources) they are
 * analyzed here one by one as always (check.ts). Above, worker threads start (worker.ts) and they
 * and this thread take chunks of 64 manifests from one shared counter until none is left, so no
 * thread waits on another's share. Each manifest is loaded "cleanly" (one-clean.ts: fast parse,
 * schema, resolution, asset digests, finished spec and keys) or handed back; everything handed
 * back, and anything a worker did not finish, is analyzed here by check.ts at the end, so every
 * problem is reported exactly as by a serial load. Results do not depend on which thread took a
 * manifest: a manifest's analysis depends only on its bytes, the config and its files.
 */

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VideoSpec } from '../../model/spec.js';
import type { AnalyzeContext } from '../analyze.js';
import type { AssetRecord, AssetStore } from '../assets.js';
import type { DerivedHook } from '../cache.js';
import { checkFile } from './check.js';
import { MissLedger } from './ledger.js';
import type { FileState } from './state.js';
import { defaultThreads, PARALLEL_MIN_FILES } from './threshold.js';
import type { WorkerInput, WorkerMessage } from './worker.js';
import { currentTrace, mergesItsReads } from '../../plan-cache/active.js';

export { PARALLEL_MIN_FILES };
/** Manifests per chunk: small enough that the threads end together, large enough to post few messages. */
const MAX_CHUNK = 64;

/** How the misses of one load are analyzed. */
export interface AnalyzeOptions {
  store: AssetStore;
  /** The asset digests of the warm cache, for the workers' own stores. */
  priorAssets: Record<string, AssetRecord>;
  derived?: DerivedHook;
  /** Worker threads to use; default: none on 2 cores or fewer, else one fewer than the cores, at most 3, none below PARALLEL_MIN_FILES (defaultThreads). */
  threads?: number;
  /** False: this thread takes no chunk, the workers load everything they can (for tests). Default true. */
  mainTakesChunks?: boolean;
  /** Workers already started for this load (prestartWorkers): used instead of starting others. */
  prestarted?: Prestarted;
}

/** Who loaded what: for the benchmark's figures. */
export interface ParallelStats {
  threads: number;
  /** Manifests loaded by worker threads. */
  byWorkers: number;
}

/** Worker threads: as asked, else by the cores and the misses (threshold.ts defaultThreads). */
function threadCount(misses: number, threads: number | undefined): number {
  return threads ?? defaultThreads(misses, availableParallelism());
}

/** Workers started before their work is known: see prestartWorkers. */
export interface Prestarted {
  workers: Worker[];
  /** Whether a worker has exited (index by worker). */
  exited: boolean[];
  /** Ends any worker analyzeMisses did not take (no-op otherwise). */
  end: () => Promise<void>;
}

/**
 * Starts the workers of a load expected to have `expectedMisses` manifests to analyze, before the
 * files are read: their ~0.1-0.2 s of module loading then runs while this thread reads and hashes.
 * Undefined when none would be used. The caller must call `end()` once the load is done.
 */
export function prestartWorkers(expectedMisses: number, threads?: number): Prestarted | undefined {
  const script = workerScript();
  const count = threadCount(expectedMisses, threads);
  if (!script || count <= 0) return undefined;
  const exited: boolean[] = [];
  // Its reads reach a running plan trace (worker.ts posts them), so the plan can still be kept.
  mergesItsReads(script);
  const workers = Array.from({ length: count }, (_, i) => {
    const w = new Worker(script);
    exited[i] = false;
    // A failed worker only leaves its chunks to this thread (see startWorkers).
    w.on('error', () => undefined);
    w.on('exit', () => (exited[i] = true));
    return w;
  });
  return { workers, exited, end: async () => void (await Promise.all(workers.map((w) => w.terminate()))) };
}

/** Analyzes every manifest in `misses`, recording each outcome on its state (see check.ts). */
export async function analyzeMisses(misses: FileState[], ctx: AnalyzeContext, defaultId: (s: FileState) => string, opts: AnalyzeOptions): Promise<ParallelStats> {
  const script = workerScript();
  const threads = opts.prestarted ? opts.prestarted.workers.length : threadCount(misses.length, opts.threads);
  const eligible = script && threads > 0 ? misses.filter((s) => s.bytes !== undefined) : [];
  if (eligible.length === 0 || !script) {
    for (const s of misses) checkFile(s, ctx, defaultId(s));
    return { threads: 0, byWorkers: 0 };
  }
  for (const s of misses) if (s.bytes === undefined) checkFile(s, ctx, defaultId(s));

  const ids = eligible.map(defaultId);
  const ledger = new MissLedger(eligible, ids, ctx, opts.store, opts.derived);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const chunk = Math.max(1, Math.min(MAX_CHUNK, Math.ceil(eligible.length / (threads + 1) / 8)));
  const input = workerInput(eligible, ids, ctx, opts, counter, chunk);
  const onChunk = (m: WorkerMessage): void => {
    if (m.trace) currentTrace()?.add(m.trace);
    ledger.onChunk(m);
  };
  const pool = startWorkers(opts.prestarted ?? prestartWorkers(eligible.length, threads)!, input, onChunk, () => ledger.uncovered === 0);
  await takeShare(ledger, counter, chunk, opts);
  // Wait only for chunks a worker has taken; a worker still starting up is simply ended.
  await pool.settled();
  ledger.checkUnhandled();
  return { threads, byWorkers: ledger.byWorkers };
}

/** This thread's share of the misses: chunks taken from the counter the workers take theirs from, until none is left. */
async function takeShare(ledger: MissLedger, counter: Int32Array, chunk: number, opts: AnalyzeOptions): Promise<void> {
  const total = ledger.files.length;
  const derive = opts.derived ? (spec: VideoSpec) => opts.derived!.store(spec) : undefined;
  const next = (): number => (opts.mainTakesChunks === false ? total : Atomics.add(counter, 0, chunk));
  for (let start = next(); start < total; start = next()) await ledger.loadHere(start, Math.min(total, start + chunk), derive);
}

/** The worker's script next to this module: only when running compiled (workers cannot load .ts here). */
function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
}

function workerInput(files: FileState[], ids: string[], ctx: AnalyzeContext, opts: AnalyzeOptions, counter: Int32Array, chunk: number): WorkerInput {
  const offsets = new Int32Array(new SharedArrayBuffer(4 * (files.length + 1)));
  let total = 0;
  files.forEach((s, i) => {
    offsets[i] = total;
    total += s.bytes!.length;
  });
  offsets[files.length] = total;
  const bytes = new SharedArrayBuffer(total);
  const view = new Uint8Array(bytes);
  files.forEach((s, i) => view.set(s.bytes!, offsets[i]));
  // The API key stays on this thread: resolution never needs it.
  const { apiKey: _key, ...heygen } = ctx.config.heygen;
  return {
    config: { ...ctx.config, heygen },
    priorAssets: opts.priorAssets,
    derive: opts.derived !== undefined,
    defaultsInvalid: ctx.defaults.invalid,
    defaultsAt: { file: ctx.defaults.file, pos: ctx.defaults.pos },
    languages: ctx.languages !== undefined,
    bytes,
    offsets,
    rels: files.map((s) => s.rel),
    defaultIds: ids,
    counter,
    chunk,
    trace: currentTrace() !== undefined,
  };
}

/**
 * Gives the workers their input. `settled` resolves (never rejects) once `finished()` holds, checked
 * after each message, or every worker has exited (a failed one leaves its chunk uncovered: analyzed
 * here). Then every worker is ended, whatever it was doing.
 */
function startWorkers(pool: Prestarted, input: WorkerInput, onChunk: (m: WorkerMessage) => void, finished: () => boolean): { settled: () => Promise<void> } {
  let live = pool.exited.filter((e) => !e).length;
  let wake: (() => void) | undefined;
  const check = (): void => {
    if ((finished() || live === 0) && wake) wake();
  };
  pool.workers.forEach((w, i) => {
    w.on('message', (m: WorkerMessage) => {
      onChunk(m);
      check();
    });
    if (pool.exited[i]) return;
    w.on('exit', () => {
      live--;
      check();
    });
    w.postMessage(input);
  });
  return {
    settled: async () => {
      if (!finished() && live > 0) await new Promise<void>((resolve) => ((wake = resolve), check()));
      await pool.end();
    },
  };
}
