/**
 * A built video as scenes in whole frames, each with the file it comes from. The frames are counted
 * the way the compositor counted them (src/compose/timeline.ts), from what the build recorded:
 *
 * - a video HeyGen rendered scene by scene: an avatar scene is its clip as HeyGen rendered it (the
 *   transparent WebM of a scene laid out here, else the MP4); a scene without an avatar (narration,
 *   an audio file, silence) has no clip of its own, so it is cut from the composed video;
 * - a video HeyGen rendered whole (a template, a legacy v2 video, a dub): one scene, the output;
 * - a draft: its scenes cut from the draft, at the frames the draft cache recorded.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { probeMedia, type Cue, type FfmpegTools } from '../compose/index.js';
import { parseSrt } from '../execute/heygen/cues.js';
import type { ClipLock, FileRecord, LockEntry, Lockfile } from '../model/lock.js';
import { isAudioOutput } from '../model/outputs.js';
import { effectiveScene, type VideoSpec } from '../model/spec.js';
import { estimateSceneSeconds } from '../plan/estimate.js';
import { scenePlans } from '../plan/scenes.js';
import type { CachedDraft } from '../providers/local/cache.js';
import { composedCopy } from './copy-age.js';
import { apportion, sceneFrames } from './frames.js';
import type { CollectedScene, CollectedVideo, SceneMedia, SkippedVideo } from './model.js';

/** What collecting needs: the project root, ffmpeg's tools (ffprobe reads lengths and frame rates), and where warnings go. */
export interface CollectContext {
  root: string;
  tools: FfmpegTools;
  warn: (message: string) => void;
  signal?: AbortSignal;
}

/** A video HeyGen built, from its lockfile entry (and its clips when it was composed from them). */
export async function collectFinal(ctx: CollectContext, spec: VideoSpec, entry: LockEntry, lock: Readonly<Lockfile>): Promise<CollectedVideo | SkippedVideo> {
  if (!entry.output || isAudioOutput(spec.output)) return { id: spec.id, reason: 'an audio-only output (a voiceover): no picture to export' };
  const output = recorded(ctx.root, entry.output);
  const info = await probeMedia(output.file, ctx.tools, ctx.signal);
  if (!info.video) return { id: spec.id, reason: `${entry.output.path} has no picture` };
  const fps = info.video.fps > 0 ? info.video.fps : 25;
  let scenes: CollectedScene[];
  if (entry.composed && spec.scenes.length > 0) {
    scenes = await composedScenes(ctx, spec, lock.clips ?? {}, output, fps);
  } else {
    const frames = sceneFrames(info.video.seconds, fps);
    scenes = [{ from: 0, durationInFrames: frames, media: output }];
  }
  const cues = entry.captions ? await readCues(resolve(ctx.root, entry.captions.path)) : await clipCues(ctx, spec, lock.clips ?? {}, scenes, fps);
  return video(spec, false, { width: info.video.width, height: info.video.height, fps }, output, scenes, cues);
}

/** A draft from the draft cache, its scenes cut from it. */
export async function collectDraft(ctx: CollectContext, spec: VideoSpec, draft: CachedDraft): Promise<CollectedVideo | SkippedVideo> {
  if (isAudioOutput(spec.output)) return { id: spec.id, reason: 'an audio-only draft (a voiceover): no picture to export' };
  const output: SceneMedia = { file: draft.path, sha256: draft.sha256, size: draft.size, transparent: false };
  const info = await probeMedia(draft.path, ctx.tools, ctx.signal);
  if (!info.video) return { id: spec.id, reason: 'the draft has no picture' };
  const fps = draft.fps ?? (info.video.fps > 0 ? info.video.fps : 12);
  // Drafts cached before their scenes were recorded: their frames shared out by the plan's estimates.
  // (A template video has no scenes of its own: its draft is then one scene.)
  const estimates = spec.scenes.length > 0 ? spec.scenes.map((_, i) => estimateSceneSeconds(spec, i)) : [1];
  const frames = draft.scenes ?? apportion(estimates, sceneFrames(info.video.seconds, fps));
  const scenes = place(frames.map((n) => ({ frames: n, media: (cut) => cut })), output, fps);
  const cues = draft.captions ? await readCues(draft.captions) : [];
  return video(spec, true, { width: info.video.width, height: info.video.height, fps }, output, scenes, cues);
}

