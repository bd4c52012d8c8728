/** One manifest file as it moves through loading, and reading it. */

import { closeSync, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../errors.js';
import { sha256Hex } from '../../hash/canonical.js';
import type { VideoSpec } from '../../model/spec.js';
import type { Analysis } from '../analyze.js';
import type { CacheEntry } from '../cache.js';
import type { PriorRows, RowsAnalysis } from '../rows/expand.js';
import { currentTrace, type TraceSink } from '../../plan-cache/active.js';

/**
 * Everything one manifest file goes through during a load, filled step by step (bytes, analysis, spec, diagnostics).
 */
export interface FileState {
  abs: string;
  rel: string;
  bytes?: Buffer;
  sha256?: string;
  readError?: string;
  /** Served from the warm cache: not parsed. */
  hit?: CacheEntry;
  analysis?: Analysis;
  /** The finished spec, once the analysis had no problems and every asset was digested. */
  spec?: VideoSpec;
  /** What the load's derived hook stored for `spec` when it was loaded in one piece (one-clean.ts): the cache entry keeps it as is. */
  derived?: unknown;
  /** A `rows:` manifest: one analysis per valid row, then their finished specs. */
  rows?: RowsAnalysis;
  rowSpecs?: VideoSpec[];
  /** A rows manifest: its template's cache key; every row served from the rows cache; earlier rows to reuse. */
  rowsKey?: string;
  rowsHit?: boolean;
  /** A rows hit: the sha256 of the data file the cached rows were filled from. */
  rowsData?: string;
  rowsPrior?: PriorRows;
  diagnostics: Diagnostic[];
}

/** `.` or `..` segments, doubled or trailing separators. */
const NOT_NORMAL = /[\\/]\.{1,2}(?=[\\/]|$)|[\\/]{2}|[\\/]$/;

/** A native path with POSIX separators, the form paths take in diagnostics, locks and caches. */
export function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** One state per distinct file, sorted by project-relative path. */
export function fileStates(files: string[], root: string): FileState[] {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  // Plain string work for the usual case (absolute, normalized, under the root): path.resolve
  // and path.relative for 10,000 files are measurable on the warm path.
  const plain = (f: string): boolean => path.isAbsolute(f) && !NOT_NORMAL.test(f);
  const relOf = (abs: string): string =>
    abs.startsWith(prefix) && plain(abs) ? posix(abs.slice(prefix.length)) : posix(path.relative(root, abs));
  return [...new Set(files.map((f) => (plain(f) ? f : path.resolve(root, f))))]
    .map((abs): FileState => ({ abs, rel: relOf(abs), diagnostics: [] }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * Synchronous reads on purpose: for thousands of small files they are ~3x faster than
 * promise-based ones (no thread-pool round trip per file), and this is the warm path.
 */
export function readFiles(states: FileState[]): void {
  // Under a plan trace, each file's stat as read becomes its stamp (plan-cache/active.ts): keeping
  // the plan then need not stat 10,000 manifests again.
  const trace = currentTrace();
  for (const s of states) {
    try {
      s.bytes = trace ? readStamped(s.abs, trace) : readFileSync(s.abs);
      s.sha256 = sha256Hex(s.bytes);
    } catch (e) {
      s.readError = (e as NodeJS.ErrnoException).code ?? String(e);
    }
  }
}

/**
 * readFileSync's own steps (open, fstat, read, close), with the fstat handed to the trace. Anything
 * but a non-empty regular file is read by readFileSync itself (with its errors), and not stamped here.
 */
function readStamped(abs: string, trace: TraceSink): Buffer {
  const fd = openSync(abs, 'r');
  let st: Stats;
  let bytes: Buffer;
  try {
    st = fstatSync(fd);
    if (!st.isFile() || st.size === 0) return readFileSync(fd);
    bytes = Buffer.allocUnsafeSlow(st.size);
    let at = 0;
    for (let n = -1; n !== 0 && at < st.size; at += n) n = readSync(fd, bytes, at, st.size - at, at);
    if (at < st.size) bytes = bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
  trace.readAs(abs, st);
  return bytes;
}
