/**
 * One poller for many remote jobs: each due tick asks about every due id in one request where the API
 * allows it (v3 `/v3/videos/statuses` takes 100 ids), with per-job backoff from `minMs` to `maxMs`
 * and a per-job timeout that is reported, not hung on. A job this build submitted is also asked about
 * when renders here have been seen to finish (render-times.ts), so its slot frees soon after its end;
 * with regular renders, its first follow-up goes out before the ask at its expected end is answered.
 */
import { HeygenBuildError } from '../../errors.js';
import { Detached } from './detach.js';
import { isTransientPollError, outageReason, PollOutage } from './outage.js';
import { RenderTimes } from './render-times.js';

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
  /**
   * True while asking about each due job on its own is worth more than one request for all (checked per
   * tick, when at most ONE_BY_ONE_MAX jobs are due): v3's `GET /v3/videos/{id}` answers with the URLs the
   * bulk request lacks, so a finished job's download follows without another round trip. Those requests
   * carry no other jobs along (nothing is checked for free) and go out at once.
   */
  oneByOne?: () => boolean;
  signal?: AbortSignal;
  now?: () => number;
  /**
   * Ask once, at once (a detached build, the webhook receiver): a job not finished rejects with
   * Detached instead of being polled again.
   */
  once?: boolean;
  /**
   * Shared by a build's pollers: warned once when polls start failing with transient errors (which
   * never end a wait before its timeout) and once when they are answered again. Silent when absent.
   */
  outage?: PollOutage;
}

interface Waiter<T> {
  id: string;
  started: number;
  interval: number;
  nextAt: number;
  /** `nextAt` is the render's expected end (or a follow-up to it), not the backoff. */
  expected: boolean;
  /** When this build's POST for it was answered; undefined for a job submitted by an earlier build. */
  submittedAt?: number;
  /** Ms after `submittedAt` of the last request that found it not done (0: none yet). */
  notDoneAge: number;
  /** Ms after `submittedAt` of the last request sent about it, answered or not (0: none yet). */
  askedAge: number;
  /** Requests about it sent and not yet answered: all of them, and those it was due for (not carried along). */
  out: number;
  outDue: number;
  /** Whether it was asked about again before an earlier request about it was answered (once per job). */
  hedged: boolean;
  /** When HeyGen first answered `not_found` for it, with no other answer since (undefined: none). */
  notFoundSince?: number;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

const GROWTH = 1.5;
/** What to do about a job still not known to be finished at the poll timeout. */
const POLL_TIMEOUT_HINT = 'run build again later: it resumes polling this job without submitting it again';
/**
 * How long a job may be `not_found` before it is reported (or until the poll timeout, if shorter). A job just
 * created may take a moment to be visible; one HeyGen still does not know after this is not there (a
 * lockfile from another account's key, a hand-edited id, a deleted render), and waiting for the 40-min
 * timeout, then saying it is still rendering, would repeat on every build.
 */
const NOT_FOUND_GRACE_MS = 60_000;
/** Bulk requests start at least this share of `minMs` apart (200 ms with the default 2 s). */
const GAP = 0.1;
/**
 * Requests about one job out at once: the one at its expected end and one follow-up a moment later,
 * sent without waiting for the first's answer (a round trip late: 50 ms to seconds). Later follow-ups
 * and the backoff wait for an answer.
 */
const MAX_OUT = 2;
/** At most this many requests at once when asking one by one (HeyGen's job cap on most plans). */
const ONE_BY_ONE_MAX = 10;

/** Waits for many HeyGen jobs with one polling loop, so a large build does not poll each job on its own timer. */
export class Poller<T extends Pollable> {
  private readonly waiters = new Map<string, Waiter<T>[]>();
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = -Infinity;
  private readonly now: () => number;
  private readonly times = new RenderTimes();
  private readonly outage: PollOutage;

  constructor(
    private readonly fetchMany: (ids: string[], signal?: AbortSignal) => Promise<T[]>,
    private readonly opts: PollOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.outage = opts.outage ?? new PollOutage(() => undefined, opts.timeoutMs, this.now);
    opts.signal?.addEventListener('abort', () => this.abortAll(), { once: true });
  }

  /** The poller's clock: stamp a submit with it (`wait`'s `submittedAt`). */
  time(): number {
    return this.now();
  }

  /**
   * Resolves with the job once it is completed or failed. `submittedAt` (this poller's `time()` when
   * HeyGen answered the POST): a job this build just submitted, whose render time teaches the poller.
   */
  wait(id: string, submittedAt?: number): Promise<T> {
    if (this.opts.signal?.aborted) return Promise.reject(this.opts.signal.reason);
    return new Promise<T>((resolve, reject) => {
      const t = this.now();
      const list = this.waiters.get(id) ?? [];
      const first = this.opts.once ? 0 : this.opts.minMs;
      const w: Waiter<T> = { id, started: t, interval: this.opts.minMs, nextAt: t + first, expected: false, notDoneAge: 0, askedAge: 0, out: 0, outDue: 0, hedged: false, resolve, reject };
      if (submittedAt !== undefined && !this.opts.once) {
        w.submittedAt = submittedAt;
        this.bringForward(w, t - submittedAt);
      }
      list.push(w);
      this.waiters.set(id, list);
      this.schedule();
    });
  }

