/**
 * One scene clip through its life, journaled in the lockfile's `clips` table like a video:
 * record intent -> POST -> record id -> poll -> download into `.heygen/clips/` -> record the file.
 * A clip is keyed by its content, so two scenes (in one video or two) with the same clip share one
 * render, and a clip recorded as completed is never paid for again: a missing file is downloaded again
 * from a fresh URL (`GET /v3/videos/{id}`).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { HeygenBuildError } from '../../errors.js';
import { idempotencyKey } from '../../hash/index.js';
import type { ClipLock, FileRecord } from '../../model/lock.js';
import type { VideoSpec } from '../../model/spec.js';
import type { SceneClip } from '../../model/clip.js';
import { clipPath, readyClip, type ClipJob, type ReadyClip } from './clip-job.js';
import type { RemoteSpeech, RemoteVideo } from '../../providers/heygen/index.js';
import { fetchFile } from './download.js';
import { toV3ClipRequest, toV3SpeechRequest } from '../../providers/heygen/map-v3-clip.js';
import { clipUploads, type ClipUploads } from './clip-assets.js';
import type { RunContext } from './context.js';
import { cuesToSrt, parseSrt, wordsToCues } from './cues.js';
import { writeFileAtomic } from '../../fsx/atomic.js';
import { sha256Hex } from '../../hash/canonical.js';
import { Interrupted, mayBeBilledTwice } from './video.js';
import { Detached } from './detach.js';
import { awaitJob, takeSlots } from './job-wait.js';
import { adoptClaim, clipFromRemote, pushClip } from './remote.js';
import { chargeBeforePay } from './remote-item.js';

/** An avatar scene clip (what HeyGen renders as a video job). */
type AvatarClip = Extract<SceneClip, { kind: 'avatar' }>;

/** The clip for `job`, rendered at most once per key and build (later callers share the first's work). */
export function ensureClip(ctx: RunContext, spec: VideoSpec, job: ClipJob): Promise<ReadyClip> {
  let pending = ctx.clips.get(job.key);
  if (!pending) {
    pending = produce(ctx, spec, job);
    ctx.clips.set(job.key, pending);
    // A failure is not cached: a later build (or --replace) tries again.
    pending.catch(() => ctx.clips.delete(job.key));
  }
  return pending;
}

async function produce(ctx: RunContext, spec: VideoSpec, job: ClipJob): Promise<ReadyClip> {
  const rec = ctx.store.lock.clips?.[job.key];
  if (rec?.status === 'completed' && !job.fresh) {
    const ready = await fromDisk(ctx, job, rec);
    if (ready) return ready;
  }
  // Before paying (or fetching from HeyGen again): a record in the remote store, from any machine.
  // Only with a store: an `await` here would let other jobs take HeyGen's slots ahead of this one.
  if (ctx.remote && !job.fresh && rec?.status !== 'submitted') {
    const remote = await clipFromRemote(ctx, job);
    if (remote) return remote;
  }
  if (rec?.status === 'completed' && !job.fresh && job.clip.kind === 'avatar' && rec.remoteId) return download(ctx, job, rec.remoteId);
  return job.clip.kind === 'speech' ? speak(ctx, job, rec) : render(ctx, spec, job, rec);
}

/** The recorded clip, when its file is still there with the recorded size. */
async function fromDisk(ctx: RunContext, job: ClipJob, rec: ClipLock): Promise<ReadyClip | undefined> {
  if (!rec.file) return undefined;
  const abs = resolve(ctx.config.root, rec.file.path);
  if (statSync(abs, { throwIfNoEntry: false })?.size !== rec.file.size) return undefined;
  const srt = rec.captions ? resolve(ctx.config.root, rec.captions.path) : undefined;
  const captions = srt && existsSync(srt) ? await parseSrt(srt) : undefined;
  return readyClip(job, abs, captions, rec.durationSeconds);
}

/** Journals a fresh intent (a new attempt after a failure) and returns its Idempotency-Key. */
async function intent(ctx: RunContext, job: ClipJob, rec: ClipLock | undefined): Promise<string> {
  if (rec && (rec.status === 'pending' || rec.status === 'submitted') && rec.idempotencyKey) return rec.idempotencyKey;
  const attempt = (rec?.attempt ?? 0) + 1;
  const fresh: ClipLock = { kind: job.clip.kind, status: 'pending', attempt, idempotencyKey: idempotencyKey(job.key, attempt) };
  await ctx.store.update((l) => {
    (l.clips ??= {})[job.key] = fresh;
  });
  return fresh.idempotencyKey!;
}

