/**
 * Local video and audio inputs a user gave (a video background, an audio scene of a composed video)
 * are checked before ffmpeg reads them, as pictures are (image-check.ts): a corrupt or truncated file
 * fails its video with an error naming the manifest, the scene and the file, instead of ffmpeg's raw
 * stderr (E_FFMPEG). The check is the duration probe drafts already use for audio (probe.ts
 * `readDuration`: one ffprobe, or `ffmpeg -i`): a file whose length cannot be read is one ffmpeg
 * cannot play.
 *
 * A verdict is kept for the life of the process by the file's content key and path (verdicts.ts), so
 * a background shared by a thousand videos is probed once per build (once per content in a watch session).
 */
import { HeygenBuildError } from '../errors.js';
import type { FfmpegTools } from './ffmpeg.js';
import type { ImageLabel } from './image-check.js';
import { readDuration, shellWord } from './probe.js';
import { Verdicts } from './verdicts.js';

/**
 * How the error names the file: as for images (code, the path a user knows, where it is used). `formats`:
 * what the hint says to re-export it as (default: what the compositor reads, e.g. `WAV, MP3 or M4A`).
 */
export type MediaLabel = ImageLabel & { kind: 'video' | 'audio'; formats?: string };

/** Why each file cannot be played (undefined: it can), by content. */
const verdicts = new Verdicts();

/** Throws `label.code` when ffmpeg cannot read the length of `file`; `contentKey` (the plan's digest) keys the memo with the path. */
export async function checkMedia(file: string, contentKey: string | undefined, tools: FfmpegTools, label: MediaLabel, signal?: AbortSignal): Promise<void> {
  const problem = await verdicts.why(file, contentKey, () => whyUnplayable(file, tools, signal));
  if (problem !== undefined) throw unplayable(problem, label);
}

async function whyUnplayable(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<string | undefined> {
  const { seconds, detail } = await readDuration(file, tools, signal);
  if (seconds !== undefined) return undefined;
  return `ffmpeg cannot read its length${detail ? `: ${detail}` : ''}`;
}

function unplayable(problem: string, label: MediaLabel): HeygenBuildError {
  const as = label.formats ?? (label.kind === 'video' ? 'MP4 (H.264) or WebM' : 'WAV, MP3 or M4A');
  return new HeygenBuildError(label.code, `${label.place}: cannot read the ${label.kind} ${label.path}: ${problem}`, {
    hint: `re-export ${label.path} as ${as} (or point the manifest at another file); \`ffprobe ${shellWord(label.path)}\` says why ffmpeg cannot read it`,
  });
}