  /** The next time worth asking about `w` by what renders here take, after `age` ms since its submit. */
  private expectedAt(w: Waiter<T>, age: number): number {
    if (w.submittedAt === undefined || !this.mayAsk(w)) return Infinity;
    return w.submittedAt + this.times.nextAsk(age, w.interval, w.notDoneAge);
  }

  /**
   * Whether a job may be asked about at its expected end while requests about it are out. Renders of
   * varying length: not before they are answered (the jobs in flight ride along in every request, so
   * one answer is soon back). Regular renders (RenderTimes.regular): a request carrying a job along
   * does not hold back its own ask, and it may be asked once more before that is answered (MAX_OUT).
   */
  private mayAsk(w: Waiter<T>): boolean {
    if (!this.times.regular()) return w.out === 0;
    return w.outDue < (w.hedged ? 1 : MAX_OUT);
  }

  /** Asks about `w` at its expected end (`age` ms after its submit) when that comes before its next ask. */
  private bringForward(w: Waiter<T>, age: number): void {
    const e = this.expectedAt(w, age);
    if (e < w.nextAt) [w.nextAt, w.expected] = [e, true];
  }

  /** Next ask: the backoff's (`backoffAt`; Infinity while a request is out) or the expected end's, whichever is first. */
  private reschedule(w: Waiter<T>, backoffAt: number): void {
    const e = this.expectedAt(w, Math.max(w.notDoneAge, w.askedAge));
    w.expected = e < backoffAt;
    w.nextAt = Math.min(backoffAt, e);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const list of this.waiters.values()) for (const w of list) next = Math.min(next, w.nextAt);
    if (next === Infinity) return;
    // Jobs submitted together end together: once render times are learned, a request waits for those
    // expected within GAP after the first (no second request could follow sooner), rather than ask
    // them early and again a GAP later.
    let at = next;
    const hold = this.times.bounds() ? this.opts.minMs * GAP : 0;
    for (const list of this.waiters.values()) for (const w of list) if (w.expected && w.nextAt <= next + hold) at = Math.max(at, w.nextAt);
    // Requests may overlap (a job due while another request is out is not kept waiting for its answer),
    // but never start closer together than GAP of the shortest interval.
    at = Math.max(at, this.lastSentAt + this.opts.minMs * GAP);
    this.timer = setTimeout(() => void this.tick(), Math.max(0, at - this.now()));
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    const now = this.now();
    const all = [...this.waiters.keys()];
    const nextAt = (id: string): number => Math.min(...this.waiters.get(id)!.map((w) => w.nextAt));
    let due = all.filter((id) => nextAt(id) <= now);
    const single = due.length > 0 && due.length <= ONE_BY_ONE_MAX && this.opts.oneByOne?.() === true;
    if (!single && this.opts.piggyback && due.length > 0 && due.length % this.opts.batch !== 0) {
      const room = this.opts.batch - (due.length % this.opts.batch);
      const rest = all.filter((id) => nextAt(id) > now).sort((a, b) => nextAt(a) - nextAt(b));
      due = due.concat(rest.slice(0, room));
    }
    if (due.length > 0) this.lastSentAt = now;
    // Asked now: the backoff waits for the answer. A job asked because it was due may be asked once more
    // before that answer (MAX_OUT); one only carried along does not count against that.
    const counted = new Set<Waiter<T>>();
    for (const id of due) {
      for (const w of this.waiters.get(id)!) {
        w.out++;
        if (w.nextAt <= now) {
          if (w.outDue > 0) w.hedged = true;
          w.outDue++;
          counted.add(w);
        }
        if (w.submittedAt !== undefined) w.askedAge = Math.max(w.askedAge, now - w.submittedAt);
        this.reschedule(w, Infinity);
      }
    }
    this.schedule();
    try {
      if (single) await Promise.all(due.map((id) => this.ask([id], counted)));
      else for (let i = 0; i < due.length && !this.opts.signal?.aborted; i += this.opts.batch) await this.ask(due.slice(i, i + this.opts.batch), counted);
      if (this.opts.signal?.aborted) return;
      // What was just learned may bring other jobs' expected finish forward.
      for (const list of this.waiters.values()) for (const w of list) this.bringForward(w, Math.max(w.notDoneAge, w.askedAge));
    } finally {
      this.schedule();
    }
  }

