/**
 * The re-encoding path: every scene through one filter graph (see graph.ts), then captions, in one
 * ffmpeg run. Drafts are encoded for speed (12 fps, ultrafast, 96k sound); finals at the output's
 * frame rate, still x264 `ultrafast` (the encode is most of the cost, measured) at a higher quality.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isHeygenBuildError } from '../errors.js';
import type { Dimension } from '../model/spec.js';
import type { Cue } from './captions.js';
import { captionDecorations, decorateScene, silentScript, TextFiles } from './decorate.js';
import { runFfmpeg, type FfmpegTools } from './ffmpeg.js';
import { findFont } from './fonts.js';
import { buildGraph, SAMPLE_RATE, type GraphCaptions, type GraphScene, type GraphVideo } from './graph.js';
import { avatarPlacement } from './layout.js';
import type { TimelineScene } from './timeline.js';
import { textLayer, type PlacedOverlay } from './text/layer.js';

/** Everything needed to encode a timeline into one MP4 with ffmpeg. */
export interface EncodeJob {
  videoId: string;
  dim: Dimension;
  fps: number;
  timeline: readonly TimelineScene[];
  /** Cues to burn into the picture (already written to the sidecar by the caller), if any. */
  burn?: { cues: readonly Cue[]; srt: string; with: 'libass' | 'drawtext' };
  language?: string;
  /** The text overlay layer, placed on the timeline (drawn in `textLanguage`, else `language`). */
  overlays?: readonly PlacedOverlay[];
  textLanguage?: string;
  /** Avatar id -> preview image, for placeholder scenes. */
  avatarImages?: ReadonlyMap<string, string>;
  /** Draft encoder settings (speed) or final ones (quality). */
  draft: boolean;
  /** A WebM with an alpha channel (VP9 yuva420p, Opus) instead of an MP4. */
  transparent?: boolean;
  comment: string;
  tools: FfmpegTools;
  workDir: string;
  signal?: AbortSignal;
}

/**
 * Encodes a timeline into an MP4 at `out` in one ffmpeg run; the slow path, used when clips cannot be joined as they
 * are.
 */
export async function encodeTimeline(job: EncodeJob, out: string): Promise<void> {
  const { dim, fps, signal } = job;
  const font = await findFont();
  const texts = new TextFiles(job.workDir);
  const scenes: GraphScene[] = [];
  // Burned captions show a silent draft's words already.
  const showScript = !(job.burn && job.burn.cues.length > 0);
  for (const [index, t] of job.timeline.entries()) {
    const decor = await decorateScene(t, {
      dim,
      videoId: job.videoId,
      index,
      count: job.timeline.length,
      texts,
      ...(job.language !== undefined ? { language: job.language } : {}),
      ...(job.avatarImages ? { avatarImages: job.avatarImages } : {}),
    });
    const script = showScript ? await silentScript(t, { dim, fps, texts, ...(job.language !== undefined ? { language: job.language } : {}) }) : { decorations: [] };
    const decorations = [...decor.decorations, ...script.decorations];
    scenes.push({ frames: t.frames, background: t.background, audio: t.audio, ...decor, decorations, ...(script.parts ? { parts: script.parts } : {}), ...graphVideo(t, dim) });
  }
  const burn = job.burn;
  let captions: GraphCaptions | undefined;
  if (burn && burn.cues.length > 0) {
    captions =
      burn.with === 'drawtext'
        ? { kind: 'drawtext', decorations: await captionDecorations(burn.cues, dim, texts) }
        : { kind: 'subtitles', srt: burn.srt, fontsDir: path.dirname(font) };
  }

  const layer = job.overlays?.length
    ? await textLayer(job.overlays, { dim, texts, ...((job.textLanguage ?? job.language) !== undefined ? { language: job.textLanguage ?? job.language } : {}) })
    : [];
  const encode = async (caps: GraphCaptions | undefined): Promise<void> => {
    const { inputs, graph, maps } = buildGraph({ dim, fps, scenes, font, captions: caps, layer, ...(job.transparent ? { transparent: true } : {}) });
    const graphFile = path.join(job.workDir, 'graph.txt');
    await writeFile(graphFile, graph, 'utf8');
    await runFfmpeg(['-y', ...inputs, '-filter_complex_script', graphFile, ...maps, ...encoderArgs(job), out], {
      ffmpeg: job.tools.ffmpeg,
      signal,
    });
  };
  try {
    await encode(captions);
  } catch (e) {
    // libass needs fonts through fontconfig, which some ffmpeg builds cannot load: burn the
    // cues with drawtext instead.
    if (captions?.kind !== 'subtitles' || !burn || signal?.aborted || !isLibassFailure(e)) throw e;
    await encode({ kind: 'drawtext', decorations: await captionDecorations(burn.cues, dim, texts) });
  }
}

/** The scene's video clip as the graph wants it: which decoder keeps its alpha, where it goes. */
function graphVideo(t: TimelineScene, dim: Dimension): { video?: GraphVideo } {
  const v = t.video;
  if (!v) return {};
  if (v.kind === 'scene') return { video: { kind: 'scene', file: v.file } };
  // FFmpeg's native VP8/VP9 decoders drop the alpha channel; libvpx keeps it (measured).
  const decoder = v.codec === 'vp9' ? 'libvpx-vp9' : v.codec === 'vp8' ? 'libvpx' : undefined;
  const place = t.avatar ? avatarPlacement(t.avatar, dim) : undefined;
  return { video: { kind: 'alpha', file: v.file, ...(decoder ? { decoder } : {}), ...(place ? { place } : {}) } };
}

function encoderArgs(job: EncodeJob): string[] {
  if (job.transparent) return webmArgs(job);
  return [
    // No `-tune stillimage`: on top of ultrafast it only adds psy-rd, which made 720p drafts with
    // a detailed background image 3-4x slower to encode (measured) for no visible gain here.
    '-c:v', 'libx264', '-preset', 'ultrafast', ...(job.draft ? [] : ['-crf', '20']), '-pix_fmt', 'yuv420p', '-r', String(job.fps),
    '-c:a', 'aac', '-b:a', job.draft ? '96k' : '192k', '-ar', String(SAMPLE_RATE), '-ac', '2',
    '-metadata', `comment=${job.comment}`,
    '-movflags', '+faststart', '-f', 'mp4',
  ];
}

function isLibassFailure(e: unknown): boolean {
  return isHeygenBuildError(e) && e.code === 'E_FFMPEG' && /subtitles|libass|\bass\b|fontconfig|fontselect/i.test(e.message);
}

/**
 * VP9 with alpha (`yuva420p`; the WebM muxer writes `alpha_mode`), Opus sound: what HeyGen's
 * `output_format: webm` is. libvpx is the only encoder here that keeps alpha. `realtime` with
 * `cpu-used 8` for drafts; finals trade some speed for quality at a constant quality level.
 */
function webmArgs(job: EncodeJob): string[] {
  const speed = job.draft ? ['-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M'] : ['-deadline', 'good', '-cpu-used', '5', '-crf', '30', '-b:v', '0'];
  return [
    // Row threading with two tile columns: ~1.7x faster wall time here for the same CPU (measured).
    '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', ...speed, '-auto-alt-ref', '0', '-row-mt', '1', '-tile-columns', '2', '-threads', '2', '-r', String(job.fps),
    '-c:a', 'libopus', '-b:a', job.draft ? '96k' : '160k', '-ar', String(SAMPLE_RATE), '-ac', '2',
    '-metadata', `comment=${job.comment}`,
    '-f', 'webm',
  ];
}
