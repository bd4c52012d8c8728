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
  let pending: Batch | undefined;
  let seen = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  /** The pending batch has been quiet long enough. */
  let ripe = false;
  let loop: Promise<void> | undefined;
  let stopped = false;
  let idleWaiters: Array<() => void> = [];

  const isIdle = (): boolean => !loop && !pending;
  const settle = (): void => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const start = (): void => {
    if (loop || stopped) return;
    loop = (async () => {
      while (pending && ripe && !stopped) {
        const batch = pending;
        pending = undefined;
        ripe = false;
        await run(batch).catch(() => undefined); // run reports its own errors
      }
    })().finally(() => {
      loop = undefined;
      if (stopped) pending = undefined;
      if (isIdle()) onIdle();
      settle();
      // A batch that ripened while the last run was ending.
      if (pending && ripe) start();
    });
  };

  return {
    notify(path) {
      if (stopped) return;
      if (!pending) {
        pending = { paths: [], firstEventAt: performance.now(), initial: false };
        seen = new Set();
      }
      if (!seen.has(path)) {
        seen.add(path);
        pending.paths.push(path);
      }
      ripe = false;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        ripe = true;
        start();
      }, debounceMs);
    },
    kick() {
      if (stopped) return;
      if (pending) pending.initial = true;
      else {
        pending = { paths: [], initial: true };
        seen = new Set();
      }
      ripe = true;
      start();
    },
    hasPending: () => pending !== undefined,
    running: () => loop !== undefined,
    whenIdle() {
      if (isIdle() || stopped) return loop ?? Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await loop;
      settle();
    },
  };
}
