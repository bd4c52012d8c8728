/**
 * The fast path: scene clips that already match the output (size, frame rate, codecs, audio
 * format) are joined by the concat demuxer with `-c copy`: no decode, no encode, the clips' own
 * packets. Anything else (another size or rate, burned captions, a banner, a clip to lay out)
 * goes through the filter graph, because stream-copied H.264 from two encoders cannot share one
 * MP4 track safely (each encoder writes its own SPS/PPS, and an `avc1` track holds one).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dimension } from '../model/spec.js';
import { runFfmpeg, type FfmpegTools } from './ffmpeg.js';
import type { MediaInfo } from './media.js';
import type { Clip } from './types.js';

export const OUTPUT_RATE = 48_000;

export interface CopyTarget {
  dim: Dimension;
  fps: number;
  /** Something is drawn over every frame (burned captions, a language banner): copy is impossible. */
  drawn: boolean;
}

/** Why the clips cannot be stream-copied, or undefined when they can. */
export function whyNotCopy(clips: readonly Clip[], media: ReadonlyMap<number, MediaInfo>, t: CopyTarget): string | undefined {
  if (t.drawn) return 'something is drawn over the picture';
  let first: MediaInfo['video'];
  for (const [i, clip] of clips.entries()) {
    if (clip.kind !== 'scene') return `scene ${i + 1} is composited locally`;
    const m = media.get(i);
    const v = m?.video;
    const a = m?.audio;
    if (!m?.detailed || !v || !a) return `scene ${i + 1}: no ffprobe details, or no picture or sound`;
    if (v.codec !== 'h264' || v.pixFmt !== 'yuv420p') return `scene ${i + 1} is ${v.codec}/${v.pixFmt}`;
    if (v.width !== t.dim.width || v.height !== t.dim.height) return `scene ${i + 1} is ${v.width}x${v.height}`;
    if (Math.abs(v.fps - t.fps) > 1e-3) return `scene ${i + 1} runs at ${v.fps} fps`;
    if (a.codec !== 'aac' || a.sampleRate !== OUTPUT_RATE || a.channels !== 2) return `scene ${i + 1} sound is ${a.codec} ${a.sampleRate} Hz ${a.channels} ch`;
    if (first && (first.profile !== v.profile || first.level !== v.level)) return `scene ${i + 1} has another H.264 profile or level`;
    // A clip that must be cut or padded to the length the caller gave needs a re-encode.
    if (clip.seconds !== undefined && Math.abs(clip.seconds - m.seconds) > 1 / t.fps) return `scene ${i + 1} must be retimed`;
    first ??= v;
  }
  return undefined;
}

/** Join `files` into `out` (MP4) by stream copy. */
export async function concatCopy(
  files: readonly string[],
  out: string,
  ctx: { tools: FfmpegTools; workDir: string; signal?: AbortSignal; comment: string },
): Promise<void> {
  const list = path.join(ctx.workDir, 'concat.txt');
  // The concat demuxer's own quoting: '...' with each ' written as '\''.
  await writeFile(list, files.map((f) => `file '${path.resolve(f).replace(/'/g, "'\\''")}'\n`).join(''), 'utf8');
  await runFfmpeg(
    ['-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy',
      '-metadata', `comment=${ctx.comment}`, '-movflags', '+faststart', '-f', 'mp4', out],
    { ffmpeg: ctx.tools.ffmpeg, signal: ctx.signal },
  );
}
