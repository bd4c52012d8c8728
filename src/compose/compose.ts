/**
 * `compose(spec, clips, opts)`: the one compositor. Drafts and HeyGen builds both come through
 * here, so a draft and its final share layout and timing. The output is written to a temp file
 * next to it and renamed into place: a killed composition leaves no partial video.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HeygenBuildError, isHeygenBuildError } from '../errors.js';
import type { VideoSpec } from '../model/spec.js';
import { mkdirp, removeQuietly, withTempFile, writeFileAtomic } from '../fsx/atomic.js';
import { fsErrorFromText } from '../fsx/errors.js';
import { formatSrt, mergeCues } from './captions.js';
import { concatCopy, whyNotCopy } from './concat.js';
import { encodeTimeline } from './encode.js';
import { findFfmpeg, type FfmpegTools } from './ffmpeg.js';
import { probeMedia, type MediaInfo } from './media.js';
import { findEspeak } from './speech.js';
import { buildTimeline, type TimelineScene } from './timeline.js';
import { hasOverlays, layerFacts, placeOverlays } from './text/layer.js';
import type { Clip, ComposedScene, ComposeOptions, ComposeResult } from './types.js';
import { captionsPathFor } from '../model/outputs.js';

/** Frame rate of a final when neither the caller nor any clip says. */
export const DEFAULT_FPS = 25;

// Defined with the other output paths, so that a plan (the draft cache's reads) loads no compositor.
export { captionsPathFor };

/**
 * Composes a video from its spec and one clip per scene into opts.outFile, atomically; drafts and finals both go
 * through here.
 */
