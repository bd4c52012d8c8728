/**
 * The one timeline model: what each scene shows and for how long, whatever rendered it. Local files
 * are checked, clip and audio lengths probed, placeholder speech synthesised when espeak-ng is
 * available, lengths rounded to whole frames.
 */
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { HeygenBuildError, type ErrorCode } from '../errors.js';
import type { AssetRef, AvatarSpec, BackgroundSpec, VideoSpec, VoiceSpec } from '../model/spec.js';
import { effectiveScene } from '../model/spec.js';
import { estimateSceneSeconds } from '../plan/estimate.js';
import type { FfmpegTools } from './ffmpeg.js';
import type { GraphAudio, GraphBackground } from './graph.js';
import { DEFAULT_BACKGROUND, ffmpegColor } from './layout.js';
import { checkImage } from './image-check.js';
import { checkMedia } from './media-check.js';
import type { MediaInfo } from './media.js';
import { probeSeconds } from './probe.js';
import { speechSeconds, synthesize } from './speech.js';
import type { Clip, ClipCue, ClipKind } from './types.js';

/** Placeholder colour for a background we cannot fetch offline. */
const PLACEHOLDER_BACKGROUND = '#374151';

/** A clip whose picture the compositor decodes: a finished scene, or an avatar to lay out. */
export interface TimelineVideo {
  kind: 'scene' | 'alpha';
  file: string;
  /** The video codec, to pick a decoder that keeps alpha. */
  codec: string;
}

/** One scene placed on the video's timeline, with its length in whole frames and what it shows. */
export interface TimelineScene {
  /** Start, in seconds from the beginning of the video (a whole number of frames). */
  start: number;
  frames: number;
  seconds: number;
  kind: ClipKind;
  background: GraphBackground;
  audio: GraphAudio;
  video?: TimelineVideo;
  avatar?: AvatarSpec;
  voice?: VoiceSpec;
  script?: string;
  /** Cues given with the clip, relative to the scene's start. */
  captions?: readonly ClipCue[];
  /** Things the draft could not show for real (URL assets), written on the frame. */
  notes: string[];
}

