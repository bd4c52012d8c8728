/**
 * A video rendered scene by scene (HeyGen v3): each scene's clip is ensured (reused, resumed, created or
 * downloaded again), then the one compositor the drafts use lays them out and joins them into the output.
 *
 * The video's own lockfile entry says `composed: true` and is `submitted` while its clips render, then
 * `completed` with the output's digest. A missing output is composed again from the clips at no cost.
 */
import { dirname, resolve } from 'node:path';
import type { Clip, ComposeResult } from '../../compose/index.js';
import { formatSrt } from '../../compose/captions.js';
import { composer } from './composer.js';
import { copyFile } from 'node:fs/promises';
import { mkdirp, withTempFile, writeFileAtomic } from '../../fsx/atomic.js';
import { HeygenBuildError } from '../../errors.js';
import { sha256File } from '../../fsx/digest.js';
import type { FileRecord, LockEntry } from '../../model/lock.js';
import { captionsPath, isAudioOutput } from '../../model/outputs.js';
import { composeVoiceover } from './voiceover.js';
import { sceneAudioFile } from './scene-audio.js';
import type { PlanItem } from '../../model/plan.js';
import { effectiveScene, hasOverlays, type VideoSpec } from '../../model/spec.js';
import { formatProblem, v3SceneIssues } from '../../providers/heygen/index.js';
import { sceneLabel, scenePlans, type ScenePlan } from '../../plan/scenes.js';
import { errorInfo, failedEvent, placedFailure } from '../failure.js';
import { laidOutFiles } from '../laid-out.js';
import type { ReadyClip } from './clip-job.js';
import { ensureClip } from './clips.js';
import { mp4Streams, type Mp4Streams } from './mp4-streams.js';
import type { RunContext } from './context.js';
import { Interrupted } from './video.js';
import { Deferred, Detached, isDetachOutcome } from './detach.js';
import { pushVideo, videoFromRemote } from './remote.js';
import { checkUploads, maySend, uploadsOf } from './upload-check.js';

/** Whether `item` is rendered scene by scene: planned so, or restoring a composed output. */
export function isComposed(ctx: RunContext, item: PlanItem): boolean {
  return item.scenes !== undefined || (item.action === 'download' && ctx.store.lock.videos[item.videoId]?.composed === true);
}

/**
 * Renders (or restores) a composed video. Returns false when it failed (already reported). `parts`:
 * the video's per-part digests, computed when its entry is written (every video of a build starts at
 * once, and the first POST waits for all of them to start).
 */
export async function runComposedVideo(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: () => Record<string, string>): Promise<boolean> {
  const issues = v3SceneIssues(spec);
  if (issues.length > 0) {
    // Refused alone, before anything is sent: the rest of the build goes on.
    const first = issues[0]!;
    ctx.emit({ type: 'failed', id: spec.id, code: 'E_UNSUPPORTED', message: `${spec.source}: ${formatProblem(spec.id, first)} (hint: ${first.hint})` });
    return false;
  }
  // A restore, or a key some machine already rendered: the output comes from the remote store, free.
  if (ctx.remote && (await videoFromRemote(ctx, spec, item, parts(), true))) return true;
  const plans = scenePlans(spec);
  const settled = await ensureClips(ctx, spec, item, plans);
  if (settled.some((s) => s.status === 'rejected')) {
    await clipsNotReady(ctx, spec, item, parts, plans, settled);
    return false;
  }
  await completeComposed(ctx, spec, item, parts, settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined)));
  return true;
}

/** Each scene's clip, ensured (reused, resumed, created or downloaded again); uploads checked before any is sent. */
async function ensureClips(ctx: RunContext, spec: VideoSpec, item: PlanItem, plans: ScenePlan[]): Promise<PromiseSettledResult<ReadyClip | undefined>[]> {
  const planned = new Map((item.scenes ?? []).map((s) => [s.index, s.action]));
  // --replace renders every clip to pay for with HeyGen, as promised: none comes from the store.
  const fresh = (key: string, index: number): boolean => planned.get(index) === 'create' && (item.replace === true || ctx.store.lock.clips?.[key]?.status === 'completed');
  // The files the clips still to be sent upload, checked before any is: a bad one fails the video (run.ts
  // reports it; nothing is recorded, as nothing was sent) before anything of it goes to HeyGen.
  const uploads = uploadsOf(spec, plans.filter((p) => p.key !== undefined && maySend(ctx.store.lock.clips?.[p.key], fresh(p.key, p.index))));
  if (uploads.length > 0) await checkUploads(ctx, uploads);
  // allSettled: a failed scene must not leave the others' POSTs unrecorded when the build returns.
  return Promise.allSettled(
    plans.map((p) => {
      if (!p.clip || !p.key) return Promise.resolve(undefined);
      return ensureClip(ctx, spec, { key: p.key, clip: p.clip, label: sceneLabel(spec.id, p.index), fresh: fresh(p.key, p.index), seconds: p.seconds });
    }),
  );
}