/** A clip POST made ready before its slot frees: its uploads done and its intent journaled. */
interface Prepared {
  uploads: ClipUploads;
  idem: string;
  /** Takes back an intent journaled here and never sent (the build stopped while it waited for a slot). */
  undo: () => Promise<void>;
}

/**
 * Whether a clip's POST is prepared before its slot frees, so it goes out the moment one does (the
 * intent's fsync'd write is then off the hand-over). Only where an intent recorded and never sent is
 * harmless: v3 (a rerun resends it with its Idempotency-Key, and HeyGen makes one job, as for a POST
 * whose answer was lost), no remote store (a claim is taken between intent and POST, see remote.ts),
 * and a run that waits for slots (a detached run takes a free slot or none).
 */
function preparesAhead(ctx: RunContext): boolean {
  return ctx.ahead !== undefined && ctx.client.api === 'v3' && !ctx.remote && !ctx.detach;
}

/** Uploads the clip's assets and journals its intent (the steps before a POST), stopping if the build stopped. */
async function prepare(ctx: RunContext, spec: VideoSpec, clip: AvatarClip, job: ClipJob, rec: ClipLock | undefined): Promise<Prepared> {
  if (ctx.stopped()) throw new Interrupted();
  const uploads = await clipUploads(ctx, spec, clip, job.label);
  // The last moment to stop before the intent is recorded.
  if (ctx.stopped()) throw new Interrupted();
  const before = ctx.store.lock.clips?.[job.key];
  const idem = await intent(ctx, job, rec);
  const undo = async (): Promise<void> => {
    // A resent intent (recorded by a killed build, maybe sent) stays: only this build's own new one goes.
    if (ctx.store.lock.clips?.[job.key] === before) return;
    await ctx.store.update((l) => {
      if (before) l.clips![job.key] = before;
      else delete l.clips![job.key];
    });
  };
  return { uploads, idem, undo };
}

/**
 * A slot for a clip to POST, with its POST prepared while it waited when `preparesAhead`. The clip
 * takes its place in the slot queue first, as any job does, so preparing never changes who gets a slot
 * (a translation queued before it still goes first). At most as many clips as there are slots are
 * prepared and waiting at once (`ctx.ahead`), so a stop or a crash leaves few intents unsent, and uploads
 * run no further ahead of the renders than that. A clip whose slot comes before its turn to prepare
 * prepares once it holds the slot, as before.
 */
async function slotFor(ctx: RunContext, spec: VideoSpec, clip: AvatarClip, job: ClipJob, rec: ClipLock | undefined): Promise<{ slots: number; prepared?: Prepared }> {
  const inFlight = rec?.status === 'submitted' && rec.remoteId !== undefined;
  if (inFlight || !ctx.ahead || !preparesAhead(ctx)) return { slots: await takeSlots(ctx, 1, job.label, inFlight) };
  const ahead = ctx.ahead;
  const slot = takeSlots(ctx, 1, job.label);
  // A stop rejects `slot` (it waits on the build's signal), which ends the look-ahead wait as the slot
  // coming does: no signal of its own per queued clip (an AbortController costs ~30 µs, and
  // AbortSignal.any ~0.1 ms, ahead of the first POST for every clip in a large build).
  // When the slot (or a stop) comes first, ticket is 0: prepare after the slot, as without look-ahead.
  const ticket = await ahead.acquireUntil(1, slot);
  if (ticket === 0) return { slots: await slot };
  let prepared: Prepared;
  let slots: number;
  try {
    try {
      prepared = await prepare(ctx, spec, clip, job, rec);
    } catch (e) {
      // Its place in the queue is given back as soon as it comes.
      slot.then(
        (n) => ctx.slots.release(n),
        () => undefined,
      );
      throw e;
    }
    try {
      slots = await slot;
    } catch (e) {
      await prepared.undo();
      throw e;
    }
  } finally {
    ahead.release(ticket);
  }
  if (ctx.stopped()) {
    ctx.slots.release(slots);
    await prepared.undo();
    throw new Interrupted();
  }
  return { slots, prepared };
}

