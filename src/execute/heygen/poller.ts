/**
 * One poller for many remote jobs: each due tick asks about every due id in one request where the API
 * allows it (v3 `/v3/videos/statuses` takes 100 ids), with per-job backoff from `minMs` to `maxMs`
 * and a per-job timeout that is reported, not hung on.
 */
import { HeygenBuildError } from '../../errors.js';
import { Detached } from './detach.js';

/** A remote job the poller can wait for: its id and normalized status. */
export interface Pollable {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'not_found';
}

/** How often to poll HeyGen (backing off from minMs to maxMs) and how long to wait before giving up. */
export interface PollOptions {
  minMs: number;
  maxMs: number;
  timeoutMs: number;
  /** Ids per request. */
  batch: number;
  /**
   * When one request can ask about many jobs (v3 bulk statuses), fill each due request with the jobs
   * that are not due yet: they are checked for free, so a finished job frees its slot sooner.
   */
  piggyback?: boolean;
  signal?: AbortSignal;
  now?: () => number;
  /**
   * Ask once, at once (a detached build, the webhook receiver): a job not finished rejects with
   * Detached instead of being polled again.
   */
  once?: boolean;
}

interface Waiter<T> {
  id: string;
  started: number;
  interval: number;
  nextAt: number;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

const GROWTH = 1.5;

/** Waits for many HeyGen jobs with one polling loop, so a large build does not poll each job on its own timer. */
export class Poller<T extends Pollable> {
  private readonly waiters = new Map<string, Waiter<T>[]>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private readonly now: () => number;

  constructor(
    private readonly fetchMany: (ids: string[], signal?: AbortSignal) => Promise<T[]>,
    private readonly opts: PollOptions,
  ) {
    this.now = opts.now ?? Date.now;
    opts.signal?.addEventListener('abort', () => this.abortAll(), { once: true });
  }

  /** Resolves with the job once it is completed or failed. */
  wait(id: string): Promise<T> {
    if (this.opts.signal?.aborted) return Promise.reject(this.opts.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const t = this.now();
      const list = this.waiters.get(id) ?? [];
      const first = this.opts.once ? 0 : this.opts.minMs;
      list.push({ id, started: t, interval: this.opts.minMs, nextAt: t + first, resolve, reject });
      this.waiters.set(id, list);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.ticking) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const list of this.waiters.values()) for (const w of list) next = Math.min(next, w.nextAt);
    if (next === Infinity) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, next - this.now()));
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.ticking = true;
    try {
      const now = this.now();
      const nextAt = (id: string): number => Math.min(...this.waiters.get(id)!.map((w) => w.nextAt));
      let due = [...this.waiters.keys()].filter((id) => nextAt(id) <= now);
      if (this.opts.piggyback && due.length > 0 && due.length % this.opts.batch !== 0) {
        const room = this.opts.batch - (due.length % this.opts.batch);
        const rest = [...this.waiters.keys()].filter((id) => nextAt(id) > now).sort((a, b) => nextAt(a) - nextAt(b));
        due = due.concat(rest.slice(0, room));
      }
      for (let i = 0; i < due.length; i += this.opts.batch) {
        const ids = due.slice(i, i + this.opts.batch);
        let answers: T[];
        try {
          answers = await this.fetchMany(ids, this.opts.signal);
        } catch (e) {
          if (this.opts.signal?.aborted) return;
          // The client already retried transient faults; what is left (401, 402...) ends every wait.
          for (const id of ids) this.settle(id, undefined, e);
          continue;
        }
        const byId = new Map(answers.map((a) => [a.id, a]));
        for (const id of ids) this.settle(id, byId.get(id));
      }
    } finally {
      this.ticking = false;
      this.schedule();
    }
  }

  private settle(id: string, answer: T | undefined, error?: unknown): void {
    const list = this.waiters.get(id);
    if (!list) return;
    const now = this.now();
    const keep: Waiter<T>[] = [];
    for (const w of list) {
      if (error !== undefined) w.reject(error);
      else if (answer && (answer.status === 'completed' || answer.status === 'failed')) w.resolve(answer);
      else if (this.opts.once) w.reject(new Detached(answer?.status === 'not_found' ? 'not_found' : answer?.status === 'running' ? 'running' : 'queued'));
      else if (now - w.started >= this.opts.timeoutMs) {
        w.reject(
          new HeygenBuildError('E_POLL_TIMEOUT', `${id} is still rendering after ${Math.round((now - w.started) / 1000)} s`, {
            hint: 'run build again later: it resumes polling this job without submitting it again',
          }),
        );
      } else {
        // Unknown, queued, running or not yet visible: keep waiting, a little longer each time.
        w.interval = Math.min(this.opts.maxMs, w.interval * GROWTH);
        w.nextAt = now + w.interval;
        keep.push(w);
      }
    }
    if (keep.length > 0) this.waiters.set(id, keep);
    else this.waiters.delete(id);
  }

  private abortAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const list of this.waiters.values()) for (const w of list) w.reject(this.opts.signal?.reason);
    this.waiters.clear();
  }
}
