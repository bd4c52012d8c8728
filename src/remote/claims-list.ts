/**
 * Reading and freeing the store's claims, for `heygen-build claims`, `status --remote` and `plan`:
 * who holds which key, since when, whether it is alive, and (terraform's force-unlock) a way to free a
 * claim whose holder died before HeyGen answered it.
 */
import { HeygenBuildError } from '../errors.js';
import type { Lockfile } from '../model/lock.js';
import { mapLimit } from '../util/limit.js';
import { claimState, jobName, parseClaim, withinKeyWindow, type Claim, type ClaimState } from './claims.js';
import { claimKey, recordKey } from './layout.js';
import type { RemoteStore } from './store.js';

/** Store requests at once while reading claims. */
const READ_LIMIT = 16;

/** One claim of the store, as `heygen-build claims --json` prints it. */
export interface ClaimRow {
  key: string;
  /** What the claim stands for in this lockfile: `video`, `video@lang`, `video@lang (proofread)`, `clip`; empty when nothing here. */
  ids: string[];
  /** `finished`: the key has its record (the claim is a harmless leftover). */
  state: ClaimState | 'finished';
  job: string;
  host?: string;
  pid?: number;
  ci?: string;
  /** When the key was claimed, and the holder's last heartbeat (ISO 8601). */
  at: string;
  heartbeat?: string;
  remoteId?: string;
  idempotencyKey: string;
  attempt: number;
  released?: { at: string; by: string };
  /** Seconds since the holder was last seen (its heartbeat, else its claim). */
  idleSeconds: number;
}

/** The content keys of `lock`, each with the ids that use it (pending intents included: those are what claims are for). */
export function idsByKey(lock: Lockfile): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (key: string | undefined, id: string): void => {
    if (key) m.set(key, [...(m.get(key) ?? []), id]);
  };
  for (const [id, v] of Object.entries(lock.videos)) {
    add(v.key, id);
    for (const [lang, t] of Object.entries(v.translations)) add(t.key, `${id}@${lang}`);
    for (const [lang, p] of Object.entries(v.proofreads ?? {})) add(p.key, `${id}@${lang} (proofread)`);
  }
  for (const key of Object.keys(lock.clips ?? {})) add(key, 'clip');
  return m;
}

function row(c: Claim, finished: boolean, ids: string[], now: number): ClaimRow {
  const seen = Date.parse(c.heartbeat ?? c.at);
  return {
    key: c.key,
    ids,
    state: finished ? 'finished' : claimState(c, now),
    job: c.job,
    ...(c.host !== undefined ? { host: c.host } : {}),
    ...(c.pid !== undefined ? { pid: c.pid } : {}),
    ...(c.ci !== undefined ? { ci: c.ci } : {}),
    at: c.at,
    ...(c.heartbeat !== undefined ? { heartbeat: c.heartbeat } : {}),
    ...(c.remoteId !== undefined ? { remoteId: c.remoteId } : {}),
    idempotencyKey: c.idempotencyKey,
    attempt: c.attempt,
    ...(c.released ? { released: c.released } : {}),
    idleSeconds: Number.isFinite(seen) ? Math.max(0, Math.round((now - seen) / 1000)) : 0,
  };
}

/** The content key a `claims/<key>` object is for; undefined for anything else (the conditional-write probe). */
function keyOfClaim(objectKey: string): string | undefined {
  const m = /^claims\/([^/.][^/]*)$/.exec(objectKey);
  return m?.[1];
}

/**
 * The store's claims: those whose key has no record yet (in flight, or stuck), or all with `all`.
 * One listing of claims/ (short: a claim is removed once its record is pushed), then a GET of each
 * claim and a HEAD of its record, side by side. `keys`: only these.
 */
export async function readClaims(store: RemoteStore, opts: { all?: boolean; keys?: ReadonlySet<string>; lock?: Lockfile; signal?: AbortSignal } = {}): Promise<ClaimRow[]> {
  const claimed: string[] = [];
  for await (const o of store.list('claims/', opts.signal)) {
    const k = keyOfClaim(o);
    if (k !== undefined && (!opts.keys || opts.keys.has(k))) claimed.push(k);
  }
  const ids = opts.lock ? idsByKey(opts.lock) : new Map<string, string[]>();
  const now = Date.now();
  const rows: ClaimRow[] = [];
  await mapLimit(claimed, READ_LIMIT, async (k) => {
    const [bytes, finished] = await Promise.all([store.get(claimKey(k), opts.signal), store.has(recordKey(k), opts.signal)]);
    const c = parseClaim(bytes, k);
    if (c && (opts.all || !finished)) rows.push(row(c, finished, ids.get(k) ?? [], now));
  });
  return rows.sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
}

