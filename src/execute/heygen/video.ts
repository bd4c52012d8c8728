/**
 * One source video through its life: record intent -> POST -> record id -> poll -> download -> record file.
 * Each arrow is saved to the lockfile before the next step, so a build killed anywhere resumes instead
 * of paying twice (see README "Exactly once").
 */
import { idempotencyKey } from '../../hash/index.js';
import { HeygenBuildError } from '../../errors.js';
import type { FileRecord, LockEntry } from '../../model/lock.js';
import type { PlanItem } from '../../model/plan.js';
import type { AssetRef, VideoSpec } from '../../model/spec.js';
import { captionsPath } from '../../model/outputs.js';
import type { RemoteVideo } from '../../providers/heygen/index.js';
import { ensureAssets } from './assets.js';
import type { RunContext } from './context.js';
import { failedEvent, placedFailure } from '../failure.js';
import { fetchFile } from './download.js';
import { Detached } from './detach.js';
import { awaitJob, takeSlots } from './job-wait.js';
import { claimVideo, pushVideo, restoredFromStore, videoFromRemote } from './remote.js';
import { claimedId } from './remote-item.js';

/**
 * Only v3 requests carry an Idempotency-Key, so only there does resending a recorded intent get
 * HeyGen's first answer back (`replayed`) rather than a second, paid job.
 */
export function sendsIdempotencyKey(ctx: RunContext): boolean {
  return ctx.client.api === 'v3';
}

/** Said when an intent recorded by a killed build is sent again with nothing to dedupe it. */
export function mayBeBilledTwice(id: string, reason: string): string {
  return `${id}: a previous build was killed after recording its intent; ${reason}, so it is submitted again and may be billed twice`;
}

/** Thrown when an abort arrives before a render is submitted, so nothing is recorded as in flight. */
export class Interrupted extends Error {
  override name = 'AbortError';
  constructor() {
    super('interrupted before submitting');
  }
}

/**
 * The paid POST of a whole-video render: `POST /v3/videos` by default; a template video posts to
 * `/v3/templates/{id}` instead (src/execute/heygen/template-video.ts). Everything around it (intent,
 * journal, poll, download) is the same.
 */
export type Submit = (idempotencyKey: string, assetId: (ref: AssetRef) => string | undefined) => Promise<{ id: string }>;

/**
 * Submits (or resumes) the render and waits until HeyGen finishes it. Returns the finished job, or
 * undefined when another machine's claim led to its record and the output was restored from the store.
 */
async function renderRemote(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, submit?: Submit): Promise<RemoteVideo | undefined> {
  const key = item.key!;
  const entry = ctx.store.lock.videos[spec.id];
  const inFlight = entry?.key === key && entry.status === 'submitted' && entry.remoteId !== undefined;
  const slots = await takeSlots(ctx, 1, spec.id, inFlight);
  // A detached job keeps its slot: it still counts against HeyGen's concurrency cap.
  let keepSlot = false;
  try {
    const resumable = entry && entry.key === key && (entry.status === 'pending' || entry.status === 'submitted');
    const sent = !resumable || !entry?.remoteId ? await send(ctx, spec, item, parts, submit) : { justSubmitted: false };
    if (sent === 'restored') return undefined;
    const remoteId = ctx.store.lock.videos[spec.id]!.remoteId!;
    ctx.emit({ type: 'status', id: spec.id, state: 'rendering', detail: remoteId });
    const job = { id: spec.id, kind: 'video' as const, remoteId, seconds: item.estimate.seconds };
    const done = await awaitJob(ctx, job, (id) => ctx.videos.wait(id, sent.submittedAt), sent.justSubmitted);
    if (done.status === 'failed') ctx.failed();
    return done;
  } catch (e) {
    if (e instanceof Detached) keepSlot = true;
    else if (!(e instanceof Interrupted) && !ctx.soft.aborted) ctx.failed();
    throw e;
  } finally {
    if (!keepSlot) ctx.slots.release(slots);
  }
}

/**
 * The steps up to HeyGen's answer to the paid POST: uploads, the intent journaled, the POST (or a claim
 * adopted), its id recorded. `submittedAt`: when HeyGen accepted a POST of this build that was not a
 * replay (the poller learns render times from it).
 */
async function send(
  ctx: RunContext,
  spec: VideoSpec,
  item: PlanItem,
  parts: Record<string, string>,
  submit: Submit | undefined,
): Promise<'restored' | { justSubmitted: boolean; submittedAt?: number }> {
  const key = item.key!;
  const entry = ctx.store.lock.videos[spec.id];
  const resumable = entry !== undefined && entry.key === key && (entry.status === 'pending' || entry.status === 'submitted');
  // A Video Agent session already open (prompt-video.ts) is paid for and in flight, though it names no video yet.
  const sessionOpen = entry?.key === key && entry.status === 'pending' && entry.sessionId !== undefined;
  // After a stop nothing new is sent; an open session sends nothing either, and is still followed.
  const stop = (): boolean => ctx.stopped() && !(sessionOpen && !ctx.detach);
  if (stop()) throw new Interrupted();
  const assetId = await ensureAssets(ctx, spec, ctx.soft);
  // The last moment to stop: once the intent is recorded, the POST follows without a check, so
  // the lockfile never claims an intent that was not acted on.
  if (stop()) throw new Interrupted();
  if (!resumable) await recordIntent(ctx, spec, key, parts);
  else if (!sendsIdempotencyKey(ctx)) ctx.emit({ type: 'warning', message: mayBeBilledTwice(spec.id, 'API v2 has no Idempotency-Key') });
  // Another machine may be paying for this key right now: its claim says so, and its job is adopted.
  const claimed = ctx.remote ? await claimVideo(ctx, spec, item, parts, resumable) : undefined;
  if (claimed === 'restored') return 'restored';
  if (claimed === 'adopted') return { justSubmitted: false };
  ctx.emit({ type: 'status', id: spec.id, state: 'submitting' });
  const idem = ctx.store.lock.videos[spec.id]!.idempotencyKey!;
  // No abort signal: once sent, the POST is allowed to finish so its id is recorded.
  const created = submit ? await submit(idem, assetId) : await ctx.client.createVideo(spec, { idempotencyKey: idem, callbackId: idem, assetId });
  const submittedAt = resumable ? undefined : ctx.videos.time();
  await ctx.store.update((l) => {
    const e = l.videos[spec.id]!;
    e.status = 'submitted';
    e.remoteId = created.id;
  });
  ctx.emit({ type: 'submitted', id: spec.id, remoteId: created.id, replayed: resumable && sendsIdempotencyKey(ctx) });
  if (ctx.remote) await claimedId(ctx, key, created.id);
  return { justSubmitted: true, ...(submittedAt !== undefined ? { submittedAt } : {}) };
}

