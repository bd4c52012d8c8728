/**
 * Changes that may wait a moment to be saved, saved together: a restore from the store is free and can
 * be done again, so its lockfile entry need not reach the disk before the next one starts. Saving each
 * of 1,000 restores on its own serialized the whole lockfile hundreds of times (a 1 MB text each), and
 * the garbage alone took the process to ~250 MB; in batches it stays flat.
 */

/**
 * Collects items and applies them in batches, at most one batch per `everyMs` (the first at once, so a
 * build with one restore waits for nothing), or as soon as `maxItems` are waiting.
 */
export class Batcher<T> {
  private items: T[] = [];
  private waiting: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last = -Infinity;

  constructor(
    private readonly apply: (items: T[]) => Promise<void>,
    private readonly everyMs = 500,
    private readonly maxItems = 500,
  ) {}

  /** Queues `item`; resolves once a batch holding it was applied (rejects with that batch's error). */
  add(item: T): Promise<void> {
    this.items.push(item);
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    const due = this.last + this.everyMs - performance.now();
    if (this.items.length >= this.maxItems || due <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), due);
    return done;
  }

  /** Applies what is queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items;
    const waiting = this.waiting;
    this.items = [];
    this.waiting = [];
    if (items.length === 0) return;
    this.last = performance.now();
    this.apply(items).then(
      () => {
        for (const w of waiting) w.resolve();
      },
      (e: unknown) => {
        for (const w of waiting) w.reject(e);
      },
    );
  }
}
