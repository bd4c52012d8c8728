/**
 * `build --detach` and the webhook receiver's collect runs: a render is not waited for. A job already
 * submitted is asked about once (bulk statuses); one still rendering is announced with its expected
 * end and left to HeyGen, recorded as `submitted` in the lockfile, for a later build to collect.
 *
 * HeyGen's concurrency cap counts unfinished jobs, so a detached job keeps its slot: a job that finds
 * no free slot is not sent (HeyGen would answer 429 until a render ends), and a later build sends it.
 */
import type { RunContext } from './context.js';

/** Why a run does not wait: `submit` (build --detach) sends what it may; `collect` (the receiver) sends nothing. */
export type DetachMode = 'submit' | 'collect';

/** A job left rendering at HeyGen; the lockfile records it as submitted. */
export class Detached extends Error {
  override name = 'Detached';
  /** `unknown`: HeyGen's status poll failed (an outage); the job is recorded as submitted all the same. */
  constructor(readonly remoteStatus: 'queued' | 'running' | 'not_found' | 'unknown' = 'queued') {
    super('left rendering at HeyGen');
  }
}

/** A job not sent in a detached run: HeyGen's concurrency cap is full, or its source is still rendering. */
export class Deferred extends Error {
  override name = 'Deferred';
  constructor(reason: string) {
    super(reason);
  }
}

/** True for the two outcomes a detached run reports instead of failures. */
export function isDetachOutcome(e: unknown): e is Detached | Deferred {
  return e instanceof Detached || e instanceof Deferred;
}

/**
 * A rough end time for a job HeyGen just accepted. HeyGen's guidance is 5-15 minutes per render
 * (longer for 4K and precision translations); we say 5 minutes plus 10 s per second of output.
 */
export function expectedBy(seconds: number | undefined, now = Date.now()): string {
  const s = Math.max(1, seconds ?? 30);
  return new Date(now + (300 + 10 * s) * 1000).toISOString();
}

/**
 * Takes `n` render slots for `label`: waiting in a normal build; at once or not at all (Deferred, said
 * as a warning) in a detached one. A job already in flight (`inFlight`) is only asked about there, so it
 * goes on without a slot (0) rather than wait for one.
 */
export async function takeSlots(ctx: RunContext, n: number, label: string, inFlight = false): Promise<number> {
  if (!ctx.detach) return ctx.slots.acquire(n, ctx.soft);
  const got = ctx.slots.tryAcquire(n);
  if (got > 0 || inFlight) return got;
  const reason = `not sent: HeyGen's concurrency cap (${ctx.slots.size}) is full of renders in flight; a later build sends it`;
  if (ctx.detach === 'submit') ctx.emit({ type: 'warning', message: `${label}: ${reason}` });
  throw new Deferred(reason);
}

/** What a detached run says about one job it leaves rendering. */
export interface DetachedJob {
  /** The item label: `video`, `video#2` (a scene clip), `video@es` (a translation). */
  id: string;
  kind: 'video' | 'clip' | 'translation';
  remoteId: string;
  /** Seconds of output, for the expected end. */
  seconds?: number;
}

/**
 * Waits for a remote job, or in a detached run asks once: a job submitted by this very run is not
 * asked about at all (it cannot be done yet). Emits `detached` and throws Detached when it is not done.
 */
export async function awaitJob<T extends { status: string }>(
  ctx: RunContext,
  job: DetachedJob,
  wait: (id: string) => Promise<T>,
  justSubmitted: boolean,
): Promise<T> {
  if (ctx.detach && justSubmitted) throw announce(ctx, job, new Detached('queued'));
  try {
    return await wait(job.remoteId);
  } catch (e) {
    if (e instanceof Detached) throw announce(ctx, job, e);
    throw e;
  }
}

function announce(ctx: RunContext, job: DetachedJob, e: Detached): Detached {
  ctx.emit({ type: 'detached', id: job.id, kind: job.kind, remoteId: job.remoteId, remoteStatus: e.remoteStatus, expectedBy: expectedBy(job.seconds) });
  return e;
}