/**
 * Journals a fresh intent for `key`. Rendering the same content again (a failed render retried, or
 * --replace) needs a new Idempotency-Key: HeyGen replays a key's first answer for 24 h, failures included.
 */
async function recordIntent(ctx: RunContext, spec: VideoSpec, key: string, parts: Record<string, string>): Promise<void> {
  const entry = ctx.store.lock.videos[spec.id];
  const attempt = entry && entry.key === key ? entry.attempt + 1 : 1;
  const fresh: LockEntry = {
    key,
    parts,
    status: 'pending',
    api: ctx.client.api,
    idempotencyKey: idempotencyKey(key, attempt),
    attempt,
    translations: entry?.translations ?? {},
  };
  await ctx.store.update((l) => {
    l.videos[spec.id] = fresh;
  });
}

/**
 * A whole video HeyGen failed, as the error it is reported with. HeyGen's failure code goes in the
 * message, as a scene clip's does (clips.ts): our codes are a closed set (ERROR_CODES).
 */
function renderFailed(spec: VideoSpec, error: { code?: string; message: string }): HeygenBuildError {
  const reason = error.code ? ` (${error.code})` : '';
  return new HeygenBuildError('E_RENDER_FAILED', `${spec.id}: HeyGen failed the video${reason}: ${error.message}`, {
    hint: 'fix the video in its manifest and build again; failed renders are not charged',
  });
}

/** Makes sure the source video is rendered and on disk. Returns false when it failed (already reported). */
export async function runVideo(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, submit?: Submit): Promise<boolean> {
  if (ctx.remote && (await videoFromRemote(ctx, spec, item, parts, false))) return true;
  let remote: RemoteVideo | undefined;
  if (item.action === 'create' || item.action === 'update' || item.action === 'resume') {
    remote = await renderRemote(ctx, spec, item, parts, submit);
    if (!remote) return restoredFromStore(ctx, spec.id);
    if (remote.status === 'failed') {
      const error = remote.error ?? { message: 'HeyGen reported the render as failed without a reason' };
      await ctx.store.update((l) => {
        const e = l.videos[spec.id]!;
        e.status = 'failed';
        e.error = error;
      });
      ctx.emit(failedEvent(spec.id, placedFailure(renderFailed(spec, error), () => ctx.place?.(spec))));
      return false;
    }
    // The next job in line has just taken this slot: let it journal its intent first, in a save of its
    // own. Its POST waits on that save; this record and the download behind it hold no slot.
    await new Promise<void>((r) => setImmediate(r));
    await ctx.store.update((l) => {
      const e = l.videos[spec.id]!;
      e.status = 'completed';
      delete e.error;
      delete e.output;
      delete e.captions;
      if (remote?.duration !== undefined) e.durationSeconds = remote.duration;
    });
  } else if (item.action !== 'download') {
    return true;
  }
  const remoteId = ctx.store.lock.videos[spec.id]?.remoteId;
  if (!remoteId) throw new HeygenBuildError('E_LOCK_NO_REMOTE', `${spec.id}: the lockfile records no remote id to download from`);
  const fresh = async (): Promise<RemoteVideo> => ctx.client.getVideo(remoteId, ctx.soft);
  const videoUrl = (v: RemoteVideo): string | undefined => (spec.caption === 'burn' ? (v.captionedVideoUrl ?? v.videoUrl) : v.videoUrl);
  // The answer that said it finished, when it carries the URLs (a poll of one job asks GET /v3/videos/{id}):
  // as fresh as a GET now, and a round trip sooner.
  const polled = remote?.status === 'completed' && videoUrl(remote) !== undefined ? remote : undefined;
  const first = (url: string | undefined): { first?: string } => (url !== undefined ? { first: url } : {});
  const output = await fetchFile(ctx, spec.id, spec.output, async () => videoUrl(await fresh()), first(polled && videoUrl(polled)));
  let captions: FileRecord | undefined;
  if (spec.caption !== 'none') {
    captions = await fetchFile(ctx, spec.id, captionsPath(spec.output), async () => (await fresh()).captionUrl, first(polled?.captionUrl));
  }
  await ctx.store.update((l) => {
    const e = l.videos[spec.id]!;
    e.output = output;
    if (captions) e.captions = captions;
  });
  if (ctx.remote) await pushVideo(ctx, spec.id);
  ctx.emit({ type: 'status', id: spec.id, state: 'done' });
  return true;
}
