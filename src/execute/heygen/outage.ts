/**
 * Status polls through a HeyGen outage. A render in flight is already paid and journaled as `submitted`:
 * a poll that fails for a while (5xx, resets, timeouts, a 429 storm) says nothing about the render, so
 * the poller keeps asking, with its backoff, until the poll's own timeout, instead of failing the item
 * (and CI) for a blip. The HTTP client retries each request first; what reaches here is what outlasted
 * those retries. Users hear of it once when it starts and once when it ends, not at every failed poll.
 */
import { HeygenBuildError } from '../../errors.js';

/**
 * How a poller's status GETs are sent: two attempts, not the client's six. One quick retry absorbs a
 * dropped connection unnoticed; past it, the poller's own backoff (`heygen.poll`) asks again, rather than
 * retries inside retries, and the outage warning comes at its start, not ~8 s (or 6 request timeouts) in.
 */
export const POLL_READ = { attempts: 2 } as const;

/** Failures that say HeyGen is down or overloaded for now, not that the request is wrong (401, 403, 4xx). */
export function isTransientPollError(e: unknown): e is HeygenBuildError {
  return e instanceof HeygenBuildError && (e.code === 'E_HEYGEN_UNAVAILABLE' || e.code === 'E_HEYGEN_RATE_LIMITED');
}

/** A failed poll's reason for a message: the client's "gave up after N attempts" is not the poller's last word. */
export function outageReason(e: HeygenBuildError): string {
  return e.message.replace(/\s*\((?:gave up after \d+ attempts)\)\s*$/, '');
}

/**
 * One build's view of whether HeyGen's status polls are failing, shared by its pollers (videos,
 * translations, Video Agent sessions) so an outage is one warning, not one per poller or per attempt.
 */
export class PollOutage {
  private since: number | undefined;
  private last = '';
  /** The pollers whose last poll failed: the outage ends when every one of them is answered again. */
  private readonly failing = new Set<object>();

  constructor(
    private readonly warn: (message: string) => void,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `poller`'s poll about `waiting` jobs, sent at `sentAt`, failed with a transient error. `once`: a
   * detached run, which asks once and leaves the jobs to a later build instead of polling on.
   */
  failed(poller: object, reason: string, sentAt: number, waiting: number, once = false): void {
    this.last = reason;
    this.failing.add(poller);
    if (this.since !== undefined) return;
    this.since = sentAt;
    const jobs = waiting === 1 ? '1 job' : `${waiting} jobs`;
    if (once) {
      this.warn(`HeyGen status polls failing (${reason}): ${jobs} in flight left rendering with status unknown (already paid, recorded in the lockfile); a later build collects them`);
      return;
    }
    this.warn(
      `HeyGen status polls failing (${reason}): still waiting for ${jobs} in flight (already paid, recorded in the lockfile); polling goes on with backoff for up to heygen.poll.timeoutMs (${minutes(this.timeoutMs)}) per job`,
    );
  }

  /** `poller`'s poll was answered: the outage is over once no poller's last poll failed. */
  answered(poller: object): void {
    if (!this.failing.delete(poller) || this.failing.size > 0) return;
    const s = this.seconds();
    if (s === undefined) return;
    this.since = undefined;
    this.warn(`HeyGen answers status polls again, after ${s} s of failures (last: ${this.last})`);
  }

  /** Seconds the current outage has lasted, or undefined when polls are being answered. */
  seconds(): number | undefined {
    return this.since === undefined ? undefined : Math.max(0, Math.round((this.now() - this.since) / 1000));
  }

  /** The last failure's reason. */
  get reason(): string {
    return this.last;
  }
}

function minutes(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
