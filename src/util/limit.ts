/**
 * The one concurrency toolkit: a weighted semaphore for remote slots shared by different kinds of jobs
 * (HeyGen's job cap), and `mapLimit`, a worker pool for "at most N of these at a time" over a list
 * (file reads, ffmpeg processes).
 */

/** Runs `fn` over `items` with at most `limit` at a time; resolves when every call has settled or rejects with the first error. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** A caller waiting in line: how many slots it wants, and the signal that may take it out of line. */
interface Waiter {
  n: number;
  signal: AbortSignal | undefined;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * A counting semaphore with weighted acquire: one v3 translation call starts a job per language, and
 * HeyGen's concurrency cap counts each of them, so it takes that many slots at once.
 * Waiters are served in order (no starvation of a large request by small ones).
 */
export class Semaphore {
  private free: number;
  private waiters: Waiter[] = [];
  /**
   * One 'abort' listener per signal waiters wait with, however many they are: every queued job of a build
   * waits on the build's signal, and 10,000 listeners (or an AbortController each, ~30 µs apiece,
   * src/util/abort.ts) would be paid before the first job is sent.
   */
  private readonly watched = new Map<AbortSignal, { waiting: number; onAbort: () => void }>();

  constructor(readonly size: number) {
    this.free = size;
  }

  get available(): number {
    return this.free;
  }

  /** Acquires waiting in line for slots. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes `n` slots (at most the semaphore's size), waiting in line for them. */
  acquire(n = 1, signal?: AbortSignal): Promise<number> {
    const want = this.wantOf(n);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake(want)) return Promise.resolve(want);
    return new Promise<number>((resolve, reject) => {
      this.waiters.push({ n: want, signal, resolve: () => resolve(want), reject });
      if (signal) this.watch(signal);
    });
  }

  /**
   * Takes `n` slots waiting in line, unless `until` settles first: the waiter then leaves the line and
   * this resolves to 0 (it never rejects). For a wait that ends when something else arrives (a clip's
   * look-ahead ends when its render slot comes, clips.ts): one callback on `until` instead of an
   * AbortController and its listener per waiter, ~30 µs each ahead of a large build's first POST.
   */
  acquireUntil(n: number, until: Promise<unknown>): Promise<number> {
    const want = this.wantOf(n);
    if (this.tryTake(want)) return Promise.resolve(want);
    return new Promise<number>((resolve) => {
      const w: Waiter = { n: want, signal: undefined, resolve: () => resolve(want), reject: () => resolve(0) };
      this.waiters.push(w);
      const leave = (): void => {
        // Served already (then its slots are the caller's), or still in line: only then does it leave.
        const i = this.waiters.indexOf(w);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        resolve(0);
        // A heavier waiter may have held back lighter ones behind it.
        this.drain();
      };
      until.then(leave, leave);
    });
  }

  /** Counts a waiter on `signal`, listening to it once. */
  private watch(signal: AbortSignal): void {
    const w = this.watched.get(signal);
    if (w) {
      w.waiting++;
      return;
    }
    const onAbort = (): void => {
      this.watched.delete(signal);
      const gone = this.waiters.filter((x) => x.signal === signal);
      this.waiters = this.waiters.filter((x) => x.signal !== signal);
      for (const x of gone) x.reject(signal.reason);
      this.drain();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.watched.set(signal, { waiting: 1, onAbort });
  }

  /** A waiter on `signal` got its slots: the last one leaves the signal as it was found. */
  private unwatch(signal: AbortSignal): void {
    const w = this.watched.get(signal);
    if (!w || --w.waiting > 0) return;
    signal.removeEventListener('abort', w.onAbort);
    this.watched.delete(signal);
  }

  /** Takes `n` slots if they are free now and nobody waits before us: the count taken, else 0. */
  tryAcquire(n = 1): number {
    const want = this.wantOf(n);
    return this.tryTake(want) ? want : 0;
  }

  /** What a request for `n` slots takes: at least one, at most the semaphore's size. */
  private wantOf(n: number): number {
    return Math.min(Math.max(1, n), this.size);
  }

  /** Takes `want` slots if they are free and nobody waits before us. */
  private tryTake(want: number): boolean {
    if (this.waiters.length > 0 || this.free < want) return false;
    this.free -= want;
    return true;
  }

  release(n = 1): void {
    this.free = Math.min(this.size, this.free + n);
    this.drain();
  }

  private drain(): void {
    let served = 0;
    while (served < this.waiters.length && this.free >= this.waiters[served]!.n) {
      const w = this.waiters[served++]!;
      this.free -= w.n;
      if (w.signal) this.unwatch(w.signal);
      w.resolve();
    }
    if (served > 0) this.waiters.splice(0, served);
  }
}
