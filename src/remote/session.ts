/**
 * The remote store as one build uses it: look a key's record up before paying, restore files from it,
 * claim keys, and push what was rendered (journaled, in the background, a few at a time). A store that
 * cannot be reached never fails the build: lookups answer "not there" and pushes stay pending.
 */
import { resolve } from 'node:path';
import { HeygenBuildError } from '../errors.js';
import { errorInfo } from '../execute/failure.js';
import { sha256File } from '../fsx/digest.js';
import type { EventSink } from '../execute/events.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Plan } from '../model/plan.js';
import { StoreBudget } from './budget.js';
import { Semaphore } from '../util/limit.js';
import { pullBlob } from './blobs.js';
import { awaitClaimId, beat, claim, claimState, HEARTBEAT_MS, holderGone, recordClaimId, retake, withinKeyWindow, type Claim } from './claims.js';
import { isUnreachable } from './errors.js';
import { journalPush, pendingPushes, type PendingPush } from './journal.js';
import { blobKey, recordKey } from './layout.js';
import { TransferMeter } from './meter.js';
import { openStore } from './open.js';
import { pushPending } from './push.js';
import { parseRecord, type RemoteRecord } from './record.js';
import type { RemoteStore } from './store.js';

/** Transfers at once: enough to fill a link with small clips, few enough to keep memory flat. */
export const TRANSFER_CONCURRENCY = 4;
/**
 * Store requests at once, lookups included. A build of 1,000 videos asks for 2,000 records at once:
 * unbounded, they queued behind the HTTP client's sockets until its connection timeout, and the store
 * was taken for unreachable.
 */
export const REQUEST_CONCURRENCY = 16;

/** What the remote did for a build, for its closing message. */
export interface RemoteSummary {
  pulled: number;
  pushed: number;
  pending: number;
}

/** How a build treats other machines' claims. */
export interface ClaimOptions {
  /**
   * `build --take-over-stale`: a stale claim (no remote id, no heartbeat for CLAIM_TTL_MS) is taken
   * over with its holder's Idempotency-Key, within HeyGen's 24-hour window. Without it, such a key is
   * not sent by this build (only a claim that `claims release` freed is taken over).
   */
  takeOverStale?: boolean;
}

/**
 * Why a claimed key is not sent by this build: its holder is still waiting for HeyGen's answer
 * (`live`), is probably dead (`stale`: take it over with --take-over-stale), claimed it too long ago
 * for its Idempotency-Key to protect a takeover (`window`), or sent it in a group of languages that
 * this build cannot resend alone (`group`).
 */
export type HeldReason = 'live' | 'stale' | 'window' | 'group';

/**
 * What claiming a key found: undefined (ours: send as meant), its record (restore it), the holder's
 * remote id (adopt it), a stale or released claim taken over (send with the holder's Idempotency-Key),
 * or a claim this build leaves alone.
 */
export type ClaimOutcome =
  | { kind: 'recorded'; claim: Claim }
  | { kind: 'adopt'; claim: Claim }
  | { kind: 'takeover'; claim: Claim }
  | { kind: 'held'; claim: Claim; why: HeldReason };

/** A build's use of the remote store. */
export class RemoteSession {
  private offline = false;
  private readonly slots = new Semaphore(TRANSFER_CONCURRENCY);
  private readonly requests = new Semaphore(REQUEST_CONCURRENCY);
  private readonly pushes = new Set<Promise<void>>();
  readonly meter = new TransferMeter();
  private pulled = 0;
  private pushed = 0;
  /** Our claims still waiting for HeyGen's answer, and the timer that keeps their heartbeat. */
  private readonly beats = new Map<string, NodeJS.Timeout>();
  private claimOptions: ClaimOptions = {};
  /** Blobs found damaged, by digest: where this build put (or will put) a good copy (see repair). */
  private readonly damaged = new Map<string, string>();
  /** What the build may pay for keys its plan priced free (see budget.ts). */
  private budget: StoreBudget | undefined;
  /** What to do once HeyGen answers the POST of a key (see whenClaimed). */
  private readonly answered = new Map<string, (remoteId: string) => Promise<void>>();

  private constructor(
    readonly store: RemoteStore,
    private readonly root: string,
    private readonly emit: EventSink,
    /** The store refuses a second conditional write: claims are on. */
    readonly claims: boolean,
  ) {}

  /**
   * Opens the configured store and says at start what it guarantees: without conditional writes there
   * are no claims. An unreachable store is reported once and the build goes on without it.
   */
  static async open(config: ResolvedConfig, emit: EventSink, claimOptions: ClaimOptions = {}, plan?: Plan): Promise<RemoteSession | undefined> {
    if (!config.remote) return undefined;
    const store = await openStore(config.remote, config.root);
    let claims = false;
    let offline = false;
    try {
      claims = await store.conditionalWrites();
      if (!claims) {
        emit({
          type: 'warning',
          message: `remote ${store.display} does not honour conditional writes (If-None-Match): keys are not claimed before paying. ` +
            'Records still stop a second render of anything finished, and HeyGen\'s Idempotency-Key stops a concurrent one for 24 h; use build --shard so machines never share a key',
        });
      }
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      offline = true;
      emit({ type: 'warning', message: `${errorInfo(e).message}: building without it; pushes stay pending (run \`heygen-build push\` later)` });
    }
    const s = new RemoteSession(store, config.root, emit, claims);
    s.offline = offline;
    s.claimOptions = claimOptions;
    if (plan) s.budget = new StoreBudget(plan, config.budget?.maxCredits);
    if (!offline) for (const p of await pendingPushes(config.root)) s.startPush(p);
    return s;
  }

