/**
 * `build --detach` and the webhook receiver's collect runs: a render is not waited for. A job already
 * submitted is asked about once (bulk statuses); one still rendering is announced with its expected
 * end and left to HeyGen, recorded as `submitted` in the lockfile, for a later build to collect.
 * This file is the words for it (the mode, the outcomes); a job's slots and wait are in job-wait.ts.
 */

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
