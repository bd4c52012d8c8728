/**
 * Puts each scene's file into `<dir>/clips/`, named by content: a whole file by the sha256 of its
 * bytes, a cut by the digest of what it is cut from and where. A name already there is the same
 * content, so it is kept and nothing is copied or encoded again; a new one is hard-linked (else
 * copied). Cuts are made once per project, frame-exactly with ffmpeg, into `.heygen/cuts/` (through
 * a temp file and a rename), and linked from there: a second export folder costs no encode.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { runFfmpeg, type FfmpegTools } from '../compose/index.js';
import { mkdirp, removeQuietly, withTempFile } from '../fsx/atomic.js';
import { sha256File } from '../fsx/digest.js';
import { sha256Hex } from '../hash/canonical.js';
import { placeCopy } from '../providers/local/cache.js';
import type { SceneMedia } from './model.js';

/** The folder of the pack's clips, inside the export folder. */
export const CLIPS = 'clips';

/** Where cuts are kept, relative to the project root (a cache: deleting it is safe). */
export const CUTS = join('.heygen', 'cuts');

/** Hex digits of a clip's name: enough to never collide within one project. */
const NAME_DIGITS = 20;
/** What this export names its files: anything else in `clips/` is not ours and is left alone. */
const OURS = new RegExp(`^[0-9a-f]{${NAME_DIGITS}}\\.(mp4|webm|mov|mkv)$`);

/** What placing the pack's files did, for the report: files written, kept as they were, and removed. */
export interface FileCounts {
  written: number;
  kept: number;
  removed: number;
}

/** Places media into one export folder, each distinct file once, counting what it did. */
export class MediaPlacer {
  readonly counts: FileCounts = { written: 0, kept: 0, removed: 0 };
  private readonly placed = new Map<string, Promise<string>>();

  constructor(
    /** The project root: cuts are kept under its `.heygen/cuts/`. */
    private readonly root: string,
    private readonly dir: string,
    private readonly tools: FfmpegTools,
    private readonly signal?: AbortSignal,
  ) {}

  /** The media's path in the pack, relative to the export folder (POSIX). */
  place(media: SceneMedia): Promise<string> {
    const id = JSON.stringify([media.file, media.cut]);
    let p = this.placed.get(id);
    if (!p) {
      p = this.put(media);
      this.placed.set(id, p);
    }
    return p;
  }

  private async put(media: SceneMedia): Promise<string> {
    const sha = media.sha256 ?? (await sha256File(media.file)).sha256;
    const name = media.cut
      ? `${sha256Hex(JSON.stringify({ sha, ...media.cut })).slice(0, NAME_DIGITS)}.mp4`
      : `${sha.slice(0, NAME_DIGITS)}${extname(media.file).toLowerCase() || '.mp4'}`;
    const rel = `${CLIPS}/${name}`;
    const target = join(this.dir, CLIPS, name);
    const there = await stat(target).catch(() => undefined);
    const whole = media.size ?? (media.cut ? undefined : (await stat(media.file)).size);
    if (there && there.size > 0 && (media.cut || there.size === whole)) {
      this.counts.kept++;
      return rel;
    }
    await mkdirp(join(this.dir, CLIPS));
    let from = media.file;
    if (media.cut) {
      from = join(this.root, CUTS, name);
      if (!((await stat(from).catch(() => undefined))?.size ?? 0)) {
        await mkdirp(join(this.root, CUTS));
        await withTempFile(from, (tmp) => cut(this.tools, media.file, media.cut!, tmp, this.signal));
      }
    }
    await placeCopy(from, target, { link: true });
    this.counts.written++;
    return rel;
  }

  /** Removes our files in `clips/` that no longer belong to the pack (a scene edited or deleted). */
  async prune(keep: ReadonlySet<string>): Promise<void> {
    const names = await readdir(join(this.dir, CLIPS)).catch(() => [] as string[]);
    for (const n of names) {
      if (!OURS.test(n) || keep.has(`${CLIPS}/${n}`)) continue;
      await removeQuietly(join(this.dir, CLIPS, n));
      this.counts.removed++;
    }
  }
}

/**
 * Cuts `frames` frames from `from` into an MP4: H.264 and AAC like the compositor's output. The seek
 * before the input is exact when encoding (ffmpeg decodes from the previous keyframe and drops what
 * comes before), and `-frames:v` stops at the last frame.
 */
async function cut(tools: FfmpegTools, file: string, c: NonNullable<SceneMedia['cut']>, out: string, signal?: AbortSignal): Promise<void> {
  const seconds = (n: number): string => (n / c.fps).toFixed(6);
  await runFfmpeg(
    [
      '-ss', seconds(c.from), '-i', file,
      '-map', '0:v:0', '-map', '0:a:0?',
      '-frames:v', String(c.frames), '-t', seconds(c.frames),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-r', String(c.fps),
      '-c:a', 'aac', '-ar', '48000', '-ac', '2',
      '-movflags', '+faststart', '-f', 'mp4', '-y', out,
    ],
    { ffmpeg: tools.ffmpeg, ...(signal ? { signal } : {}) },
  );
}
