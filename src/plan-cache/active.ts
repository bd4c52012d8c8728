/**
 * The plan trace running now, as the cold load's worker threads feed it. A worker's `fs` calls are
 * not seen by the main thread's trace (trace.ts patches this thread's modules only), so a worker the
 * loader starts traces its own reads and posts them with each chunk's results; the main thread
 * merges them here. A module of its own, without dependencies, so that the loader (load/parallel.ts)
 * can ask whether a trace is running without loading trace.ts and the modules it patches.
 */
import type { Stats } from 'node:fs';
import type { Stamp } from './stamp.js';

/** What a worker read since its last message, in the terms of the main trace (trace.ts `Trace`). */
export interface TraceDelta {
  paths: string[];
  dirs: string[];
  stamps: [string, Stamp][];
  env: string[];
  taints: string[];
}

/** Where a running trace takes a worker's reads. */
export interface TraceSink {
  add(delta: TraceDelta): void;
  /**
   * The stat of a file this thread read, taken on the open file as it was read (the manifest read,
   * load/state.ts): kept as the path's stamp, as a stat call's is, so keeping the plan need not stat it again.
   */
  readAs(path: string, st: Stats): void;
}

let sink: TraceSink | undefined;
const merged = new Set<string>();

/** The running trace's sink, if a trace is running. */
export function currentTrace(): TraceSink | undefined {
  return sink;
}

/** Set by trace.ts when a trace starts, cleared when it stops. */
export function setCurrentTrace(s: TraceSink | undefined): void {
  sink = s;
}

/** Declares a worker script whose reads are traced in the worker and merged into the running trace. */
export function mergesItsReads(script: URL): void {
  merged.add(script.href);
}

/** Whether a worker started from `script` feeds the trace (any other worker taints it). */
export function feedsTrace(script: unknown): boolean {
  return (script instanceof URL || typeof script === 'string') && merged.has(String(script));
}
