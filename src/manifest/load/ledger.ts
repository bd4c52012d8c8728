/**
 * The misses of one parallel load (parallel.ts) and what has become of each: loaded cleanly (by a
 * worker or by this thread), handed back, or analyzed here. A chunk a thread has finished with is
 * covered; a manifest no clean load was adopted for is analyzed here by check.ts at the end, so
 * every problem is reported exactly as by a serial load.
 */
import type { VideoSpec } from '../../model/spec.js';
import { analyzeManifest, type Analysis, type AnalyzeContext } from '../analyze.js';
import type { AssetStore } from '../assets.js';
import type { DerivedHook } from '../cache.js';
import { checkFile } from './check.js';
import { decode } from './encoding.js';
import { loadClean, type CleanFile } from './one-clean.js';
import type { FileState } from './state.js';
import type { WorkerMessage } from './worker.js';

/** The misses of one parallel load, each with its default id, and which of them have an outcome or a thread done with them. */
export class MissLedger {
  /** Manifests whose outcome is recorded on their state (a clean load adopted, or check.ts run). */
  private readonly handled: Uint8Array;
  /** Manifests a thread has finished with (loaded, handed back or analyzed here). */
  private readonly covered: Uint8Array;
  /** How many manifests no thread has finished with yet. */
  uncovered: number;
  /** Manifests loaded by worker threads. */
  byWorkers = 0;

  /** `files`, each with its default id in `ids`, all with bytes. */
  constructor(
    readonly files: readonly FileState[],
    readonly ids: readonly string[],
    private readonly ctx: AnalyzeContext,
    private readonly store: AssetStore,
    private readonly derived: DerivedHook | undefined,
  ) {
    this.handled = new Uint8Array(files.length);
    this.covered = new Uint8Array(files.length);
    this.uncovered = files.length;
  }

  /**
   * Takes clean load `c` of manifest `i` as its outcome; false when it must be analyzed here instead.
   * `own`: loaded on this thread, whose derived hook already holds what it stored for the spec.
   */
  adopt(i: number, c: CleanFile, own: boolean): boolean {
    const ctx = this.ctx;
    // A language the main thread's list does not know: analyzed here, where it is reported.
    if (c.languages?.some((l) => ctx.languages?.check(l) !== undefined)) return false;
    const s = this.files[i]!;
    const id = this.ids[i]!;
    s.analysis = cleanAnalysis(c, () => analyzeManifest(s.rel, decode(s.bytes!), id, ctx));
    s.spec = c.spec;
    if (c.derived !== undefined) {
      // Kept for the cache entry (warm.ts collect) only when the hook took it back for this spec.
      if (own || this.derived?.restore(c.spec, c.derived)) s.derived = c.derived;
    }
    this.handled[i] = 1;
    return true;
  }

  /** Manifests `start` to `end` (excluded) are finished with by some thread. */
  cover(start: number, end: number): void {
    for (let i = start; i < end; i++) {
      if (this.covered[i]) continue;
      this.covered[i] = 1;
      this.uncovered--;
    }
  }

  /** A worker's finished chunk: its asset records, clean loads and timings (its trace is the caller's). */
  onChunk(m: WorkerMessage): void {
    for (const [rel, record] of m.assets) this.store.adopt(rel, record);
    for (const c of m.clean) if (this.adopt(c.index, c, false)) this.byWorkers++;
    const timings = this.ctx.timings;
    timings.parse += m.timings.parse;
    timings.validate += m.timings.validate;
    timings.resolve += m.timings.resolve;
    this.cover(m.start, m.end);
  }

  /** Loads manifests `start` to `end` (excluded) on this thread: cleanly, or else analyzed by check.ts. */
  async loadHere(start: number, end: number, derive: ((spec: VideoSpec) => unknown) | undefined): Promise<void> {
    for (let i = start; i < end; i++) {
      const s = this.files[i]!;
      const c = await loadClean(s.rel, s.bytes!, this.ids[i]!, this.ctx, this.store, derive);
      if (!c || !this.adopt(i, c, true)) checkFile(s, this.ctx, this.ids[i]!);
      this.handled[i] = 1;
    }
    this.cover(start, end);
  }

  /** Analyzes here what no thread gave an outcome for: handed back by a worker (a problem to report, a rows manifest), or left by one that failed. */
  checkUnhandled(): void {
    for (let i = 0; i < this.files.length; i++) if (!this.handled[i]) checkFile(this.files[i]!, this.ctx, this.ids[i]!);
  }
}

/** The analysis of a cleanly loaded manifest, as collect() and the duplicate checks read it. */
function cleanAnalysis(c: CleanFile, again: () => Analysis): Analysis {
  // Nothing is left to place (every asset was digested); if asked anyway, the full analysis places it.
  const a: Analysis = { diagnostics: [], pending: c.pending, placePending: (i, issue, lines) => again().placePending(i, issue, lines) };
  if (c.idAt) a.idAt = c.idAt;
  if (c.outputAt) a.outputAt = c.outputAt;
  return a;
}
