/**
 * Claims: before a paid POST, a build writes `claims/<content key>` with a conditional write, so two
 * machines about to pay for one key find out. The loser adopts the winner's job: it waits for the
 * remote id the winner adds to its claim and polls that, never submitting again.
 *
 * A claim names its holder (host, pid, CI job) and, until HeyGen answered, carries a heartbeat. One
 * with no remote id whose heartbeat stopped for `CLAIM_TTL_MS` is stale: its holder probably died
 * between claiming and recording HeyGen's answer, and it may have sent the POST. Such a claim is never
 * taken over silently; with an explicit `build --take-over-stale` (or once `claims release` marked it)
 * the taker sends the holder's own Idempotency-Key, which HeyGen answers with the holder's job if it
 * was sent, as long as the claim is within HeyGen's 24-hour Idempotency-Key window.
 */
import { hostname } from 'node:os';
import { claimKey, recordKey } from './layout.js';
import type { RemoteStore } from './store.js';

/** No heartbeat for this long, and no remote id: the claim is stale (its holder probably died). */
export const CLAIM_TTL_MS = 10 * 60_000;
/** How often a holder still waiting for HeyGen's answer refreshes its claim's heartbeat. */
export const HEARTBEAT_MS = 60_000;
/**
 * HeyGen replays a repeated Idempotency-Key for 24 h; an hour of margin for clocks and slow POSTs.
 * Past it, a stale claim is not taken over by a build: its key might no longer protect against a second charge.
 */
export const TAKEOVER_WINDOW_MS = 23 * 3600_000;

/** Who is rendering a key, and (once HeyGen answered) its remote id. */
export interface Claim {
  version: 1;
  key: string;
  /** The Idempotency-Key the claimant sends: an adopter without a remote id sends the same one. */
  idempotencyKey: string;
  attempt: number;
  /** host, pid and, in CI, the job: who to look for (the fields below, as one line). */
  job: string;
  host?: string;
  pid?: number;
  /** The CI run and job, when there is one (GitHub Actions: run id and job name). */
  ci?: string;
  remoteId?: string;
  /** When the key was claimed (ISO 8601). */
  at: string;
  /** Last sign of life from the holder while it waited for HeyGen's answer (ISO 8601). */
  heartbeat?: string;
  /** `heygen-build claims release` freed it: the next build takes it over with its Idempotency-Key. */
  released?: { at: string; by: string };
}

/** Who this process is, as a claim names it. */
export interface Holder {
  job: string;
  host: string;
  pid: number;
  ci?: string;
}

/** This process, as a claim names it. */
export function holder(env: NodeJS.ProcessEnv = process.env): Holder {
  const ci = env.GITHUB_RUN_ID ? `GitHub run ${env.GITHUB_RUN_ID}${env.GITHUB_JOB ? ` job ${env.GITHUB_JOB}` : ''}` : undefined;
  const host = hostname();
  return { job: `${host}:${process.pid}${ci ? ` (${ci})` : ''}`, host, pid: process.pid, ...(ci ? { ci } : {}) };
}