/** What `claims release` did to one claim: marked free for the next build to take over, or deleted. */
export interface Released {
  key: string;
  /** The claim's state before. */
  state: ClaimRow['state'];
  action: 'released' | 'deleted';
}

/** Finds the claim `ref` names: a content key, a unique prefix of one (8 characters or more), or a HeyGen id. */
function resolveRef(store: RemoteStore, ref: string, rows: ClaimRow[]): ClaimRow {
  const exact = rows.find((r) => r.key === ref || r.remoteId === ref);
  if (exact) return exact;
  const byPrefix = ref.length >= 8 ? rows.filter((r) => r.key.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  const why = byPrefix.length > 1 ? `names ${byPrefix.length} claims (${byPrefix.map((r) => r.key.slice(0, 12)).join(', ')}): give more of the key` : 'names no claim';
  throw new HeygenBuildError('E_CLAIM_NOT_FOUND', `${store.display}: "${ref}" ${why}`);
}

/**
 * Frees the claims `refs` name. A claim whose key has its record is deleted (it stops nothing). A
 * stale one is marked released: the next build takes it over with the holder's Idempotency-Key, so a
 * POST the holder did send is answered with its job instead of paid twice. A live or submitted claim,
 * or one older than HeyGen's Idempotency-Key window, is refused (E_CLAIM_HELD) unless `force`, which
 * deletes it outright.
 */
export async function releaseClaims(store: RemoteStore, refs: readonly string[], opts: { force?: boolean; signal?: AbortSignal } = {}): Promise<Released[]> {
  const rows = await readClaims(store, { all: true, ...(opts.signal ? { signal: opts.signal } : {}) });
  const targets = refs.map((ref) => resolveRef(store, ref, rows));
  const out: Released[] = [];
  for (const r of targets) {
    if (r.state === 'finished' || opts.force) {
      await store.delete(claimKey(r.key));
      out.push({ key: r.key, state: r.state, action: 'deleted' });
      continue;
    }
    if (r.state === 'released') {
      out.push({ key: r.key, state: r.state, action: 'released' });
      continue;
    }
    const c = parseClaim(await store.get(claimKey(r.key), opts.signal), r.key);
    if (!c) continue;
    refuseHeld(store, r, c);
    await store.put(claimKey(r.key), JSON.stringify({ ...c, released: { at: new Date().toISOString(), by: jobName() } } satisfies Claim));
    out.push({ key: r.key, state: r.state, action: 'released' });
  }
  return out;
}

/** Throws E_CLAIM_HELD for a claim `release` must not free without --force. */
function refuseHeld(store: RemoteStore, r: ClaimRow, c: Claim): void {
  const who = `${store.display}: claim ${r.key.slice(0, 12)} (${r.ids.join(', ') || 'not in this lockfile'}) is held by ${c.job} since ${c.at}`;
  const state = claimState(c);
  if (state === 'submitted') {
    throw new HeygenBuildError('E_CLAIM_HELD', `${who}, and HeyGen is rendering it (${c.remoteId}): a build adopts that job`, {
      hint: 'nothing to free: build again to adopt it. --force deletes the claim, and a machine that has not seen it may then pay for the key again',
    });
  }
  if (state === 'live') {
    throw new HeygenBuildError('E_CLAIM_HELD', `${who}, which was alive ${r.idleSeconds} s ago and is still waiting for HeyGen's answer`, {
      hint: 'wait for it (a claim goes stale 10 minutes after its last heartbeat); --force deletes it now, and a second machine may then pay for the key too',
    });
  }
  if (!withinKeyWindow(c)) {
    throw new HeygenBuildError('E_CLAIM_HELD', `${who}, more than 23 h ago: HeyGen's Idempotency-Key window has passed, so a takeover could pay a second time if it did send the POST`, {
      hint: 'check the HeyGen dashboard for a render of it; then run `heygen-build claims release <key> --force` and build again',
    });
  }
}
