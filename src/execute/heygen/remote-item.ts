/**
 * The one path every paid item takes through the remote store, whatever its kind (scene clip, whole
 * video, template, prompt, v2 video, translation, dub language, proofread):
 * - before paying: its record (found -> restore the files, journal them as completed, pay nothing);
 * - just before the paid POST: its claim (held by another machine -> adopt that job, never submit again);
 * - after completion: push its blobs and record (journaled first, sent in the background).
 * A kind only says where a record's files go and how they are journaled (`StoreItem`), and how a held
 * claim's job becomes its own (`ClaimTarget`). Each call is a no-op without a `remote` in the config.
 */
import type { FileRecord, Lockfile } from '../../model/lock.js';
import { Batcher } from '../../remote/batch.js';
import type { LockedRender } from '../../remote/from-lock.js';
import type { RecordKind, RemoteRecord } from '../../remote/record.js';
import { HeygenBuildError } from '../../errors.js';
import type { Claim } from '../../remote/claims.js';
import type { HeldReason } from '../../remote/session.js';
import type { RunContext } from './context.js';

/** The detail of a `done` status for an output taken from the store (counted as restored, not rendered). */
export const FROM_STORE = 'from the remote store';

/** A paid item as the store sees it: its content key, and how a found record becomes local files. */
export interface StoreItem {
  key: string;
  /** The progress id (a video id, `<video>@<lang>`, `<video>#<scene>`). */
  label: string;
  kind: RecordKind;
  /** Where each role of `rec` goes (project-relative); undefined when this record cannot serve here. */
  place(rec: RemoteRecord): Record<string, string> | undefined;
  /**
   * What to journal for the restored files: a change of the lockfile that records them as a completed
   * render (after any local work they need, such as laying text over a translation).
   */
  journal(rec: RemoteRecord, files: Record<string, FileRecord>): Promise<LockChange> | LockChange;
}

/** A change of the lockfile, applied in memory and saved with others (src/remote/batch.ts). */
export type LockChange = (lock: Lockfile) => void;

const journals = new WeakMap<RunContext, Batcher<LockChange>>();

/**
 * Journals a restore: in memory at once when saved, with other restores in one save. A restore is free
 * and done again if the build dies before the save, so it need not be on disk before the next one.
 */
function journalRestore(ctx: RunContext, change: LockChange): Promise<void> {
  let b = journals.get(ctx);
  if (!b) {
    b = new Batcher<LockChange>((changes) =>
      ctx.store.update((l) => {
        for (const c of changes) c(l);
      }),
    );
    journals.set(ctx, b);
  }
  return b.add(change);
}

/** The `job` of an `adopted` event for a render a store record names (no claim, so no machine's name). */
export const RECORD_JOB = "the remote store's record";

const unrestorable = new WeakMap<RunContext, Map<string, RemoteRecord>>();

/** This build's records whose files could not be restored, by key. */
function unrestored(ctx: RunContext): Map<string, RemoteRecord> {
  let m = unrestorable.get(ctx);
  if (!m) unrestorable.set(ctx, (m = new Map<string, RemoteRecord>()));
  return m;
}

/** Restores every placed file of `rec`. Undefined when any is missing from the store (or it is offline). */
async function restoreFiles(ctx: RunContext, rec: RemoteRecord, paths: Record<string, string>): Promise<Record<string, FileRecord> | undefined> {
  const out: Record<string, FileRecord> = {};
  for (const [role, path] of Object.entries(paths)) {
    const f = rec.files[role];
    if (!f) continue;
    if (!(await ctx.remote!.restore(f.sha256, path, ctx.soft))) return undefined;
    out[role] = { path, sha256: f.sha256, size: f.size };
  }
  return out;
}

/**
 * The item from the store, paying nothing: `rec` when the caller has it (a restore by the lockfile's
 * digests), else its record looked up by key. The files, by role, once in place and journaled.
 */
export async function fromStore(ctx: RunContext, item: StoreItem, rec?: RemoteRecord): Promise<Record<string, FileRecord> | undefined> {
  if (!ctx.remote) return undefined;
  const found = rec ?? (await ctx.remote.lookup(item.key, ctx.soft));
  if (found?.kind !== item.kind) return undefined;
  const paths = item.place(found);
  if (!paths) return undefined;
  ctx.emit({ type: 'status', id: item.label, state: 'downloading', detail: FROM_STORE });
  const files = await restoreFiles(ctx, found, paths);
  if (!files) {
    // A blob corrupt or missing: the record still names HeyGen's render, adopted before paying (`adoptRecorded`).
    if (found.remoteId) unrestored(ctx).set(item.key, found);
    return undefined;
  }
  await journalRestore(ctx, await item.journal(found, files));
  return files;
}