async function render(ctx: RunContext, spec: VideoSpec, job: ClipJob, rec: ClipLock | undefined): Promise<ReadyClip> {
  if (job.clip.kind !== 'avatar') throw new Error('unreachable: not an avatar clip');
  const clip = job.clip;
  const { slots, prepared } = await slotFor(ctx, spec, clip, job, rec);
  // A detached clip keeps its slot: it still counts against HeyGen's concurrency cap.
  let keepSlot = false;
  let done: RemoteVideo;
  try {
    const sent: Sent = rec?.status === 'submitted' && rec.remoteId ? { remoteId: rec.remoteId, justSubmitted: false } : await submit(ctx, spec, clip, job, rec, prepared);
    if ('ready' in sent) return sent.ready;
    const { remoteId, submittedAt } = sent;
    ctx.emit({ type: 'status', id: job.label, state: 'rendering', detail: remoteId });
    const remote = { id: job.label, kind: 'clip' as const, remoteId, ...(job.seconds !== undefined ? { seconds: job.seconds } : {}) };
    done = await awaitJob(ctx, remote, (id) => ctx.videos.wait(id, submittedAt), sent.justSubmitted);
    if (done.status === 'failed') {
      ctx.failed();
      await failClip(ctx, job, done);
    }
  } catch (e) {
    if (e instanceof Detached) keepSlot = true;
    throw e;
  } finally {
    if (!keepSlot) ctx.slots.release(slots);
  }
  // The next clip in line has just taken this slot: its POST goes out first (a freed slot idles until
  // HeyGen has it), then this clip's download, which holds no slot.
  await new Promise<void>((r) => setImmediate(r));
  return download(ctx, job, ctx.store.lock.clips![job.key]!.remoteId!, done);
}

/**
 * Where a clip's render stands once it is at HeyGen: its job (`justSubmitted` by this build, timed from
 * `submittedAt` when this was its first send), or `ready` when another machine's claim already made it.
 */
type Sent = { remoteId: string; submittedAt?: number; justSubmitted: boolean } | { ready: ReadyClip };

/**
 * Sends a clip not yet at HeyGen: its uploads and journaled intent (unless `prepared` holds them), then
 * its POST, unless another machine's claim on its key says that machine is paying for it.
 */
async function submit(ctx: RunContext, spec: VideoSpec, clip: AvatarClip, job: ClipJob, rec: ClipLock | undefined, prepared: Prepared | undefined): Promise<Sent> {
  let uploads: ClipUploads;
  let idem: string;
  const resent = rec?.status === 'pending';
  if (prepared) ({ uploads, idem } = prepared);
  else {
    if (ctx.stopped()) throw new Interrupted();
    uploads = await clipUploads(ctx, spec, clip, job.label);
    // The last moment to stop: once the intent is recorded, the POST follows.
    if (ctx.stopped()) throw new Interrupted();
    idem = await intent(ctx, job, rec);
  }
  // Another machine may be paying for this key right now: its claim says so, and its job is adopted.
  const adopted = ctx.remote ? await adoptClaim(ctx, job, { key: idem, attempt: ctx.store.lock.clips![job.key]!.attempt, own: resent }) : undefined;
  if (adopted && 'ready' in adopted) return { ready: adopted.ready };
  if (adopted && 'remoteId' in adopted) return { remoteId: adopted.remoteId, justSubmitted: false };
  return post(ctx, spec, clip, job, uploads, adopted ? adopted.idempotencyKey : idem, resent);
}

/** The clip's POST with its Idempotency-Key (`resent`: an intent a killed build recorded), its id journaled and claimed at once. */
async function post(ctx: RunContext, spec: VideoSpec, clip: AvatarClip, job: ClipJob, uploads: ClipUploads, idem: string, resent: boolean): Promise<Sent> {
  ctx.emit({ type: 'status', id: job.label, state: 'submitting' });
  const body = toV3ClipRequest(clip, { ...uploads, callbackId: idem, title: `${spec.title ?? spec.id} · ${job.label}` });
  // No abort signal: once sent, the POST finishes so its id is recorded.
  const created = await ctx.client.createClip(body, { idempotencyKey: idem });
  // A resent intent may be answered with a job accepted long ago: only a first send times a render.
  const submittedAt = resent ? undefined : ctx.videos.time();
  await ctx.store.update((l) => {
    const c = l.clips![job.key]!;
    c.status = 'submitted';
    c.remoteId = created.id;
  });
  ctx.emit({ type: 'submitted', id: job.label, remoteId: created.id, replayed: resent });
  if (ctx.remote) await ctx.remote.claimed(job.key, created.id);
  return { remoteId: created.id, submittedAt, justSubmitted: true };
}

async function failClip(ctx: RunContext, job: ClipJob, done: RemoteVideo): Promise<never> {
  const error = done.error ?? { message: 'HeyGen reported the render as failed without a reason' };
  await ctx.store.update((l) => {
    const c = l.clips![job.key]!;
    c.status = 'failed';
    c.error = error;
  });
  const matting = job.clip.kind === 'avatar' && job.clip.layout === 'local';
  // HeyGen's failure code goes in the message: our codes are a closed set (ERROR_CODES).
  const reason = error.code ? ` (${error.code})` : '';
  throw new HeygenBuildError('E_RENDER_FAILED', `${job.label}: HeyGen failed the scene${reason}: ${error.message}`, {
    hint: matting
      ? 'this scene needs a transparent avatar (output_format webm) for its layout: use an avatar trained with matting, or give the scene style normal, scale 1, no offset and a color or covering image background'
      : 'fix the scene and build again; failed renders are not charged',
  });
}