/** This process's name in a claim (`host:pid (GitHub run … job …)`). */
export function jobName(env: NodeJS.ProcessEnv = process.env): string {
  return holder(env).job;
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

/**
 * Where a claim stands: `submitted` (HeyGen answered: adopt its id), `live` (its holder is still
 * waiting for HeyGen), `stale` (no heartbeat for CLAIM_TTL_MS: the holder probably died), `released`
 * (freed by `claims release`: the next build takes it over).
 */
export type ClaimState = 'submitted' | 'live' | 'stale' | 'released';

/** The state of `c` at `now`. */
export function claimState(c: Claim, now = Date.now()): ClaimState {
  if (c.remoteId) return 'submitted';
  if (c.released) return 'released';
  const beat = Date.parse(c.heartbeat ?? c.at);
  return Number.isFinite(beat) && now - beat <= CLAIM_TTL_MS ? 'live' : 'stale';
}

/** Whether a stale claim is still within HeyGen's Idempotency-Key window, so that its key protects a takeover. */
export function withinKeyWindow(c: Claim, now = Date.now()): boolean {
  const at = Date.parse(c.at);
  return Number.isFinite(at) && now - at < TAKEOVER_WINDOW_MS;
}

/**
 * What claiming a key found: it is ours now, or someone else's job (with its remote id when known).
 * `recorded`: ours, but the key's record appeared since the caller looked (a claim is removed once its
 * record is pushed, so a late claimant can win it): restore, do not pay.
 */
export type ClaimResult = { mine: true; recorded?: true } | { mine: false; claim: Claim };

function fresh(c: Omit<Claim, 'version' | 'at' | 'job'>, now = new Date()): Claim {
  const h = holder();
  return { version: 1, ...c, ...h, at: now.toISOString(), heartbeat: now.toISOString() };
}

/** Claims `key` for this job; when it is taken, returns the holder's claim. */
export async function claim(store: RemoteStore, c: Omit<Claim, 'version' | 'at' | 'job'>): Promise<ClaimResult> {
  const mine = fresh(c);
  if (await store.putIfAbsent(claimKey(c.key), JSON.stringify(mine))) return won(store, c.key);
  const held = parseClaim(await store.get(claimKey(c.key)), c.key);
  // A claim of an earlier attempt (that render failed) is replaced: this attempt has its own key.
  if (!held || held.attempt < c.attempt) {
    await store.put(claimKey(c.key), JSON.stringify(mine));
    return won(store, c.key);
  }
  // Idempotency-Keys are derived from the content key, so another machine's claim can carry ours: only
  // the caller knows (from its own journal) whether this intent is its own.
  return { mine: false, claim: held };
}

/** A claim just won: unless the key's record was pushed (and its claim removed) since the caller looked it up. */
async function won(store: RemoteStore, key: string): Promise<ClaimResult> {
  if (!(await store.has(recordKey(key)))) return { mine: true };
  await store.delete(claimKey(key));
  return { mine: true, recorded: true };
}

/**
 * Makes `held` ours (a resumed build of our own intent, or a takeover): same Idempotency-Key and
 * attempt, this process as holder, a fresh heartbeat. A recorded remote id is kept.
 */
export async function retake(store: RemoteStore, held: Claim): Promise<Claim> {
  const now = new Date().toISOString();
  const { released: _released, ...rest } = held;
  const mine: Claim = { ...rest, ...holder(), at: held.remoteId ? held.at : now, heartbeat: now };
  await store.put(claimKey(held.key), JSON.stringify(mine));
  return mine;
}

/** Adds the remote id to our claim, so an adopter can poll it. */
export async function recordClaimId(store: RemoteStore, key: string, remoteId: string): Promise<void> {
  const held = parseClaim(await store.get(claimKey(key)), key);
  if (!held) return;
  await store.put(claimKey(key), JSON.stringify({ ...held, remoteId }));
}

/** Whether `c` was made by a process of this machine that is gone (killed, or ended without recording an id). */
export function holderGone(c: Claim): boolean {
  if (c.host !== hostname() || c.pid === undefined || c.pid === process.pid) return false;
  try {
    process.kill(c.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Refreshes the heartbeat of our claim while HeyGen has not answered. False once it has an id or is someone else's. */
export async function beat(store: RemoteStore, key: string): Promise<boolean> {
  const held = parseClaim(await store.get(claimKey(key)), key);
  if (!held || held.remoteId || held.pid !== process.pid || held.host !== hostname()) return false;
  await store.put(claimKey(key), JSON.stringify({ ...held, heartbeat: new Date().toISOString() }));
  return true;
}

/**
 * Waits for a held claim to get its remote id (or for its record to appear): polled every `everyMs`,
 * up to `forMs`, or until the claim turns stale or released (its holder will not record one). The
 * claim as last read is returned either way.
 */
export async function awaitClaimId(store: RemoteStore, held: Claim, opts: { everyMs: number; forMs: number; signal?: AbortSignal }): Promise<{ claim: Claim; recorded: boolean }> {
  const deadline = Date.now() + opts.forMs;
  let c = held;
  for (;;) {
    if (c.remoteId) return { claim: c, recorded: false };
    if (await store.has(recordKey(c.key), opts.signal)) return { claim: c, recorded: true };
    if (claimState(c) !== 'live' || Date.now() >= deadline || opts.signal?.aborted) return { claim: c, recorded: false };
    await new Promise((r) => setTimeout(r, opts.everyMs));
    c = parseClaim(await store.get(claimKey(c.key), opts.signal), c.key) ?? c;
  }
}