/**
 * Some clip is not ready: the video waits (clips rendering at HeyGen or not sent: Detached or Deferred
 * thrown), stops (Interrupted thrown), or has failed (reported; recorded unless it only timed out or was
 * refused over budget).
 */
async function clipsNotReady(
  ctx: RunContext,
  spec: VideoSpec,
  item: PlanItem,
  parts: () => Record<string, string>,
  plans: ScenePlan[],
  settled: PromiseSettledResult<ReadyClip | undefined>[],
): Promise<void> {
  const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  const failure = rejected.find((s) => !isDetachOutcome(s.reason)) ?? rejected[0]!;
  if (isDetachOutcome(failure.reason)) {
    // Nothing failed: some clips render at HeyGen (or wait for a slot). The video is composed by the
    // build that finds them all done; until then its clips table entries are the journal.
    const rendering = rejected.filter((s) => s.reason instanceof Detached).length;
    if (rendering > 0) throw new Detached();
    throw failure.reason instanceof Deferred ? failure.reason : new Deferred('not sent');
  }
  if (failure.reason instanceof Interrupted || ctx.soft.aborted) throw new Interrupted();
  // A clip still rendering after the poll timeout stays `submitted` in the clips table: the next
  // build resumes it. Anything else failed the video.
  const timedOut = failure.reason instanceof HeygenBuildError && failure.reason.code === 'E_POLL_TIMEOUT';
  // Clips all refused over --max-credits before anything was sent (their intents withdrawn): no failed
  // render to record, which would make the next plan a retry that skips the remote store.
  const refused = rejected.every((s) => s.reason instanceof HeygenBuildError && s.reason.code === 'E_BUDGET');
  // The scene whose clip failed: a render HeyGen failed is reported at it in the manifest.
  const scene = plans[settled.indexOf(failure)]?.index;
  if (!timedOut && !refused) await recordFailure(ctx, spec, item, parts(), failure.reason, scene);
  else reportFailure(ctx, spec, failure.reason, scene);
}

/** Every clip ready: composes the output, records the video completed, pushes it to the remote store. */
async function completeComposed(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: () => Record<string, string>, clips: (ReadyClip | undefined)[]): Promise<void> {
  ctx.emit({ type: 'status', id: spec.id, state: 'rendering', detail: 'composing' });
  const output = await composeOutput(ctx, spec, clips);
  const digests = parts();
  await ctx.store.update((l) => {
    const e: LockEntry = { ...entryFor(l.videos[spec.id], spec, item, digests), status: 'completed', output: output.video, durationSeconds: output.seconds };
    if (output.captions) e.captions = output.captions;
    l.videos[spec.id] = e;
  });
  if (ctx.remote) await pushVideo(ctx, spec.id);
  ctx.emit({ type: 'downloaded', id: spec.id, path: output.video.path, size: output.video.size, sha256: output.video.sha256 });
  ctx.emit({ type: 'status', id: spec.id, state: 'done', detail: 'composed' });
}

/**
 * The video's lockfile entry, written once it is composed (or failed). While its clips render, the
 * clips table is the journal: a killed build resumes each clip, and the video is planned again.
 */
function entryFor(prev: LockEntry | undefined, spec: VideoSpec, item: PlanItem, parts: Record<string, string>): LockEntry {
  // A completed video rendered again with the same content is a replacement, and a failed one built
  // again a retry: a new attempt either way, as the plan announces ("retrying as attempt N+1").
  const again = (prev?.status === 'completed' && item.action !== 'download') || prev?.status === 'failed';
  const attempt = prev !== undefined && prev.key === item.key ? prev.attempt + (again ? 1 : 0) : 1;
  return { key: item.key!, parts, status: 'submitted', api: 'v3', attempt, composed: true, translations: prev?.translations ?? {} };
}

async function recordFailure(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, reason: unknown, scene?: number): Promise<void> {
  const info = errorInfo(reason);
  try {
    await ctx.store.update((l) => {
      l.videos[spec.id] = { ...entryFor(l.videos[spec.id], spec, item, parts), status: 'failed', error: { code: info.code, message: info.message } };
    });
  } catch (e) {
    // The video fails for `reason`, not for its record: a full disk that failed a clip's download
    // may still be full (another download refilling the space) when the record is written. The record
    // stays in memory for the build's next save; unsaved, the next build plans the video again anyway.
    ctx.emit({ type: 'warning', message: `${spec.id}: its failure could not be recorded in the lockfile: ${errorInfo(e).message}` });
  }
  reportFailure(ctx, spec, reason, scene);
}

