/** How long a media file lasts: ffprobe when we have one, else the `Duration:` line of `ffmpeg -i`. */
import { HeygenBuildError } from '../errors.js';
import type { FfmpegTools } from './ffmpeg.js';
import { lastLines, runProcess } from './process.js';

/** The duration of a media file in seconds, from ffprobe or, without it, `ffmpeg -i`. */
export async function probeSeconds(file: string, tools: FfmpegTools, signal?: AbortSignal): Promise<number> {
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
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new HeygenBuildError('E_DRAFT_ASSET', `cannot read the duration of ${file}${detail ? `: ${detail}` : ''}`, {
      hint: 'check that the file is a readable audio/video file',
    });
  }
  return seconds;
}
