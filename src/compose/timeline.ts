/**
 * Turn a VideoSpec into what the draft shows, scene by scene: local files checked, audio lengths
 * probed, speech synthesised when espeak-ng is available, lengths rounded to whole frames.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { HeygenBuildError } from '../errors.js';
import type { AssetRef, AvatarSpec, BackgroundSpec, VideoSpec, VoiceSpec } from '../model/spec.js';
import { effectiveScene } from '../model/spec.js';
import { estimateSceneSeconds } from '../plan/estimate.js';
import type { FfmpegTools } from './ffmpeg.js';
import type { GraphAudio, GraphBackground } from './graph.js';
import { DEFAULT_BACKGROUND, ffmpegColor } from './layout.js';
import { probeSeconds } from './probe.js';
import { synthesize } from './speech.js';

/** Placeholder colour for a background we cannot fetch offline. */
const PLACEHOLDER_BACKGROUND = '#374151';

export interface TimelineScene {
  /** Start, in seconds from the beginning of the video (a whole number of frames). */
  start: number;
  frames: number;
  seconds: number;
  background: GraphBackground;
  audio: GraphAudio;
  avatar?: AvatarSpec;
  voice?: VoiceSpec;
  script?: string;
  /** Things the draft could not show for real (URL assets), written on the frame. */
  notes: string[];
}

export interface TimelineContext {
  root: string;
  fps: number;
  tools: FfmpegTools;
  /** espeak-ng binary, when speech should be synthesised. */
  espeak?: string;
  /** Where synthesised speech goes. */
  workDir: string;
  signal?: AbortSignal;
}

export async function buildTimeline(spec: VideoSpec, ctx: TimelineContext): Promise<TimelineScene[]> {
  const out: TimelineScene[] = [];
  let frameCursor = 0;
  for (let i = 0; i < spec.scenes.length; i++) {
    ctx.signal?.throwIfAborted();
    const scene = effectiveScene(spec, i);
    const notes: string[] = [];
    const background = await resolveBackground(scene.background, ctx, notes);
    let seconds = estimateSceneSeconds(spec, i);
    let audio: GraphAudio = { kind: 'silence' };
    let script: string | undefined;
    const input = scene.input;
    if (input.type === 'audio') {
      if (input.source.kind === 'local') {
        const file = await localFile(input.source, ctx.root);
        seconds = await probeSeconds(file, ctx.tools, ctx.signal);
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
        seconds = Math.max(seconds, await probeSeconds(wav, ctx.tools, ctx.signal));
        audio = { kind: 'file', file: wav };
      }
    }
    const frames = Math.max(1, Math.round(seconds * ctx.fps));
    out.push({
      start: frameCursor / ctx.fps,
      frames,
      seconds: frames / ctx.fps,
      background,
      audio,
      ...(scene.avatar ? { avatar: scene.avatar } : {}),
      ...(scene.voice ? { voice: scene.voice } : {}),
      ...(script !== undefined ? { script } : {}),
      notes,
    });
    frameCursor += frames;
  }
  return out;
}

async function resolveBackground(
  bg: BackgroundSpec | undefined,
  ctx: TimelineContext,
  notes: string[],
): Promise<GraphBackground> {
  if (!bg) return { kind: 'color', color: ffmpegColor(DEFAULT_BACKGROUND) };
  if (bg.type === 'color') return { kind: 'color', color: ffmpegColor(bg.color) };
  if (bg.source.kind === 'url') {
    notes.push(`${bg.type} background not fetched offline:\n${bg.source.url}`);
    return { kind: 'color', color: ffmpegColor(PLACEHOLDER_BACKGROUND) };
  }
  const file = await localFile(bg.source, ctx.root);
  const pad = ffmpegColor(DEFAULT_BACKGROUND);
  if (bg.type === 'image') return { kind: 'image', file, fit: bg.fit, pad };
  // Only `loop` repeats; `once`, `freeze` and `fit_to_scene` play once and hold the last frame.
  return { kind: 'video', file, fit: bg.fit, pad, loop: bg.play === 'loop' };
}

async function localFile(ref: Extract<AssetRef, { kind: 'local' }>, root: string): Promise<string> {
  const file = path.resolve(root, ref.path);
  try {
    await access(file);
  } catch {
    throw new HeygenBuildError('E_DRAFT_ASSET', `asset not found: ${ref.path} (looked in ${file})`, {
      hint: 'check the path in the manifest; asset paths are relative to the project root',
    });
  }
  return file;
}