/** Who a held claim's job becomes ours: its id (then polled), or only its Idempotency-Key (then sent). */
export interface Adopted {
  remoteId?: string;
  idempotencyKey: string;
  attempt: number;
}

/** A paid item about to be POSTed: its store item, the intent journaled for it, and how to adopt a job. */
export interface ClaimTarget extends StoreItem {
  idempotencyKey: string;
  attempt: number;
  /** This very intent was journaled by an earlier run of this build (a resume): a claim with its key is ours. */
  own: boolean;
  /** Journals the holder's job as this item's (one lockfile save). */
  adopt(job: Adopted): Promise<void>;
  /**
   * Whether this item can be sent alone with the holder's Idempotency-Key. Not a translation: its key
   * stands for the holder's whole group of languages, whose replayed answer this build cannot read.
   */
  resend: boolean;
  /** `--replace`: rendered with HeyGen as promised; a record that appears when claiming is not restored from. */
  fresh?: boolean;
  /** Its price was taken from the budget by the caller (`reserveEach`), who gives it back if it turns out free. */
  budgeted?: boolean;
  /**
   * Puts the lockfile back as it was before this build journaled the intent: called when the budget
   * refuses the item, before anything is claimed or sent, so the next plan does not see a resume.
   */
  withdraw?: () => Promise<void>;
}

/**
 * Takes from the budget, before any of them is claimed, the price of each target the plan priced free
 * (see claimBeforePay), in order, as a running total: a translation's languages are claimed together and
 * sent in one POST, so one refused after its siblings had claimed would leave their claims held for a
 * POST never sent. What the budget covers is taken (`taken`: by key, how to give it back once it turns
 * out free); each target it does not is `refused` (by key, its E_BUDGET), to be withdrawn before any
 * claim or POST.
 */
export function reserveEach(ctx: RunContext, targets: readonly { key: string; label: string }[]): { taken: Map<string, () => void>; refused: Map<string, HeygenBuildError> } {
  const taken = new Map<string, () => void>();
  const refused = new Map<string, HeygenBuildError>();
  for (const t of targets) {
    try {
      const giveBack = ctx.remote?.reserve(t.key, t.label);
      if (giveBack) taken.set(t.key, giveBack);
    } catch (e) {
      if (!(e instanceof HeygenBuildError) || e.code !== 'E_BUDGET') throw e;
      refused.set(t.key, e);
    }
  }
  return { taken, refused };
}

/**
 * What a claim found: the item restored from a record that appeared, the holder's id adopted, its key to
 * send (a stale or released claim taken over), or (`withdrawn`, an item that cannot resend alone: a
 * translation's language) nothing to do in this build, with why, for the report.
 */
export type Adoption = { restored: Record<string, FileRecord> } | { remoteId: string } | { idempotencyKey: string } | { withdrawn: string; held: HeldClaim };

/** A key another machine holds that this build does not send, as `build --json` reports it (`held` on a status event). */
export interface HeldClaim {
  key: string;
  /** The holder: `host:pid (GitHub run … job …)`. */
  job: string;
  /** When it claimed the key, and when it was last seen alive (ISO 8601). */
  since: string;
  heartbeat?: string;
  why: HeldReason;
}

/** Why a held key is not sent, and what to do, in one line. */
export function heldMessage(h: HeldClaim): string {
  const by = `claimed by ${h.job} at ${h.since}, which recorded no HeyGen id`;
  switch (h.why) {
    case 'live':
      return `${by} yet and is still waiting for HeyGen's answer: not sent by this build (build again once it has an id; it is then adopted)`;
    case 'group':
      return `${by} yet (last seen ${h.heartbeat ?? h.since}; sent with its own group of languages, which this build cannot resend alone): not sent by this build (build again once it has an id; it is then adopted)`;
    case 'stale':
      return `${by}, and has shown no sign of life since ${h.heartbeat ?? h.since} (stale): it may have died, or may have sent the POST. Not sent`;
    case 'window':
      return `${by}, more than 23 h ago: HeyGen's Idempotency-Key would no longer stop a second charge if it was sent. Not sent`;
  }
}

const HELD_HINT: Record<HeldReason, string> = {
  live: 'build again later: once the holder records its HeyGen id, this build adopts its job',
  group: 'build again once the holder records its HeyGen id; `heygen-build claims` lists who holds what, and if the holder is gone for good, `heygen-build claims release <key> --force` frees it (README "Stuck claims")',
  stale: 'if the holder is gone, run `build --take-over-stale` (it resends the holder\'s own Idempotency-Key, so HeyGen answers with its job if it was sent), or `heygen-build claims release <key>`',
  window: 'check the HeyGen dashboard for a render of it; then `heygen-build claims release <key> --force` and build again',
};