/**
 * The video's `failed` event; a render of scene `scene` HeyGen failed, placed at that scene. The
 * lockfile's record (above) keeps the unplaced message: a line number goes stale with the next edit.
 */
function reportFailure(ctx: RunContext, spec: VideoSpec, reason: unknown, scene?: number): void {
  ctx.emit(failedEvent(spec.id, placedFailure(reason, () => ctx.place?.(spec, scene))));
}

/** The compositor's input for scene `i`: its clip, or (no HeyGen call) its audio file or silence. */
async function toClip(ctx: RunContext, spec: VideoSpec, i: number, c: ReadyClip | undefined): Promise<Clip> {
  if (c) {
    const common = { ...(c.captions ? { captions: c.captions } : {}), ...(c.seconds !== undefined ? { seconds: c.seconds } : {}) };
    return { kind: c.kind, path: c.path, ...common };
  }
  const input = effectiveScene(spec, i).input;
  if (input.type === 'silence') return { kind: 'audio', seconds: input.seconds };
  if (input.type === 'audio') {
    return { kind: 'audio', path: await sceneAudioFile(ctx, spec, i, input.source) };
  }
  return { kind: 'audio' };
}

/**
 * URL backgrounds of scenes laid out here, copied into `.heygen/remote/` and revalidated once per
 * build (src/execute/url-copies.ts): a picture changed at its URL is what the composition shows.
 */
async function urlAssets(ctx: RunContext, spec: VideoSpec, clips: readonly (ReadyClip | undefined)[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [i, c] of clips.entries()) {
    if (c?.kind === 'scene') continue; // HeyGen composited this background itself
    const bg = effectiveScene(spec, i).background;
    if (bg && bg.type !== 'color' && bg.source.kind === 'url' && !out.has(bg.source.url)) {
      out.set(bg.source.url, await ctx.urlCopies.get(bg.source.url, `${spec.source}, scene ${i + 1}'s ${bg.type} background`, ctx.soft));
    }
  }
  return out;
}

async function composeOutput(
  ctx: RunContext,
  spec: VideoSpec,
  clips: (ReadyClip | undefined)[],
): Promise<{ video: FileRecord; captions?: FileRecord; seconds: number }> {
  const outFile = resolve(ctx.config.root, spec.output);
  let result;
  // Probing a clip (one short ffprobe) and copying a whole one hold no compose slot (no ffmpeg runs):
  // when a batch of renders ends together, they run side by side instead of two at a time.
  const probe = await ctx.probeSlots.acquire(1);
  try {
    const whole = isAudioOutput(spec.output) ? undefined : await asWholeVideo(spec, clips);
    if (whole) return await copyWhole(ctx, spec, whole, outFile);
  } catch (e) {
    throw composeError(ctx, spec, e);
  } finally {
    ctx.probeSlots.release(probe);
  }
  const slot = await ctx.composeSlots.acquire(1);
  try {
    if (isAudioOutput(spec.output)) return await composeVoiceover(ctx, spec, clips);
    result = await composeClips(ctx, spec, clips, outFile, true);
  } catch (e) {
    throw composeError(ctx, spec, e);
  } finally {
    ctx.composeSlots.release(slot);
  }
  const video = await record(spec.output, result.path);
  const captions = result.captions ? await record(captionsPath(spec.output), result.captions) : undefined;
  return { video, ...(captions ? { captions } : {}), seconds: result.seconds };
}

/** One scene that HeyGen composited at the output's size: the clip is the video, byte for byte. */
async function copyWhole(ctx: RunContext, spec: VideoSpec, whole: ReadyClip, outFile: string): Promise<{ video: FileRecord; captions?: FileRecord; seconds: number }> {
  await mkdirp(dirname(outFile));
  await withTempFile(outFile, (temp) => copyFile(whole.path, temp));
  const video = await record(spec.output, outFile);
  const captions = await copyCaptions(ctx, spec, whole);
  return { video, ...(captions ? { captions } : {}), seconds: whole.seconds ?? 0 };
}