function video(
  spec: VideoSpec,
  draft: boolean,
  size: { width: number; height: number; fps: number },
  output: SceneMedia,
  scenes: CollectedScene[],
  cues: Cue[],
): CollectedVideo {
  const durationInFrames = scenes.reduce((a, s) => a + s.durationInFrames, 0);
  const { cut: _cut, ...whole } = output;
  return { id: spec.id, ...(spec.title !== undefined ? { title: spec.title } : {}), draft, ...size, durationInFrames, output: whole, scenes, cues };
}

/** A scene's length and, once its place is known, its media. */
interface Slot {
  frames: number;
  /** `cut`: the scene's own frames of the composed video, when the scene has no file of its own. */
  media: (cut: SceneMedia) => SceneMedia;
}

/** Lays `slots` end to end; a scene without a file of its own is cut from `output` at its place. */
function place(slots: readonly Slot[], output: SceneMedia, fps: number): CollectedScene[] {
  let from = 0;
  return slots.map((s) => {
    const { cut: _none, ...whole } = output;
    const cut: SceneMedia = { ...whole, transparent: false, cut: { from, frames: s.frames, fps } };
    const scene = { from, durationInFrames: s.frames, media: s.media(cut) };
    from += s.frames;
    return scene;
  });
}

/** The scenes of a video composed from clips, frame for frame as the compositor placed them. */
async function composedScenes(ctx: CollectContext, spec: VideoSpec, clips: Readonly<Record<string, ClipLock>>, output: SceneMedia, fps: number): Promise<CollectedScene[]> {
  const slots: Slot[] = [];
  for (const p of scenePlans(spec)) {
    const rec = p.key ? clips[p.key] : undefined;
    // A clip deleted from .heygen/clips since the build is cut from the video like the others.
    if (rec?.file && rec.status === 'completed' && p.clip?.kind === 'avatar' && existsSync(resolve(ctx.root, rec.file.path))) {
      const media = recorded(ctx.root, rec.file, extname(rec.file.path).toLowerCase() === '.webm');
      const seconds = rec.durationSeconds ?? (await probeMedia(media.file, ctx.tools, ctx.signal)).seconds;
      slots.push({ frames: sceneFrames(seconds, fps), media: () => media });
      continue;
    }
    // Narration, an audio file or silence: the compositor shows the background, so the scene is cut.
    const seconds = rec?.durationSeconds ?? (await sceneSeconds(ctx, spec, p.index, output.file));
    slots.push({ frames: sceneFrames(seconds, fps), media: (cut) => cut });
  }
  return place(slots, output, fps);
}

/** How long a scene without a clip in the composed video `output` lasts: its silence, its audio file's length, or the estimate. */
async function sceneSeconds(ctx: CollectContext, spec: VideoSpec, index: number, output: string): Promise<number> {
  const input = effectiveScene(spec, index).input;
  if (input.type === 'silence') return input.seconds;
  if (input.type === 'audio') {
    // A URL's copy as the build composed with it, never fetched again here (copy-age.ts says why).
    const file = input.source.kind === 'local' ? resolve(ctx.root, input.source.path) : composedCopy(ctx.root, spec, index, input.source.url, output, ctx.warn);
    if (file !== undefined && existsSync(file)) return (await probeMedia(file, ctx.tools, ctx.signal)).seconds;
  }
  return estimateSceneSeconds(spec, index);
}

/** Captions of a composed video without a sidecar: each clip's own, moved to its scene. */
async function clipCues(ctx: CollectContext, spec: VideoSpec, clips: Readonly<Record<string, ClipLock>>, scenes: readonly CollectedScene[], fps: number): Promise<Cue[]> {
  if (scenes.length !== spec.scenes.length) return [];
  const out: Cue[] = [];
  for (const p of scenePlans(spec)) {
    const srt = p.key ? clips[p.key]?.captions : undefined;
    const file = srt ? resolve(ctx.root, srt.path) : undefined;
    if (!file || !existsSync(file)) continue;
    const start = scenes[p.index]!.from / fps;
    for (const c of await parseSrt(file)) out.push({ start: c.start + start, end: c.end + start, text: c.text });
  }
  return out;
}

async function readCues(file: string): Promise<Cue[]> {
  return existsSync(file) ? parseSrt(file) : [];
}

/** A recorded file: its digest is trusted while its size on disk is still the recorded one. */
function recorded(root: string, rec: FileRecord, transparent = extname(rec.path).toLowerCase() === '.webm'): SceneMedia {
  const file = resolve(root, rec.path);
  const intact = statSync(file, { throwIfNoEntry: false })?.size === rec.size;
  return { file, ...(intact ? { sha256: rec.sha256, size: rec.size } : {}), transparent };
}