/**
 * Claims the item's key just before its paid POST. Undefined: this build submits as it meant to. When
 * another machine holds the claim, its job is adopted: restored when its record appeared meanwhile,
 * polled by the id it recorded, or (its holder died before HeyGen answered, and the claim was released
 * or `--take-over-stale` was given) sent again with the holder's own Idempotency-Key, which HeyGen
 * answers with the holder's job if it was sent. A claim this build leaves alone is `E_CLAIM_HELD` for
 * an item that can be sent alone, and `withdrawn` for a translation's language.
 */
export async function claimBeforePay(ctx: RunContext, t: ClaimTarget): Promise<Adoption | undefined> {
  if (!ctx.remote) return undefined;
  const recorded = await adoptRecorded(ctx, t);
  if (recorded) return recorded;
  // A key the plan priced free (its record) is about to be paid for: its price is held against
  // --max-credits before anything is claimed or sent, and given back if it turns out free after all.
  let giveBack: (() => void) | undefined;
  try {
    giveBack = t.budgeted ? undefined : ctx.remote.reserve(t.key, t.label);
  } catch (e) {
    // Refused over --max-credits: nothing was claimed or sent under this intent, so it goes.
    if (!t.own) await t.withdraw?.();
    throw e;
  }
  try {
    const r = await claimOrSend(ctx, t);
    if (r && !('idempotencyKey' in r)) giveBack?.();
    return r;
  } catch (e) {
    giveBack?.();
    throw e;
  }
}

/**
 * Before a speech clip's paid POST (speech is never claimed): a key the plan priced free because of its
 * record is held against --max-credits, as in claimBeforePay. Throws E_BUDGET when over it.
 */
export function chargeBeforePay(ctx: RunContext, key: string, label: string): void {
  ctx.remote?.reserve(key, label);
}

/** claimBeforePay once the store could not serve the key: claim it, and adopt or send. */
async function claimOrSend(ctx: RunContext, t: ClaimTarget): Promise<Adoption | undefined> {
  const remote = ctx.remote!;
  const poll = ctx.config.heygen.poll;
  const wait = { everyMs: poll.minMs, forMs: Math.min(poll.timeoutMs, 10 * 60_000), signal: ctx.soft };
  const r = await remote.claim(t.key, { idempotencyKey: t.idempotencyKey, attempt: t.attempt }, t.own, wait, t.resend);
  if (!r) return undefined;
  if (r.kind === 'recorded') {
    if (t.fresh) return undefined;
    const restored = await fromStore(ctx, t);
    if (restored) return { restored };
    const adopted = await adoptRecorded(ctx, t);
    if (adopted) return adopted;
    // A record that cannot serve here (its blob missing, and HeyGen's render gone): paid for, as without a store.
    if (!r.claim.remoteId) return undefined;
  }
  const c = r.claim;
  if (c.remoteId && t.fresh && !(await stillRendering(ctx, t, c))) return undefined;
  if (c.remoteId) {
    await t.adopt({ remoteId: c.remoteId, idempotencyKey: c.idempotencyKey, attempt: c.attempt });
    ctx.emit({ type: 'adopted', id: t.label, remoteId: c.remoteId, job: c.job, since: c.at });
    return { remoteId: c.remoteId };
  }
  if (r.kind === 'takeover') {
    const how = c.released ? `released by ${c.released.by}` : 'stale, taken over (--take-over-stale)';
    ctx.emit({ type: 'warning', message: `${t.label}: ${c.job} claimed this render at ${c.at} but recorded no HeyGen id (${how}); submitting with its Idempotency-Key, which HeyGen answers with its job if it was sent` });
    await t.adopt({ idempotencyKey: c.idempotencyKey, attempt: c.attempt });
    const sent = Date.now();
    remote.whenClaimed(t.key, (remoteId) => whoseJob(ctx, t, c, remoteId, sent));
    return { idempotencyKey: c.idempotencyKey };
  }
  const why = r.kind === 'held' ? r.why : 'live';
  const held: HeldClaim = { key: t.key, job: c.job, since: c.at, ...(c.heartbeat ? { heartbeat: c.heartbeat } : {}), why };
  const message = heldMessage(held);
  if (!t.resend) return { withdrawn: message, held };
  throw new HeygenBuildError('E_CLAIM_HELD', `${t.label}: ${message}`, { hint: HELD_HINT[why] });
}

/**
 * `--replace` and another machine's job of the same key: one HeyGen is still rendering is a fresh render
 * of the same inputs (whenever it was started, it is not the render being replaced, which is finished),
 * so it is adopted like any claim, paid by that machine and counted as adopted here. A finished or
 * failed one (the render being replaced, its claim left behind by a build that died before pushing its
 * record) is what --replace refuses from the store too: this build sends its own. One free GET.
 */
