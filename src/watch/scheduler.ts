/**
 * Debounce and coalesce: file events collect into a batch; a run starts once the batch has been quiet
 * for `debounceMs`. One run at a time: what arrives during a run becomes the next batch, so the last
 * content is always seen, and a burst of saves costs one run per quiet period, not one per save.
 */

export interface Batch {
  /** Absolute paths, in first-seen order. */
  paths: string[];
  /** `performance.now()` at the batch's first event; undefined for the initial run. */
  firstEventAt?: number;
  initial: boolean;
}

/** Turns file events into runs: debounced, one at a time, with events during a run batched into the next. */
export interface Scheduler {
  /** A relevant file event. */
  notify(path: string): void;
  /** Queue a run now, without waiting for a debounce (the initial build). */
  kick(): void;
  /** True while events wait for the next run (a plan made now is already out of date). */
  hasPending(): boolean;
  running(): boolean;
  whenIdle(): Promise<void>;
  /** Stop starting runs; resolves when the current one ends. */
  stop(): Promise<void>;
}

/** Creates the scheduler; `onIdle` is called whenever no run is pending or in progress. */
export function createScheduler(debounceMs: number, run: (batch: Batch) => Promise<void>, onIdle: () => void): Scheduler {
  return new DebouncedRuns(debounceMs, run, onIdle);
}

/** The scheduler's state: the batch being collected, its debounce timer, the run loop, who waits for idle. */
class DebouncedRuns implements Scheduler {
  private pending: Batch | undefined;
  private seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** The pending batch has been quiet long enough. */
  private ripe = false;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly debounceMs: number,
    private readonly run: (batch: Batch) => Promise<void>,
    private readonly onIdle: () => void,
  ) {}

  notify(path: string): void {
    if (this.stopped) return;
    if (!this.pending) this.open({ paths: [], firstEventAt: performance.now(), initial: false });
    const batch = this.pending as Batch;
    if (!this.seen.has(path)) {
      this.seen.add(path);
      batch.paths.push(path);
    }
    this.ripe = false;
    this.restartTimer();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.pending) this.pending.initial = true;
    else this.open({ paths: [], initial: true });
    this.ripe = true;
    this.start();
  }

  hasPending(): boolean {
    return this.pending !== undefined;
  }

  running(): boolean {
    return this.loop !== undefined;
  }

  whenIdle(): Promise<void> {
    if (this.isIdle() || this.stopped) return this.loop ?? Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    await this.loop;
    this.settle();
  }

  /** A new batch starts collecting. */
  private open(batch: Batch): void {
    this.pending = batch;
    this.seen = new Set();
  }

  /** The batch ripens once `debounceMs` pass without another event. */
  private restartTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ripe = true;
      this.start();
    }, this.debounceMs);
  }

  private isIdle(): boolean {
    return !this.loop && !this.pending;
  }

  /** Wakes whoever waits for idle, if it is. */
  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Runs ripe batches one after another until none is left (or the scheduler stops). */
  private start(): void {
    if (this.loop || this.stopped) return;
    this.loop = (async () => {
      while (this.pending && this.ripe && !this.stopped) {
        const batch = this.pending;
        this.pending = undefined;
        this.ripe = false;
        await this.run(batch).catch(() => undefined); // run reports its own errors
      }
    })().finally(() => this.loopEnded());
  }

  private loopEnded(): void {
    this.loop = undefined;
    if (this.stopped) this.pending = undefined;
    if (this.isIdle()) this.onIdle();
    this.settle();
    // A batch that ripened while the last run was ending.
    if (this.pending && this.ripe) this.start();
  }
}