/** What a failure while composing `spec` is reported as (a stop is an interruption, not a failure). */
function composeError(ctx: RunContext, spec: VideoSpec, e: unknown): Error {
  if (ctx.soft.aborted) return new Interrupted();
  return e instanceof HeygenBuildError ? e : new HeygenBuildError('E_COMPOSE', `${spec.id}: composing the scenes failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** Composes `spec` from its ready clips into `outFile`, with or without its text overlays. */
export async function composeClips(
  ctx: RunContext,
  spec: VideoSpec,
  clips: readonly (ReadyClip | undefined)[],
  outFile: string,
  overlays: boolean,
): Promise<ComposeResult> {
  const inputs = await Promise.all(clips.map((c, i) => toClip(ctx, spec, i, c)));
  const assets = await urlAssets(ctx, spec, clips);
  const { compose } = await composer();
  // The project files laid out here must still hold the planned bytes, or the output is not kept.
  const read = laidOutFiles(spec, clips.map((c) => c?.kind));
  const verify = (): Promise<void> => ctx.assetCheck.verify(read, `the composition of ${spec.id}`);
  return compose(spec, inputs, { root: ctx.config.root, outFile, signal: ctx.soft, assets, overlays, verify });
}

/** The clips of every scene (reused when recorded: nothing is paid for a clip already rendered). */
export async function readyClips(ctx: RunContext, spec: VideoSpec): Promise<(ReadyClip | undefined)[]> {
  return Promise.all(
    scenePlans(spec).map((p) => (p.clip && p.key ? ensureClip(ctx, spec, { key: p.key, clip: p.clip, label: sceneLabel(spec.id, p.index) }) : Promise.resolve(undefined))),
  );
}

/**
 * The single clip of a one-scene video when it needs nothing done to it: no layout, no burned captions, the output's
 * size and codecs. A transparent video's is HeyGen's WebM itself, when its avatar stands as HeyGen framed it.
 */
export async function asWholeVideo(spec: VideoSpec, clips: readonly (ReadyClip | undefined)[]): Promise<ReadyClip | undefined> {
  const [only] = clips;
  if (clips.length !== 1 || !only || spec.caption === 'burn' || hasOverlays(spec)) return undefined;
  if (spec.transparent) return asWholeWebm(spec, only);
  if (only.kind !== 'scene') return undefined;
  // The clip's own headers first: when they show it fits, no ffprobe is started (mp4-streams.ts).
  // Anything else, ffprobe decides, as before. Its length then is HeyGen's, as it would be below.
  if (only.seconds !== undefined && fitsByHeaders(spec, await mp4Streams(only.path))) return only;
  const { probeMedia, findFfmpeg } = await composer();
  const media = await probeMedia(only.path, await findFfmpeg());
  const v = media.video;
  const fits = v?.codec === 'h264' && v.pixFmt === 'yuv420p' && v.width === spec.dimension.width && v.height === spec.dimension.height;
  return fits && media.audio?.codec === 'aac' ? { ...only, seconds: only.seconds ?? media.seconds } : undefined;
}

/** Whether an MP4's headers show the output's size, H.264 in yuv420p and AAC sound (as `asWholeVideo` asks of ffprobe). */
function fitsByHeaders(spec: VideoSpec, s: Mp4Streams | undefined): boolean {
  const v = s?.video;
  return v?.codec === 'h264' && v.pixFmt === 'yuv420p' && v.width === spec.dimension.width && v.height === spec.dimension.height && s?.audio?.codec === 'aac';
}

async function asWholeWebm(spec: VideoSpec, only: ReadyClip): Promise<ReadyClip | undefined> {
  const a = effectiveScene(spec, 0).avatar;
  if (only.kind !== 'alpha' || !a || a.style !== 'normal' || a.scale !== 1 || a.offset.x !== 0 || a.offset.y !== 0) return undefined;
  const { probeMedia, findFfmpeg } = await composer();
  const media = await probeMedia(only.path, await findFfmpeg());
  const v = media.video;
  const fits = v?.codec === 'vp9' && v.width === spec.dimension.width && v.height === spec.dimension.height;
  return fits ? { ...only, seconds: only.seconds ?? media.seconds } : undefined;
}

/** The sidecar of a one-scene video: the clip's own captions, written as the output's. */
async function copyCaptions(ctx: RunContext, spec: VideoSpec, clip: ReadyClip): Promise<FileRecord | undefined> {
  if (spec.caption === 'none' || !clip.captions) return undefined;
  const rel = captionsPath(spec.output);
  const abs = resolve(ctx.config.root, rel);
  await writeFileAtomic(abs, formatSrt(clip.captions));
  return record(rel, abs);
}

async function record(rel: string, abs: string): Promise<FileRecord> {
  const d = await sha256File(abs);
  return { path: rel, sha256: d.sha256, size: d.size };
}
