/** How long a media file lasts: ffprobe when we have one, else the `Duration:` line of `ffmpeg -i`. */
import { HeygenBuildError } from '../errors.js';
import type { FfmpegTools } from './ffmpeg.js';
import { lastLines, runProcess } from './process.js';
import { shellWord } from '../util/shell-word.js';

export { shellWord };

/** How an error names a probed file: as the user wrote it, and where the manifest uses it. */
export interface ProbeLabel {
  /** The path a user knows and can type (project-relative); default the path probed. */
  path?: string;
  /** Where the manifest uses the file, e.g. `videos/intro.yaml, scene 2's audio`. */
  place?: string;
}

/** E_DRAFT_ASSET for a file whose duration cannot be read: where it is used, and how to see why. */
function unreadable(file: string, detail: string, label: ProbeLabel): HeygenBuildError {
  const shown = label.path ?? file;
  return new HeygenBuildError('E_DRAFT_ASSET', `${label.place ? `${label.place}: ` : ''}cannot read the duration of ${shown}${detail ? `: ${detail}` : ''}`, {
    hint: `check that ${shown} is an audio or video file ffmpeg can read: \`ffprobe ${shellWord(shown)}\` says why it is not`,
  });
}

/** What probing a file found: its duration in seconds (undefined when unreadable) and the tool's last words. */
export interface ProbeResult {
  seconds: number | undefined;
  detail: string;
}

/** The duration of a media file from ffprobe or, without it, `ffmpeg -i`; never throws for an unreadable file. */
export async function readDuration(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<ProbeResult> {
  let seconds: number | undefined;
  let detail: string;
  if (tools.ffprobe) {
    const r = await runProcess(
      tools.ffprobe,
      ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file],
      { signal },
    );
    seconds = r.code === 0 ? Number.parseFloat(r.stdout.trim()) : undefined;
    detail = lastLines(r.stderr, 3);
  } else {
    // `ffmpeg -i file` with no output exits 1 but prints the container duration first.
    const r = await runProcess(tools.ffmpeg, ['-hide_banner', '-nostdin', '-i', file], { signal });
    const m = /Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(r.stderr);
    if (m) seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
    detail = lastLines(r.stderr, 3);
  }
  return { seconds: seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined, detail };
}

/**
 * The duration of a media file in seconds, from ffprobe or, without it, `ffmpeg -i`. `label` names the file
 * in the error (E_DRAFT_ASSET) as the user knows it.
 */
export async function probeSeconds(file: string, tools: FfmpegTools, signal?: AbortSignal, label: ProbeLabel = {}): Promise<number> {
  const { seconds, detail } = await readDuration(file, tools, signal);
  if (seconds === undefined) throw unreadable(file, detail, label);
  return seconds;
}