  /** One request about `ids`: settles what it learned; a transient failure leaves them to be asked again. */
  private async ask(ids: string[], counted: ReadonlySet<Waiter<T>>): Promise<void> {
    const sentAt = this.now();
    let answers: T[];
    try {
      answers = await this.fetchMany(ids, this.opts.signal);
    } catch (e) {
      if (this.opts.signal?.aborted) return;
      // HeyGen down or overloaded past the client's retries: the jobs are paid and in flight, keep asking.
      if (isTransientPollError(e)) {
        this.outage.failed(this, outageReason(e), sentAt, this.waiting(), this.opts.once === true);
        for (const id of ids) this.unanswered(id, counted);
        return;
      }
      // What is left (401, 402, 403, another 4xx) is not fixed by waiting: it ends every wait.
      for (const id of ids) this.settle(id, counted, undefined, e);
      return;
    }
    this.outage.answered(this);
    const byId = new Map(answers.map((a) => [a.id, a]));
    for (const id of ids) this.settle(id, counted, byId.get(id), undefined, sentAt);
  }

  private settle(id: string, counted: ReadonlySet<Waiter<T>>, answer: T | undefined, error?: unknown, sentAt = this.now()): void {
    this.each(id, counted, (w, now) => {
      if (error !== undefined) w.reject(error);
      else if (answer && (answer.status === 'completed' || answer.status === 'failed')) {
        if (w.submittedAt !== undefined && answer.status === 'completed') this.times.add(w.notDoneAge, sentAt - w.submittedAt);
        w.resolve(answer);
      } else if (this.opts.once) w.reject(new Detached(answer?.status === 'not_found' ? 'not_found' : answer?.status === 'running' ? 'running' : 'queued'));
      else if (answer && this.notFoundTooLong(w, answer, now)) {
        w.reject(
          new HeygenBuildError('E_HEYGEN_NOT_FOUND', `HeyGen does not know ${id} (not_found for ${Math.round((now - w.notFoundSince!) / 1000)} s)`, {
            hint: 'the lockfile may come from another HeyGen account (another API key) or the render was deleted: use that key, or `heygen-build build --replace <video id>` to render it again (paid)',
          }),
        );
      } else if (now - w.started >= this.opts.timeoutMs) {
        w.reject(new HeygenBuildError('E_POLL_TIMEOUT', `${id} is still rendering after ${Math.round((now - w.started) / 1000)} s`, { hint: POLL_TIMEOUT_HINT }));
      } else {
        // Unknown, queued, running or not yet visible: keep waiting, a little longer each time.
        if (w.submittedAt !== undefined) w.notDoneAge = Math.max(w.notDoneAge, sentAt - w.submittedAt);
        this.backOff(w, now);
        return true;
      }
      return false;
    });
  }

  /**
   * A request about `id` came back (answered or not): `decide` settles each of its waiters, returning
   * true for those that keep waiting.
   */
  private each(id: string, counted: ReadonlySet<Waiter<T>>, decide: (w: Waiter<T>, now: number) => boolean): void {
    const list = this.waiters.get(id);
    if (!list) return;
    const now = this.now();
    const keep = list.filter((w) => {
      w.out--;
      if (counted.has(w)) w.outDue--;
      return decide(w, now);
    });
    if (keep.length > 0) this.waiters.set(id, keep);
    else this.waiters.delete(id);
  }

  /** Asks about `w` again a little later than last time (or at its expected end, if sooner). */
  private backOff(w: Waiter<T>, now: number): void {
    w.interval = Math.min(this.opts.maxMs, w.interval * GROWTH);
    this.reschedule(w, now + w.interval);
  }

  /** Jobs waited for (each id once). */
  private waiting(): number {
    return this.waiters.size;
  }

  /**
   * A poll about `id` failed with a transient error: nothing was learned about the job, so it is asked
   * again after its backoff, until its timeout. A detached run (`once`) leaves it to a later build.
   */
  private unanswered(id: string, counted: ReadonlySet<Waiter<T>>): void {
    this.each(id, counted, (w, now) => {
      if (this.opts.once) w.reject(new Detached('unknown'));
      else if (now - w.started >= this.opts.timeoutMs) {
        const s = Math.round((now - w.started) / 1000);
        const why = `HeyGen's status polls have failed for the last ${this.outage.seconds() ?? 0} s (${this.outage.reason})`;
        w.reject(new HeygenBuildError('E_POLL_TIMEOUT', `${id} is not known to be finished after ${s} s: ${why}`, { hint: POLL_TIMEOUT_HINT }));
      } else {
        this.backOff(w, now);
        return true;
      }
      return false;
    });
  }

  /** Tracks `not_found` answers: true once they have lasted NOT_FOUND_GRACE_MS, or the job reached its timeout with one. */
  private notFoundTooLong(w: Waiter<T>, answer: T, now: number): boolean {
    if (answer.status !== 'not_found') {
      delete w.notFoundSince;
      return false;
    }
    w.notFoundSince ??= now;
    // At the timeout, a job HeyGen last said it does not know is that, not one "still rendering".
    return now - w.notFoundSince >= NOT_FOUND_GRACE_MS || now - w.started >= this.opts.timeoutMs;
  }

  private abortAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const list of this.waiters.values()) for (const w of list) w.reject(this.opts.signal?.reason);
    this.waiters.clear();
  }
}