/**
 * Downloads a finished avatar clip (and its captions) from fresh URLs, and records the files. `polled`:
 * the answer that said it finished; when it carries the URLs (a poll of one job asks GET /v3/videos/{id}),
 * it is the fresh answer, and the download starts a round trip sooner.
 */
async function download(ctx: RunContext, job: ClipJob, remoteId: string, polled?: RemoteVideo): Promise<ReadyClip> {
  const fresh = (): Promise<RemoteVideo> => ctx.client.getVideo(remoteId, ctx.soft);
  const first = polled?.status === 'completed' && polled.videoUrl !== undefined ? polled : await fresh();
  const ext = job.clip.kind === 'avatar' && job.clip.layout === 'local' ? 'webm' : 'mp4';
  const file = await fetchTo(ctx, job, `${job.key}.${ext}`, first.videoUrl, async () => (await fresh()).videoUrl);
  const captions = job.clip.kind === 'avatar' && job.clip.captions && first.captionUrl
    ? await fetchTo(ctx, job, `${job.key}.srt`, first.captionUrl, async () => (await fresh()).captionUrl)
    : undefined;
  await ctx.store.update((l) => {
    const c = l.clips![job.key]!;
    c.status = 'completed';
    c.file = file;
    if (captions) c.captions = captions;
    if (first.duration !== undefined) c.durationSeconds = first.duration;
    delete c.error;
  });
  if (ctx.remote) await pushClip(ctx, job.key);
  const srt = captions ? await parseSrt(resolve(ctx.config.root, captions.path)) : undefined;
  return readyClip(job, resolve(ctx.config.root, file.path), srt, first.duration);
}

/** A clip file under `.heygen/clips/`: downloaded like an output, but it is no output (no `downloaded` event). */
function fetchTo(ctx: RunContext, job: ClipJob, name: string, url: string | undefined, refresh: () => Promise<string | undefined>): Promise<FileRecord> {
  return fetchFile(ctx, job.label, clipPath(name), refresh, { ...(url ? { first: url } : {}), announce: false });
}

/**
 * Narration for a scene without an avatar: answered at once, at ~0.0003 credit/s. Its audio URL
 * expires and cannot be fetched again by id, so a lost file is synthesised again (a new key).
 */
async function speak(ctx: RunContext, job: ClipJob, rec: ClipLock | undefined): Promise<ReadyClip> {
  if (job.clip.kind !== 'speech') throw new Error('unreachable: not a speech clip');
  if (ctx.stopped()) throw new Interrupted();
  chargeBeforePay(ctx, job.key, job.label);
  const again = rec?.status === 'completed' || rec?.status === 'failed';
  if (rec?.status === 'pending' && ctx.client.api !== 'v3') ctx.emit({ type: 'warning', message: mayBeBilledTwice(job.label, 'API v2 has no Idempotency-Key') });
  const idem = await intent(ctx, job, again ? { ...rec, status: 'failed' } : rec);
  ctx.emit({ type: 'status', id: job.label, state: 'submitting', detail: 'speech' });
  let speech: RemoteSpeech;
  try {
    speech = await ctx.client.createSpeech(toV3SpeechRequest(job.clip), { idempotencyKey: idem });
  } catch (e) {
    await ctx.store.update((l) => {
      const c = l.clips![job.key]!;
      c.status = 'failed';
      c.error = { message: e instanceof Error ? e.message : String(e) };
    });
    throw e;
  }
  const file = await fetchTo(ctx, job, `${job.key}.audio`, speech.audioUrl, () => Promise.resolve(speech.audioUrl));
  const cues = wordsToCues(speech.words);
  const srt = cuesToSrt(cues);
  const srtPath = clipPath(`${job.key}.srt`);
  await writeFileAtomic(resolve(ctx.config.root, srtPath), srt);
  await ctx.store.update((l) => {
    const c = l.clips![job.key]!;
    c.status = 'completed';
    c.file = file;
    c.captions = { path: srtPath, sha256: sha256Hex(srt), size: Buffer.byteLength(srt) };
    c.durationSeconds = speech.duration;
    delete c.error;
  });
  if (ctx.remote) await pushClip(ctx, job.key);
  return readyClip(job, resolve(ctx.config.root, file.path), cues, speech.duration);
}
