/**
 * Reviewed translations on HeyGen (`review:` on a translation entry), one language at a time.
 * - `review: true`: a proofread session writes the translated SRT into the repo, and the language waits
 *   for review. Nothing is rendered.
 * - `review: approved`: the committed SRT goes to a session (the reviewed one, by `PUT …/srt`; or a new one
 *   seeded with it when that session already rendered another version) and `POST …/generate` renders it.
 *   From there it is an ordinary translation: polled, downloaded, journaled.
 * Every paid POST (create, generate) is journaled with its Idempotency-Key before it is sent.
 */
import { idempotencyKey, proofreadKey } from '../../hash/index.js';
import type { PlanItem } from '../../model/plan.js';
import type { TranslationSpec, VideoSpec } from '../../model/spec.js';
import { HeygenApiError, type RemoteTranslation, type TranslationSource } from '../../providers/heygen/index.js';
import { usableSession } from '../../plan/review.js';
import { uploadOnce } from './assets.js';
import type { RunContext } from './context.js';
import { fetchFile } from './download.js';
import { ensureSession, proofreads, settleSession, waitSession } from './proofread-session.js';
import { claimApproved, pushProofread } from './remote-translations.js';
import { claimedId } from './remote-item.js';
import { Interrupted } from './video.js';
import { Detached } from './detach.js';
import { awaitJob, takeSlots } from './job-wait.js';

/** What the translation runner lends: the source to translate, and how a finished translation is completed. */
export interface ReviewedDeps {
  source: () => Promise<string | TranslationSource>;
  finish: (remote: RemoteTranslation | undefined) => Promise<boolean>;
}

/**
 * Runs one reviewed language the plan says needs work. Returns false when it failed (already reported).
 * An approved language's render is a translation like any other under `build --detach`: it takes a free
 * slot or none (Deferred), and once sent it is left rendering at HeyGen (Detached, keeping its slot).
 */
export async function runReviewed(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, item: PlanItem, deps: ReviewedDeps): Promise<boolean> {
  if (t.review!.state === 'review') return reviewLanguage(ctx, spec, t, item, deps);
  if (item.action === 'download') return deps.finish(undefined);
  const rec = ctx.store.lock.videos[spec.id]?.translations[t.language];
  const inFlight = rec !== undefined && rec.key === item.key && rec.status === 'submitted' && rec.remoteId !== undefined;
  let held = await takeSlots(ctx, 1, item.id, inFlight);
  try {
    const sent = await submitApproved(ctx, spec, t, item, deps);
    if (sent === 'failed' || sent === 'restored') return sent === 'restored';
    const remoteId = ctx.store.lock.videos[spec.id]!.translations[t.language]!.remoteId!;
    ctx.emit({ type: 'status', id: item.id, state: 'rendering', detail: remoteId });
    const job = { id: item.id, kind: 'translation' as const, remoteId, seconds: item.estimate.seconds };
    const remote = await awaitJob(ctx, job, (id) => ctx.translations.wait(id), sent === 'sent');
    if (remote.status === 'failed') ctx.failed();
    ctx.slots.release(held);
    held = 0;
    return await deps.finish(remote);
  } catch (e) {
    // A detached render keeps its slot: it still counts against HeyGen's cap.
    if (e instanceof Detached) held = 0;
    throw e;
  } finally {
    if (held > 0) ctx.slots.release(held);
  }
}

/** `review: true`: the session, then its SRT into the repo. */
async function reviewLanguage(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, item: PlanItem, deps: ReviewedDeps): Promise<boolean> {
  const srt = t.review!.srt;
  let rec = ctx.store.lock.videos[spec.id]?.proofreads?.[t.language];
  if (item.action !== 'download' || rec?.status !== 'completed' || !rec.remoteId) {
    // A detached build takes a free slot or none, as for any job (detached jobs keep theirs).
    const held = await takeSlots(ctx, 1, item.id);
    try {
      rec = await ensureSession(ctx, spec, t, item.id, item.sourceKey!, async () => ({ source: await deps.source() }));
      ctx.emit({ type: 'status', id: item.id, state: 'rendering', detail: `proofread ${rec.remoteId}` });
      const remote = rec.status === 'completed' ? undefined : await waitSession(ctx, rec.remoteId!);
      if (remote && !(await settleSession(ctx, spec, t, item.id, remote))) return false;
    } finally {
      ctx.slots.release(held);
    }
  }
  const id = rec.remoteId!;
  const api = proofreads(ctx);
  const file = await fetchFile(ctx, item.id, srt, async () => (await api.getProofreadSrt(id, ctx.soft)).srtUrl);
  await ctx.store.update((l) => {
    l.videos[spec.id]!.proofreads![t.language]!.output = file;
  });
  if (ctx.remote) await pushProofread(ctx, spec, t.language);
  ctx.emit({ type: 'awaiting-review', id: item.id, language: t.language, file: srt, proofreadId: id });
  return true;
}

