/**
 * The one concurrency toolkit: a weighted semaphore for remote slots shared by different kinds of jobs
 * (HeyGen's job cap), and `mapLimit`, a worker pool for "at most N of these at a time" over a list
 * (file reads, ffmpeg processes).
 */
import { linkSignal } from './abort.js';

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

/**
 * A counting semaphore with weighted acquire: one v3 translation call starts a job per language, and
 * HeyGen's concurrency cap counts each of them, so it takes that many slots at once.
 * Waiters are served in order (no starvation of a large request by small ones).
 */
export class Semaphore {
  private free: number;
  private readonly waiters: { n: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  get available(): number {
    return this.free;
  }

  /** Takes `n` slots (at most the semaphore's size), waiting in line for them. */
  acquire(n = 1, signal?: AbortSignal): Promise<number> {
    const want = Math.min(Math.max(1, n), this.size);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.free >= want) {
      this.free -= want;
      return Promise.resolve(want);
    }
    // Every queued job waits on the same build signal: listen on a child of it, so a queue of 10,000
    // adds one listener to the build's signal, not 10,000 (src/util/abort.ts).
    const link = linkSignal(signal);
    return new Promise<number>((resolve, reject) => {
      const waiter = {
        n: want,
        resolve: () => {
          link.release();
          resolve(want);
        },
        reject,
      };
      link.signal?.addEventListener(
        'abort',
        () => {
          link.release();
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal?.reason);
          this.drain();
        },
        { once: true },
      );
      this.waiters.push(waiter);
    });
  }

  /** Takes `n` slots if they are free now and nobody waits before us: the count taken, else 0. */
  tryAcquire(n = 1): number {
    const want = Math.min(Math.max(1, n), this.size);
    if (this.waiters.length > 0 || this.free < want) return 0;
    this.free -= want;
    return want;
  }

  release(n = 1): void {
    this.free = Math.min(this.size, this.free + n);
    this.drain();
  }

  private drain(): void {
    while (this.waiters.length > 0 && this.free >= this.waiters[0]!.n) {
      const w = this.waiters.shift()!;
      this.free -= w.n;
      w.resolve();
    }
  }
}
