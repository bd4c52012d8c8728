/**
 * Claims: before a paid POST, a build writes `claims/<content key>` with a conditional write, so two
 * machines about to pay for one key find out. The loser adopts the winner's job: it waits for the
 * remote id the winner adds to its claim and polls that, never submitting again.
 */
import { hostname } from 'node:os';
import { claimKey, recordKey } from './layout.js';
import type { RemoteStore } from './store.js';

/** Who is rendering a key, and (once HeyGen answered) its remote id. */
export interface Claim {
  version: 1;
  key: string;
  /** The Idempotency-Key the claimant sends: an adopter without a remote id sends the same one. */
  idempotencyKey: string;
  attempt: number;
  /** host, pid and, in CI, the job: who to look for. */
  job: string;
  remoteId?: string;
  at: string;
}

/** This process, as a claim names it. */
export function jobName(env: NodeJS.ProcessEnv = process.env): string {
  const ci = env.GITHUB_RUN_ID ? ` (GitHub run ${env.GITHUB_RUN_ID}${env.GITHUB_JOB ? ` job ${env.GITHUB_JOB}` : ''})` : '';
  return `${hostname()}:${process.pid}${ci}`;
}

/** Parses a stored claim; undefined when damaged. */
export function parseClaim(bytes: Buffer | undefined, key: string): Claim | undefined {
  if (!bytes) return undefined;
  try {
    const c = JSON.parse(bytes.toString('utf8')) as Partial<Claim>;
    return c.version === 1 && c.key === key && typeof c.idempotencyKey === 'string' ? (c as Claim) : undefined;
  } catch {
    return undefined;
  }
}

/** What claiming a key found: it is ours now, or someone else's job (with its remote id when known). */
export type ClaimResult = { mine: true } | { mine: false; claim: Claim };

/** Claims `key` for this job; when it is taken, returns the holder's claim. */
export async function claim(store: RemoteStore, c: Omit<Claim, 'version' | 'at' | 'job'>): Promise<ClaimResult> {
  const mine: Claim = { version: 1, ...c, job: jobName(), at: new Date().toISOString() };
  if (await store.putIfAbsent(claimKey(c.key), JSON.stringify(mine))) return { mine: true };
  const held = parseClaim(await store.get(claimKey(c.key)), c.key);
  // A claim of an earlier attempt (that render failed) is replaced: this attempt has its own key.
  if (!held || held.attempt < c.attempt) {
    await store.put(claimKey(c.key), JSON.stringify(mine));
    return { mine: true };
  }
  // Idempotency-Keys are derived from the content key, so another machine's claim can carry ours: only
  // the caller knows (from its own journal) whether this intent is its own.
  return { mine: false, claim: held };
}

/** Adds the remote id to our claim, so an adopter can poll it. */
export async function recordClaimId(store: RemoteStore, key: string, remoteId: string): Promise<void> {
  const held = parseClaim(await store.get(claimKey(key)), key);
  if (!held) return;
  await store.put(claimKey(key), JSON.stringify({ ...held, remoteId }));
}

/**
 * Waits for a held claim to get its remote id (or for its record to appear): polled every `everyMs`,
 * up to `forMs`. The claim as last read is returned either way.
 */
export async function awaitClaimId(store: RemoteStore, held: Claim, opts: { everyMs: number; forMs: number; signal?: AbortSignal }): Promise<{ claim: Claim; recorded: boolean }> {
  const deadline = Date.now() + opts.forMs;
  let c = held;
  for (;;) {
    if (c.remoteId) return { claim: c, recorded: false };
    if (await store.has(recordKey(c.key), opts.signal)) return { claim: c, recorded: true };
    if (Date.now() >= deadline || opts.signal?.aborted) return { claim: c, recorded: false };
    await new Promise((r) => setTimeout(r, opts.everyMs));
    c = parseClaim(await store.get(claimKey(c.key), opts.signal), c.key) ?? c;
  }
}