/**
 * `review: approved`: gets a session holding the committed SRT and sends `generate` under the translation's
 * journaled intent. A resumed intent (killed after recording it) resends the same Idempotency-Key.
 * `sent`: this call sent the render; `in-flight`: it was already sent (or another machine's is adopted);
 * `failed`: the session failed (reported); `restored`: the remote store had it.
 */
async function submitApproved(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, item: PlanItem, deps: ReviewedDeps): Promise<'sent' | 'in-flight' | 'failed' | 'restored'> {
  const review = t.review!;
  const sourceKey = item.sourceKey!;
  const key = item.key!;
  const api = proofreads(ctx);
  const trans = () => ctx.store.lock.videos[spec.id]!.translations[t.language];
  const before = trans();
  if (before?.key === key && before.status === 'submitted' && before.remoteId) return 'in-flight';
  // Nothing new after a stop: neither a session nor the render (a resent intent included, as for clips).
  if (ctx.stopped()) throw new Interrupted();
  if (!(before?.key === key && before.status === 'pending')) {
    const srtFile = { path: review.srt, sha256: review.sha256!, size: review.size ?? 0 };
    let session = ctx.store.lock.videos[spec.id]?.proofreads?.[t.language];
    // The session the SRT came from takes the reviewed file, unless HeyGen no longer has it (sessions
    // expire after about a day): then a new one is seeded with the file, as for a later edit.
    const reused = session && usableSession(session, sourceKey, t) && session.key === proofreadKey(sourceKey, t) && (await putReviewed(ctx, session.remoteId!, srtFile, item.id));
    if (!reused) {
      session = await ensureSession(ctx, spec, t, item.id, sourceKey, async () => ({ source: await deps.source(), seedAssetId: await uploadOnce(ctx, srtFile, item.id, ctx.soft) }), review.sha256);
      if (session.status !== 'completed') {
        ctx.emit({ type: 'status', id: item.id, state: 'rendering', detail: `proofread ${session.remoteId}` });
        if (!(await settleSession(ctx, spec, t, item.id, await waitSession(ctx, session.remoteId!)))) return 'failed';
      }
    }
    // The last moment to stop (the session may have taken minutes): once the intent is recorded, the POST follows.
    if (ctx.stopped()) throw new Interrupted();
    const attempt = before?.key === key ? before.attempt + 1 : 1;
    const name = ctx.languageNames.get(t.language) ?? ctx.store.lock.videos[spec.id]!.proofreads![t.language]!.language;
    await ctx.store.update((l) => {
      const e = l.videos[spec.id]!;
      e.translations[t.language] = { key, language: name, status: 'pending', idempotencyKey: idempotencyKey(key, attempt), attempt, srt: review.sha256! };
      e.proofreads![t.language]!.generated = key;
    });
  }
  // Another machine may be rendering this very review now: its claim says so, and its job is adopted.
  const claimed = ctx.remote ? await claimApproved(ctx, spec, t, item, before?.key === key && before.status === 'pending') : undefined;
  if (claimed === 'restored') return 'restored';
  if (claimed === 'adopted') return 'in-flight';
  const intent = trans()!;
  const sessionId = ctx.store.lock.videos[spec.id]!.proofreads![t.language]!.remoteId!;
  ctx.emit({ type: 'status', id: item.id, state: 'submitting' });
  const id = await api.generateProofread(
    sessionId,
    { captions: t.captions, translate_audio_only: t.audioOnly, callback_id: intent.idempotencyKey! },
    { idempotencyKey: intent.idempotencyKey! },
  );
  await ctx.store.update((l) => {
    const r = l.videos[spec.id]!.translations[t.language]!;
    r.status = 'submitted';
    r.remoteId = id;
  });
  ctx.emit({ type: 'submitted', id: item.id, remoteId: id, replayed: before?.key === key && before.status === 'pending' });
  if (ctx.remote) await claimedId(ctx, key, id);
  return 'sent';
}

/** Gives a session the committed SRT (uploaded once as an asset). False when HeyGen has no such session any more. */
async function putReviewed(ctx: RunContext, sessionId: string, srt: { path: string; sha256: string; size: number }, itemId: string): Promise<boolean> {
  const assetId = await uploadOnce(ctx, srt, itemId, ctx.soft);
  try {
    await proofreads(ctx).putProofreadSrt(sessionId, { type: 'asset_id', asset_id: assetId }, ctx.soft);
    return true;
  } catch (e) {
    if (e instanceof HeygenApiError && e.httpStatus === 404) {
      ctx.emit({ type: 'warning', message: `${itemId}: HeyGen no longer has proofread ${sessionId}: a new one is seeded with ${srt.path}` });
      return false;
    }
    throw e;
  }
}