  /** Runs a store call; an unreachable store turns the session offline and answers `fallback`. */
  private async guard<T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    if (this.offline) return fallback;
    const slot = await this.requests.acquire(1);
    try {
      if (this.offline) return fallback;
      return await fn();
    } catch (e) {
      // Credentials that expire mid-build (a short STS session) are treated like a lost store: the
      // build's renders are safe locally, and `push` sends them once the credentials are renewed.
      if (!isUnreachable(e) && !(e instanceof HeygenBuildError && e.code === 'E_REMOTE_AUTH')) throw e;
      if (!this.offline) this.emit({ type: 'warning', message: `${errorInfo(e).message} (${what}): carrying on without the remote; pushes stay pending` });
      this.offline = true;
      return fallback;
    } finally {
      this.requests.release(slot);
    }
  }

  /**
   * Before paying for `key`, which the plan may have priced free because of its record: takes its price
   * from the budget (E_BUDGET when over it). Returns how to give it back when the key turned out free.
   */
  reserve(key: string, label: string): (() => void) | undefined {
    return this.budget?.reserve(key, label);
  }

  /** The record of `key`, when the store has one. */
  lookup(key: string, signal?: AbortSignal): Promise<RemoteRecord | undefined> {
    return this.guard('lookup', undefined, async () => {
      const bytes = await this.store.get(recordKey(key), signal);
      const record = bytes ? parseRecord(bytes, key) : undefined;
      // Paying for a key whose record is there must not go unsaid. The plan read the same record and
      // priced the key as a render (W_REMOTE_RECORD); one damaged since is held against the budget.
      if (bytes && !record) {
        this.emit({ type: 'warning', message: `${recordKey(key)} in the remote store is damaged or from a newer heygen-build: treated as absent, so this key is rendered and paid for` });
      }
      return record;
    });
  }

  /** Downloads the blob of `sha256` to `rel` (project-relative), checked by digest. False when the store lacks it or is offline. */
  async restore(sha256: string, rel: string, signal?: AbortSignal): Promise<boolean> {
    if (this.offline) return false;
    // A transfer slot first, then a request slot (inside guard): pushes take them in the same order.
    const slot = await this.slots.acquire(1, signal);
    try {
      return await this.guard('restore', false, async () => {
        try {
          const ok = await pullBlob(this.store, sha256, resolve(this.root, rel), this.meter.add, signal);
          if (ok) this.pulled++;
          return ok;
        } catch (e) {
          // A corrupt blob (twice): as if the store lacked it, so the file comes from HeyGen by its recorded id, free.
          if (!(e instanceof HeygenBuildError && e.code === 'E_REMOTE_DIGEST')) throw e;
          this.emit({ type: 'warning', message: `${e.message}: fetching ${rel} another way (the store's copy is replaced once this build has a good one)` });
          this.damaged.set(sha256, rel);
          return false;
        }
      });
    } finally {
      this.slots.release(slot);
    }
  }

  /** Journals a render's record and pushes it in the background (awaited by `finish`). */
  async push(p: PendingPush): Promise<void> {
    await journalPush(this.root, p);
    if (!this.offline) this.startPush(p);
  }

  private startPush(p: PendingPush): void {
    const run = (async () => {
      const slot = await this.slots.acquire(1);
      try {
        await this.guard('push', undefined, async () => {
          if ((await pushPending(this.store, this.root, p, this.meter)) === 'pushed') this.pushed++;
        });
      } catch (e) {
        // Anything else (credentials, a full bucket): the build's renders are safe locally; say why the push waits.
        this.emit({ type: 'warning', message: `push of ${p.record.key.slice(0, 12)} failed: ${errorInfo(e).message}; it stays pending` });
      } finally {
        this.slots.release(slot);
      }
    })();
    this.pushes.add(run);
    void run.finally(() => this.pushes.delete(run));
  }

  /**
   * Claims `key` before its paid POST (undefined: ours, send as meant). `own`: our lockfile journaled
   * this very intent (a resumed build), so a claim with its Idempotency-Key is ours while its holder
   * is alive, or is a process of this machine that is gone. `resend`: the item can be sent alone under
   * a holder's Idempotency-Key (not a translation, sent in groups).
   */
  async claim(
    key: string,
    c: { idempotencyKey: string; attempt: number },
    own: boolean,
    wait: { everyMs: number; forMs: number; signal?: AbortSignal },
    resend = true,
  ): Promise<ClaimOutcome | undefined> {
    if (!this.claims) return undefined;
    const r = await this.guard('claim', undefined, () => claim(this.store, { key, ...c }));
    if (!r) return undefined;
    if (r.mine && r.recorded) return { kind: 'recorded', claim: { version: 1, key, ...c, job: 'another machine', at: new Date().toISOString() } };
    if (r.mine) {
      this.startBeat(key);
      return undefined;
    }
    const held = r.claim;
    if (own && held.idempotencyKey === c.idempotencyKey && (claimState(held) !== 'stale' || holderGone(held))) {
      if (!held.remoteId && (await this.guard('claim', undefined, () => retake(this.store, held)))) this.startBeat(key);
      return undefined;
    }
    // Waiting holds no request slot: an adopter may wait minutes while the rest of the build goes on.
    let w: { claim: Claim; recorded: boolean };
    try {
      w = await awaitClaimId(this.store, held, wait);
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      w = { claim: held, recorded: false };
    }
    if (w.recorded) return { kind: 'recorded', claim: w.claim };
    if (w.claim.remoteId) return { kind: 'adopt', claim: w.claim };
    const state = claimState(w.claim);
    if (state === 'live') return { kind: 'held', claim: w.claim, why: 'live' };
    if (!resend) return { kind: 'held', claim: w.claim, why: 'group' };
    if (state === 'stale' && !this.claimOptions.takeOverStale) return { kind: 'held', claim: w.claim, why: 'stale' };
    if (!withinKeyWindow(w.claim)) return { kind: 'held', claim: w.claim, why: 'window' };
    const taken = await this.guard('claim', undefined, () => retake(this.store, w.claim));
    if (!taken) return { kind: 'held', claim: w.claim, why: 'stale' };
    this.startBeat(key);
    return { kind: 'takeover', claim: w.claim };
  }

  /** Keeps our claim's heartbeat while HeyGen has not answered (a slow POST, 429s): others see we are alive. */
  private startBeat(key: string): void {
    if (this.beats.has(key)) return;
    const t = setInterval(() => {
      if (this.offline) return;
      beat(this.store, key).then(
        (ok) => ok || this.stopBeat(key),
        () => undefined,
      );
    }, HEARTBEAT_MS);
    t.unref();
    this.beats.set(key, t);
  }

  private stopBeat(key: string): void {
    clearInterval(this.beats.get(key));
    this.beats.delete(key);
  }

  /**
   * Calls `then` with HeyGen's id once the POST of `key` is answered (`claimed`): a claim taken over
   * was sent with its holder's Idempotency-Key, and only the answer tells whose job it is.
   */
  whenClaimed(key: string, then: (remoteId: string) => Promise<void>): void {
    this.answered.set(key, then);
  }

  /** Adds the remote id to our claim, once HeyGen answered the POST. */
  async claimed(key: string, remoteId: string): Promise<void> {
    const then = this.answered.get(key);
    this.answered.delete(key);
    if (this.claims) {
      this.stopBeat(key);
      await this.guard('claim', undefined, () => recordClaimId(this.store, key, remoteId)).catch(() => undefined);
    }
    await then?.(remoteId);
  }

  /**
   * Uploads a good copy over each blob found damaged (content-addressed: the same key), once the build
   * fetched one another way to where the blob was meant to go; otherwise every machine would meet the
   * damage again (a push skips a blob the store has). Said as a warning and a `repaired` event.
   */
  private async repair(): Promise<void> {
    for (const [sha256, rel] of this.damaged) {
      const file = resolve(this.root, rel);
      const key = blobKey(sha256);
      if ((await sha256File(file).catch(() => undefined))?.sha256 !== sha256) {
        this.emit({ type: 'warning', message: `${this.store.display}: ${key} stays damaged: this build has no copy with that digest (delete it from the store; a machine that has one pushes it again)` });
        continue;
      }
      const done = await this.guard('repair', false, async () => {
        await this.store.upload(key, file, this.meter.add);
        return true;
      });
      if (!done) continue;
      this.emit({ type: 'warning', message: `${this.store.display}: ${key} was damaged: replaced with this build's copy of ${rel}` });
      this.emit({ type: 'repaired', blob: key, path: rel });
    }
    this.damaged.clear();
  }

  /** Waits for every push, repairs what was found damaged, then says what is still pending. */
  async finish(): Promise<RemoteSummary> {
    for (const key of [...this.beats.keys()]) this.stopBeat(key);
    while (this.pushes.size > 0) await Promise.allSettled([...this.pushes]);
    await this.repair().catch((e: unknown) => this.emit({ type: 'warning', message: `repairing the remote store's damaged blobs failed: ${errorInfo(e).message}` }));
    const pending = (await pendingPushes(this.root)).length;
    if (pending > 0) {
      this.emit({ type: 'warning', message: `remote ${this.store.display}: ${pending} push${pending === 1 ? '' : 'es'} pending: run \`heygen-build push\` once the store is reachable` });
    }
    await this.store.close();
    return { pulled: this.pulled, pushed: this.pushed, pending };
  }
}