export async function compose(spec: VideoSpec, clips: readonly Clip[], opts: ComposeOptions): Promise<ComposeResult> {
  const { signal } = opts;
  signal?.throwIfAborted();
  checkSpec(spec);
  checkClips(spec, clips, opts.fps);
  const tools = opts.tools ?? (await findFfmpeg());
  const placeholders = clips.some((c) => c.kind === 'placeholder');
  const espeak = !placeholders || opts.espeak === false ? undefined : (opts.espeak ?? (await findEspeak()));
  const outFile = path.resolve(opts.outFile);
  const srtFile = captionsPathFor(outFile);
  await mkdirp(path.dirname(outFile));

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'heygen-compose-'));
  try {
    const r = await recipe(spec, clips, opts, { tools, workDir, ...(espeak ? { espeak } : {}) });
    const scenes = await withTempFile(
      outFile,
      async (tmp) => {
        const scenes = await renderInto(r, tmp);
        signal?.throwIfAborted();
        await opts.verify?.();
        // The sidecar first, then the video: a finished video always has its captions next to it.
        if (spec.caption !== 'none') await writeFileAtomic(srtFile, r.srt);
        else await removeQuietly(srtFile); // a stale sidecar from when captions were on
        return scenes;
      },
      'part',
    );
    const last = scenes[scenes.length - 1]!;
    return {
      path: outFile,
      ...(spec.caption !== 'none' ? { captions: srtFile } : {}),
      seconds: round3(last.start + last.seconds),
      fps: r.fps,
      scenes,
      reencoded: !r.copy,
      ...(r.facts ? { layer: r.facts } : {}),
    };
  } catch (e) {
    // ffmpeg reports a full disk only in its stderr: say it like any other write would.
    throw (isHeygenBuildError(e) && e.code === 'E_FFMPEG' && fsErrorFromText(e.message, outFile)) || e;
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Everything decided before ffmpeg writes: the timeline, the captions, the overlays, and whether clips are joined as they are. */
interface Recipe {
  spec: VideoSpec;
  clips: readonly Clip[];
  opts: ComposeOptions;
  tools: FfmpegTools;
  workDir: string;
  media: Map<number, MediaInfo>;
  fps: number;
  timeline: TimelineScene[];
  cues: ReturnType<typeof mergeCues>;
  srt: string;
  burn: boolean;
  overlays: ReturnType<typeof placeOverlays>;
  facts: ReturnType<typeof layerFacts> | undefined;
  /** The clips are joined without re-encoding (concat.ts). */
  copy: boolean;
  draft: boolean;
  comment: string;
}

async function recipe(
  spec: VideoSpec,
  clips: readonly Clip[],
  opts: ComposeOptions,
  env: { tools: FfmpegTools; workDir: string; espeak?: string },
): Promise<Recipe> {
  const { signal } = opts;
  const { tools, workDir } = env;
  const media = await probeClips(clips, tools, signal);
  const fps = opts.fps ?? clipFps(media) ?? DEFAULT_FPS;
  const timeline = await buildTimeline(spec, clips, {
    root: opts.root,
    fps,
    tools,
    ...(env.espeak ? { espeak: env.espeak } : {}),
    workDir,
    media,
    ...(opts.assets ? { assets: opts.assets } : {}),
    ...(signal ? { signal } : {}),
  });
  const cues = spec.caption === 'none' ? [] : mergeCues(timeline);
  const burn = spec.caption === 'burn' && cues.length > 0;
  const facts = hasOverlays(spec) ? layerFacts(timeline, fps) : undefined;
  const overlays = opts.overlays !== false && facts ? placeOverlays(spec, facts) : [];
  const drawn = burn || opts.language !== undefined || overlays.length > 0;
  // A transparent video is always encoded (VP9 with alpha): the copy path joins H.264 MP4s.
  const copy = !spec.transparent && whyNotCopy(clips, media, { dim: spec.dimension, fps, drawn }) === undefined;
  const draft = clips.every((c) => c.kind === 'placeholder');
  const comment = draft ? `heygen-build draft of ${spec.id}` : `heygen-build ${spec.id}`;
  return { spec, clips, opts, tools, workDir, media, fps, timeline, cues, srt: formatSrt(cues), burn, overlays, facts, copy, draft, comment };
}

/** Writes the video of recipe `r` to `tmp`: the clips joined as they are, or the timeline encoded. */
async function renderInto(r: Recipe, tmp: string): Promise<ComposedScene[]> {
  const { spec, opts, tools, workDir, comment } = r;
  const signal = opts.signal;
  if (r.copy) {
    const files = r.clips.map((c, i) => ({ file: (c as { path: string }).path, seconds: pictureSeconds(r.media.get(i)!) }));
    await concatCopy(files, tmp, { tools, workDir, comment, ...(signal ? { signal } : {}) });
    return copiedScenes(r.clips.map((_, i) => r.media.get(i)!), r.fps);
  }
  const burnSrt = path.join(workDir, 'captions.srt');
  if (r.burn) await writeFile(burnSrt, r.srt, 'utf8');
  await encodeTimeline(
    {
      videoId: spec.id,
      dim: spec.dimension,
      fps: r.fps,
      timeline: r.timeline,
      // libass draws into the colour planes only: on a clear canvas its text would not show.
      ...(r.burn ? { burn: { cues: r.cues, srt: burnSrt, with: spec.transparent ? 'drawtext' : (opts.burnWith ?? 'libass') } } : {}),
      ...(opts.language !== undefined ? { language: opts.language } : {}),
      ...(r.overlays.length > 0 ? { overlays: r.overlays } : {}),
      ...(opts.textLanguage !== undefined ? { textLanguage: opts.textLanguage } : {}),
      ...(opts.avatarImages ? { avatarImages: opts.avatarImages } : {}),
      draft: r.draft,
      ...(spec.transparent ? { transparent: true } : {}),
      comment,
      tools,
      workDir,
      ...(signal ? { signal } : {}),
    },
    tmp,
  );
  return timelineScenes(r.timeline);
}

async function probeClips(clips: readonly Clip[], tools: FfmpegTools, signal?: AbortSignal): Promise<Map<number, MediaInfo>> {
  // ffprobe is quick but a process each: start them together.
  const probes = await Promise.all(
    clips.map((c) => (c.kind === 'placeholder' || c.path === undefined ? Promise.resolve(undefined) : probeMedia(c.path, tools, signal))),
  );
  const media = new Map<number, MediaInfo>();
  for (const [i, p] of probes.entries()) if (p) media.set(i, p);
  return media;
}

/** The first video clip's frame rate: finals keep the rate HeyGen rendered at. */
function clipFps(media: ReadonlyMap<number, MediaInfo>): number | undefined {
  for (const m of [...media.entries()].sort((a, b) => a[0] - b[0])) {
    const fps = m[1].video?.fps;
    if (fps && fps > 0 && fps <= 120) return Math.round(fps * 1000) / 1000;
  }
  return undefined;
}

function timelineScenes(timeline: readonly TimelineScene[]): ComposedScene[] {
  return timeline.map((t) => ({ start: round3(t.start), seconds: round3(t.seconds), frames: t.frames }));
}

/** Stream-copied clips last exactly what their pictures last. */
function copiedScenes(media: readonly MediaInfo[], fps: number): ComposedScene[] {
  let start = 0;
  return media.map((m) => {
    const seconds = pictureSeconds(m);
    const s = { start: round3(start), seconds: round3(seconds), frames: Math.round(seconds * fps) };
    start += seconds;
    return s;
  });
}

function pictureSeconds(m: MediaInfo): number {
  return m.video?.seconds ?? m.seconds;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function checkSpec(spec: VideoSpec): void {
  const { width, height } = spec.dimension;
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 16 && n <= 8192 && n % 2 === 0;
  if (!ok(width) || !ok(height)) {
    throw new HeygenBuildError(
      'E_DRAFT_DIMENSION',
      `video ${spec.id}: cannot draft ${width}x${height}: width and height must be even whole numbers between 16 and 8192`,
      { hint: 'use an even dimension such as 1280x720 or 720x1280' },
    );
  }
  if (spec.scenes.length === 0) {
    throw new HeygenBuildError('E_DRAFT_EMPTY', `video ${spec.id} has no scenes to draft`, {
      hint: 'add at least one scene to the manifest',
    });
  }
}

/** The caller's side of the contract: one clip per scene, sane lengths. A mismatch is our bug. */
function checkClips(spec: VideoSpec, clips: readonly Clip[], fps: number | undefined): void {
  const bug = (what: string): HeygenBuildError =>
    new HeygenBuildError('E_COMPOSE_CLIPS', `cannot compose video ${spec.id}: ${what}`, { hint: 'this is a bug in heygen-build: please report it' });
  if (clips.length !== spec.scenes.length) throw bug(`${clips.length} clips for ${spec.scenes.length} scenes`);
  if (fps !== undefined && !(fps > 0 && fps <= 120)) throw bug(`frame rate ${fps}`);
  for (const [i, c] of clips.entries()) {
    if (c.seconds !== undefined && !(c.seconds > 0 && Number.isFinite(c.seconds))) throw bug(`scene ${i + 1} lasts ${c.seconds} s`);
  }
}
