/**
 * Image inputs (backgrounds, local photos on drafts) are checked before ffmpeg reads them, so that a
 * corrupt or mis-saved picture fails its video with an error naming the file, the manifest and the
 * scene, instead of ffmpeg's stderr about "input stream 0:0". PNG, JPEG, WebP and GIF are read in JS
 * (image-sniff.ts); any other format is decoded once by ffmpeg (one frame, to nowhere).
 *
 * A verdict is kept for the life of the process by the file's content key and path (verdicts.ts).
 */
import { readFile } from 'node:fs/promises';
import { HeygenBuildError, type ErrorCode } from '../errors.js';
import type { FfmpegTools } from './ffmpeg.js';
import { sniffImage } from './image-sniff.js';
import { shellWord } from './probe.js';
import { lastLines, runProcess } from './process.js';
import { Verdicts } from './verdicts.js';

/** How the error names the image: its code, the path a user knows, where it is used and the manifest's name. */
export interface ImageLabel {
  code: ErrorCode;
  /** Project-relative path (or the URL it was downloaded from). */
  path: string;
  /** e.g. `videos/intro.yaml, scene 2's background`. */
  place: string;
}

/** Why each image cannot be read (undefined: it can), by content. */
const verdicts = new Verdicts();

/**
 * Throws `label.code` when `file` is not a picture ffmpeg can read. `contentKey` (what identifies
 * its bytes, e.g. the plan's digest) keys the memo with the path; without it, the file is checked every time.
 */
export async function checkImage(file: string, contentKey: string | undefined, tools: FfmpegTools, label: ImageLabel, signal?: AbortSignal): Promise<void> {
  const problem = await verdicts.why(file, contentKey, () => whyUnreadable(file, tools, signal));
  if (problem !== undefined) throw unreadableImage(problem, label);
}

/** Why ffmpeg could not read the picture, or undefined when it can. Rejects only when the file cannot be read at all. */
export async function whyUnreadable(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<string | undefined> {
  const sniff = sniffImage(await readFile(file, { signal }), file);
  if (!('unknown' in sniff)) return sniff.ok ? undefined : sniff.problem;
  // Not a format read here (BMP, TIFF, AVIF...): ffmpeg decodes one frame of it, or says why not.
  const r = await runProcess(tools.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-frames:v', '1', '-f', 'null', '-'], { signal });
  if (r.code === 0) return undefined;
  return `ffmpeg cannot decode it${r.stderr.trim() ? `: ${lastLines(r.stderr, 3)}` : ''}`;
}

/** The error for a picture ffmpeg cannot read (`problem`: why), as `checkImage` throws it. */
export function unreadableImage(problem: string, label: ImageLabel): HeygenBuildError {
  return new HeygenBuildError(label.code, `${label.place}: cannot read the image ${label.path}: ${problem}`, {
    hint: `re-export ${label.path} as PNG or JPEG (or point the manifest at another picture); \`ffprobe ${shellWord(label.path)}\` says why ffmpeg cannot read it`,
  });
}