/** What laying out a timeline needs: the project root, frame rate, ffmpeg tools and abort signal. */
export interface TimelineContext {
  root: string;
  fps: number;
  tools: FfmpegTools;
  /** espeak-ng binary, when placeholder speech should be synthesised. */
  espeak?: string;
  /** Where synthesised speech goes. */
  workDir: string;
  /** Probed clip files, by scene index. */
  media: ReadonlyMap<number, MediaInfo>;
  assets?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

interface SceneContent {
  seconds: number;
  background: GraphBackground;
  audio: GraphAudio;
  video?: TimelineVideo;
  script?: string;
}

/** Places every scene on the timeline in whole frames, probing clips and audio for their lengths. */
export async function buildTimeline(spec: VideoSpec, clips: readonly Clip[], ctx: TimelineContext): Promise<TimelineScene[]> {
  const out: TimelineScene[] = [];
  let frameCursor = 0;
  for (let i = 0; i < spec.scenes.length; i++) {
    ctx.signal?.throwIfAborted();
    const clip = clips[i]!;
    const notes: string[] = [];
    const c = clip.kind === 'placeholder' ? await placeholderScene(spec, i, ctx, notes) : await clipScene(spec, i, clip, ctx);
    const scene = effectiveScene(spec, i);
    const seconds = clip.seconds ?? c.seconds;
    const frames = Math.max(1, Math.round(seconds * ctx.fps));
    out.push({
      start: frameCursor / ctx.fps,
      frames,
      seconds: frames / ctx.fps,
      kind: clip.kind,
      background: c.background,
      audio: c.audio,
      ...(c.video ? { video: c.video } : {}),
      ...(scene.avatar ? { avatar: scene.avatar } : {}),
      ...(scene.voice ? { voice: scene.voice } : {}),
      ...(c.script !== undefined ? { script: c.script } : {}),
      ...(clip.captions ? { captions: clip.captions } : {}),
      notes,
    });
    frameCursor += frames;
  }
  return out;
}

/** A draft scene: estimated length, espeak speech or silence, audio files played. */
async function placeholderScene(spec: VideoSpec, i: number, ctx: TimelineContext, notes: string[]): Promise<SceneContent> {
  const scene = effectiveScene(spec, i);
  const background = await resolveBackground(scene.background, ctx, notes, spec.source, i);
  await checkPhoto(scene.avatar, spec.source, i, ctx);
  let seconds = estimateSceneSeconds(spec, i);
  let audio: GraphAudio = { kind: 'silence' };
  let script: string | undefined;
  const input = scene.input;
  if (input.type === 'audio') {
    if (input.source.kind === 'local') {
      const file = await localFile(input.source, ctx.root, 'E_DRAFT_ASSET', spec.source);
      seconds = await probeSeconds(file, ctx.tools, ctx.signal, { path: input.source.path, place: `${spec.source}, scene ${i + 1}'s audio` });
      audio = { kind: 'file', file };
    } else {
      notes.push(`audio not fetched offline:\n${input.source.url}`);
    }
  } else if (input.type === 'script') {
    script = input.text;
    if (ctx.espeak) {
      const wav = path.join(ctx.workDir, `speech${i}.wav`);
      await synthesize(ctx.espeak, input.text, scene.voice, wav, ctx.signal);
      // The scene lasts what the plan estimated, or longer if the speech needs it.
      seconds = Math.max(seconds, await speechSeconds(ctx.espeak, wav, ctx.tools, `${spec.source}, scene ${i + 1}'s speech`, ctx.signal));
      audio = { kind: 'file', file: wav };
    }
  }
  return { seconds, background, audio, ...(script !== undefined ? { script } : {}) };
}

/** A scene made from a rendered clip: it lasts what the clip lasts. */
async function clipScene(spec: VideoSpec, i: number, clip: Exclude<Clip, { kind: 'placeholder' }>, ctx: TimelineContext): Promise<SceneContent> {
  const scene = effectiveScene(spec, i);
  const media = ctx.media.get(i);
  const background: GraphBackground =
    clip.kind === 'scene' ? { kind: 'color', color: 'black' } : await resolveBackground(scene.background, ctx, undefined, spec.source, i);
  const audio: GraphAudio = media?.audio ? { kind: 'clip' } : { kind: 'silence' };
  // The script times the captions when the clip brings none.
  const script = scene.input.type === 'script' ? { script: scene.input.text } : {};
  if (clip.kind === 'audio') {
    const seconds = media?.seconds ?? estimateSceneSeconds(spec, i);
    return { seconds, background, audio: clip.path && media?.audio ? { kind: 'file', file: clip.path } : { kind: 'silence' }, ...script };
  }
  if (!media) throw new Error(`no probe for the clip of scene ${i + 1}`); // compose probes every clip file
  if (!media.video) {
    throw new HeygenBuildError('E_COMPOSE_CLIP', `the clip of scene ${i + 1} of video ${spec.id} has no picture: ${clip.path}`, {
      hint: 'the clip is damaged or incomplete: remove it so that it is fetched again',
    });
  }
  if (clip.kind === 'alpha' && !scene.avatar) {
    throw new HeygenBuildError('E_COMPOSE_CLIP', `scene ${i + 1} of video ${spec.id} has an avatar clip but no avatar to place it by`, {
      hint: 'this is a bug in the build: please report it',
    });
  }
  return { seconds: media.seconds, background, audio, video: { kind: clip.kind, file: clip.path, codec: media.video.codec }, ...script };
}

/**
 * The scene's background. Drafts (`notes` given) show a placeholder for a URL they cannot fetch;
 * other scenes need the local copy the caller downloaded (`ctx.assets`). `manifest`: the file that
 * names it, for a missing file's hint.
 */
async function resolveBackground(
  bg: BackgroundSpec | undefined,
  ctx: TimelineContext,
  notes: string[] | undefined,
  manifest: string,
  index = 0,
): Promise<GraphBackground> {
  if (!bg) return { kind: 'color', color: ffmpegColor(DEFAULT_BACKGROUND) };
  if (bg.type === 'color') return { kind: 'color', color: ffmpegColor(bg.color) };
  let file: string;
  if (bg.source.kind === 'url') {
    const local = ctx.assets?.get(bg.source.url);
    if (local === undefined && notes) {
      notes.push(`${bg.type} background not fetched offline:\n${bg.source.url}`);
      return { kind: 'color', color: ffmpegColor(PLACEHOLDER_BACKGROUND) };
    }
    if (local === undefined) {
      throw new HeygenBuildError('E_COMPOSE_ASSET', `the ${bg.type} background of scene ${index + 1} was not downloaded: ${bg.source.url}`, {
        hint: 'this is a bug in the build (it downloads URL backgrounds before composing): please report it',
      });
    }
    file = local;
  } else {
    file = await localFile(bg.source, ctx.root, notes ? 'E_DRAFT_ASSET' : 'E_COMPOSE_ASSET', manifest);
  }
  const pad = ffmpegColor(DEFAULT_BACKGROUND);
  // Checked before ffmpeg reads it, once per content (a URL's copy too).
  const key = await contentKey(bg.source, file);
  const label = { code: notes ? 'E_DRAFT_ASSET' : 'E_COMPOSE_ASSET', path: bg.source.kind === 'local' ? bg.source.path : bg.source.url, place: `${manifest}, scene ${index + 1}'s background` } as const;
  if (bg.type === 'image') {
    await checkImage(file, key, ctx.tools, label, ctx.signal);
    return { kind: 'image', file, fit: bg.fit, pad };
  }
  await checkMedia(file, key, ctx.tools, { ...label, kind: 'video' }, ctx.signal);
  // Only `loop` repeats; `once`, `freeze` and `fit_to_scene` play once and hold the last frame.
  return { kind: 'video', file, fit: bg.fit, pad, loop: bg.play === 'loop' };
}

/**
 * What identifies a background's bytes for the checks' memo: the digest the plan read, or for a URL's
 * copy (replaced whole, by a rename, when the URL's content changes) its inode, size and mtime, so a
 * URL video shared by many videos is probed once per copy, not once per video.
 */
async function contentKey(source: AssetRef, file: string): Promise<string | undefined> {
  if (source.kind === 'local') return source.sha256;
  const st = await stat(file).catch(() => undefined);
  return st && `copy:${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** A draft shows a local photo avatar's own picture (src/execute/local/avatar-images.ts): it must be one ffmpeg can read. */
async function checkPhoto(avatar: AvatarSpec | undefined, manifest: string, index: number, ctx: TimelineContext): Promise<void> {
  const photo = avatar?.photo;
  if (photo?.kind !== 'local') return;
  const file = await localFile(photo, ctx.root, 'E_DRAFT_ASSET', manifest);
  await checkImage(file, photo.sha256, ctx.tools, { code: 'E_DRAFT_ASSET', path: photo.path, place: `${manifest}, scene ${index + 1}'s avatar photo` }, ctx.signal);
}

/**
 * The absolute path of a local asset, which must exist. `ref.path` is project-relative: the loader
 * resolved what the manifest wrote against the manifest's own folder (a value from the config's
 * `defaults` against the project root), and checked that it existed. A file missing now was moved or
 * deleted since; the hint names the manifest and the folder its paths are relative to.
 */
async function localFile(ref: Extract<AssetRef, { kind: 'local' }>, root: string, code: ErrorCode, manifest: string): Promise<string> {
  const file = path.resolve(root, ref.path);
  try {
    await access(file);
  } catch {
    throw new HeygenBuildError(code, `asset not found: ${ref.path} (looked in ${file})`, { hint: missingAssetHint(ref.path, manifest) });
  }
  return file;
}

/** Where to put a missing asset back, or how the manifest's path is read. */
function missingAssetHint(asset: string, manifest: string): string {
  const dir = path.posix.dirname(manifest);
  const relative = manifest === '' ? "paths there are relative to the manifest's folder" : `paths there are relative to its folder, ${dir === '.' ? 'the project root' : `${dir}/`}`;
  return `put the file back at ${asset}, or fix the path in ${manifest || 'the manifest'}: ${relative} (paths in the config's defaults: to the project root)`;
}