async function stillRendering(ctx: RunContext, t: ClaimTarget, c: Claim): Promise<boolean> {
  const job = t.kind === 'translation' ? await ctx.client.getTranslation(c.remoteId!, ctx.soft) : await ctx.client.getVideo(c.remoteId!, ctx.soft);
  if (job.status === 'queued' || job.status === 'running') return true;
  ctx.emit({ type: 'warning', message: `${t.label}: ${c.job} claimed this key with HeyGen's job ${c.remoteId}, which is ${job.status === 'completed' ? 'finished' : job.status}: not a fresh render, so --replace renders it again` });
  return false;
}

/**
 * A key whose record this build found but whose files it could not restore (a corrupt or missing blob,
 * or the store lost): the render the record names is still HeyGen's, so it is adopted like a claim's
 * (its id journaled as submitted; the caller polls it and downloads it from HeyGen), paying nothing.
 * Checked first with one free GET: a render HeyGen no longer has (or one made through the other API
 * version, or a speech clip, which has no job to fetch again) is paid for as without a store.
 */
export async function adoptRecorded(ctx: RunContext, t: ClaimTarget): Promise<Adoption | undefined> {
  const rec = unrestorable.get(ctx)?.get(t.key);
  // Once: an adopted render that then fails is not adopted again.
  unrestorable.get(ctx)?.delete(t.key);
  const remoteId = rec?.remoteId;
  if (!rec || !remoteId || rec.api !== ctx.client.api || rec.clipKind === 'speech' || rec.kind === 'proofread') return undefined;
  const job = rec.kind === 'translation' ? await ctx.client.getTranslation(remoteId, ctx.soft) : await ctx.client.getVideo(remoteId, ctx.soft);
  if (job.status === 'failed' || job.status === 'not_found') {
    ctx.emit({ type: 'warning', message: `${t.label}: the remote store's copy could not be restored and HeyGen no longer has its render ${remoteId} (${job.status}): rendering it again` });
    return undefined;
  }
  await t.adopt({ remoteId, idempotencyKey: t.idempotencyKey, attempt: t.attempt });
  ctx.emit({ type: 'warning', message: `${t.label}: the remote store's copy could not be restored: fetching HeyGen's render ${remoteId}, which its record names, instead of paying again` });
  // Paid for by the build that recorded it: counted as adopted, with no credits here (reporters/paid.ts).
  ctx.emit({ type: 'adopted', id: t.label, remoteId, job: RECORD_JOB, since: rec.at });
  return { remoteId };
}

/**
 * How much older than our POST (by this machine's clock) a taken-over job must be (by HeyGen's) to be
 * the holder's. A stale holder's POST is at least 9 minutes older (no heartbeat for 10, one a minute),
 * so this clock may be up to 5 minutes ahead of HeyGen's before a new job of ours, paid by us, could
 * be taken for the holder's and under-reported; a released holder's replay within 5 minutes of its
 * POST is counted as ours instead, which over-reports: the safe side.
 */
export const REPLAYED_BEFORE_MS = 5 * 60_000;

/**
 * After a taken-over claim's POST (sent with the holder's Idempotency-Key) is answered: a job HeyGen
 * accepted before this build's POST is the holder's, replayed (it paid for it), so it is `adopted`; a
 * job as new as the POST is this build's render, and paid by it. One free GET tells when HeyGen accepted
 * it. API v2 sends no Idempotency-Key: its answer is always a new job, ours.
 */
async function whoseJob(ctx: RunContext, t: ClaimTarget, c: Claim, remoteId: string, sent: number): Promise<void> {
  if (ctx.client.api !== 'v3' || (t.kind !== 'video' && t.kind !== 'clip')) return;
  const job = await ctx.client.getVideo(remoteId, ctx.soft).catch(() => undefined);
  const created = job?.createdAt;
  if (created === undefined) {
    ctx.emit({ type: 'warning', message: `${t.label}: HeyGen did not say when it accepted ${remoteId}, so whether it is ${c.job}'s replayed render is unknown: counted as this build's` });
  } else if (created < sent - REPLAYED_BEFORE_MS) {
    ctx.emit({ type: 'warning', message: `${t.label}: HeyGen answered with ${remoteId}, which ${c.job} submitted (accepted ${new Date(created).toISOString()}): not a new render, its credits are that machine's` });
    ctx.emit({ type: 'adopted', id: t.label, remoteId, job: c.job, since: c.at });
  }
}

/** Adds HeyGen's id to our claim of `key`, so a machine that finds it adopts the job. */
export async function claimedId(ctx: RunContext, key: string, remoteId: string): Promise<void> {
  if (ctx.remote) await ctx.remote.claimed(key, remoteId);
}

/** Pushes a completed render (journaled first; sent in the background). */
export async function pushRender(ctx: RunContext, r: LockedRender | undefined): Promise<void> {
  if (ctx.remote && r) await ctx.remote.push(r);
}
