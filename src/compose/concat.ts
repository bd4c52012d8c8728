/**
 * The fast path: scene clips that already match the output (size, frame rate, codecs, audio
 * format) have their pictures joined by the concat demuxer with `-c:v copy`: no video decode or
 * encode, the clips' own packets. Their sound is decoded and re-encoded (cheap, ~1% of a video
 * encode): joined by the demuxer, each clip's AAC encoder priming (1024 samples, stored before
 * time 0) shifted the clip's timestamps, so picture and sound drifted ~21 ms apart per scene and
 * the video ran a frame long (measured). So each clip enters the demuxer at `inpoint 0` for exactly
 * its picture's `duration`, timestamps are kept (`-copyts`), and each clip's sound is decoded
 * (which honours its edit list), cut or padded to the clip's picture, joined and encoded. Anything else (another size or rate, burned captions, a banner, a clip to lay out)
 * goes through the filter graph, because stream-copied H.264 from two encoders cannot share one
 * MP4 track safely (each encoder writes its own SPS/PPS, and an `avc1` track holds one).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dimension } from '../model/spec.js';
import { runFfmpeg, type FfmpegTools } from './ffmpeg.js';
import type { MediaInfo } from './media.js';
import type { Clip } from './types.js';

/** The audio sample rate every composed video is written at. */
export const OUTPUT_RATE = 48_000;

/** What the output must be for clips to be joined without re-encoding their pictures. */
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
    // One MP4 track holds one set of SPS/PPS: every clip must have been encoded with the same.
    if (!v.extradata || (first && first.extradata !== v.extradata)) return `scene ${i + 1} has other H.264 parameter sets`;
    // A clip that must be cut or padded to the length the caller gave needs a re-encode.
    if (clip.seconds !== undefined && Math.abs(clip.seconds - m.seconds) > 1 / t.fps) return `scene ${i + 1} must be retimed`;
    first ??= v;
  }
  return undefined;
}

/**
 * Join the clips into `out` (MP4): pictures by stream copy, sound decoded, each clip's cut or
 * padded to that clip's picture length (`seconds`), joined and encoded once.
 */
export async function concatCopy(
  clips: readonly { file: string; seconds: number }[],
  out: string,
  ctx: { tools: FfmpegTools; workDir: string; signal?: AbortSignal; comment: string },
): Promise<void> {
  const list = path.join(ctx.workDir, 'concat.txt');
  // The concat demuxer's own quoting: '...' with each ' written as '\''.
  const entry = (c: { file: string; seconds: number }): string =>
    `file '${path.resolve(c.file).replace(/'/g, "'\\''")}'\ninpoint 0\nduration ${c.seconds.toFixed(6)}\n`;
  await writeFile(list, clips.map(entry).join(''), 'utf8');
  const inputs = clips.flatMap((c) => ['-vn', '-i', c.file]);
  const norm = `aresample=${OUTPUT_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  const chains = clips.map(
    (c, i) => `[${i + 1}:a]${norm},apad,atrim=end_sample=${Math.round(c.seconds * OUTPUT_RATE)},asetpts=PTS-STARTPTS[a${i}]`,
  );
  chains.push(`${clips.map((_, i) => `[a${i}]`).join('')}concat=n=${clips.length}:v=0:a=1[aout]`);
  const graph = path.join(ctx.workDir, 'audio-graph.txt');
  await writeFile(graph, chains.join(';\n'), 'utf8');
  await runFfmpeg(
    // auto_convert 0: the clips share their parameter sets (checked), so their packets go in as they are.
    ['-y', '-copyts', '-f', 'concat', '-safe', '0', '-auto_convert', '0', '-i', list, ...inputs, '-filter_complex_script', graph,
      '-map', '0:v:0', '-map', '[aout]', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '192k', '-ar', String(OUTPUT_RATE), '-ac', '2',
      '-metadata', `comment=${ctx.comment}`, '-movflags', '+faststart', '-f', 'mp4', out],
    { ffmpeg: ctx.tools.ffmpeg, signal: ctx.signal },
  );
}
