/**
 * A remote job's render slots and its wait, in a normal build and a detached one (detach.ts).
 *
 * HeyGen's concurrency cap counts unfinished jobs, so a detached job keeps its slot: a job that finds
 * no free slot is not sent (HeyGen would answer 429 until a render ends), and a later build sends it.
 */
import type { RunContext } from './context.js';
import { Deferred, Detached, expectedBy } from './detach.js';

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
