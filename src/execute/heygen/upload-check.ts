/**
 * The project files a video's scene clips upload to HeyGen (a photo to animate, an image background HeyGen
 * composites, an audio file the avatar speaks), those a template video's variables upload (a picture, a
 * sound, a video), and a dub's source video, are checked before anything of that video is sent: read as
 * the compositor reads them (image-check.ts, media-check.ts, the same per-process verdicts), and held to
 * what HeyGen's asset upload takes (upload-types.ts, video-format.ts). A corrupt, cut-short or mislabelled
 * file thus fails its video with E_COMPOSE_ASSET naming the manifest, the scene, variable or `source:` and
 * the file, before any upload, intent or POST, instead of a render HeyGen fails minutes later (or, for a
 * photo, makes of whatever it read).
 *
 * What the plan's load judged of the same bytes as it hashed them (by their sha256: upload-verdict.ts) is
 * taken as it is, and the file is not read again for it: a picture's header, an audio or video file's
 * container. ffprobe still reads an audio or video file's length, which the load never judges. A file
 * changed since the plan is caught by its upload's digest check (assets.ts), before any POST.
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { signatureFormat } from '../../compose/image-sniff.js';
import { Verdicts } from '../../compose/verdicts.js';
import { HeygenBuildError } from '../../errors.js';
import { readHead } from '../../fsx/head.js';
import type { ClipLock } from '../../model/lock.js';
import { shellWord } from '../../util/shell-word.js';
import { composer } from './composer.js';
import type { RunContext } from './context.js';
import { kindOf, type UploadKind, type UploadToCheck } from './upload-files.js';
import { recordedVerdict, whyRefused } from './upload-verdict.js';
import type { ImageLabel, MediaLabel } from '../../compose/index.js';
import type { LocalAsset } from '../../model/spec.js';
import { AUDIO_HEAD_BYTES, audioUploadProblem, IMAGE_HEAD_BYTES, imageFormatProblem } from './upload-types.js';
import { VIDEO_HEAD_BYTES, videoUploadProblem } from './video-format.js';

export { uploadsOf, type UploadToCheck } from './upload-files.js';

/**
 * Why HeyGen does not take each file ffmpeg can read (undefined: it does), by content, one memo per kind:
 * the same file may be given as a sound in one place and as a video in another.
 */
const verdicts = { image: new Verdicts(), audio: new Verdicts(), video: new Verdicts() };

/**
 * Whether a clip recorded as `rec` may still send its files and a POST (see clips.ts `produce`): not when
 * it is in flight at HeyGen, nor when it was rendered and is not to be rendered again (`fresh`).
 */
export function maySend(rec: ClipLock | undefined, fresh: boolean): boolean {
  if (rec?.status === 'submitted' && rec.remoteId !== undefined) return false;
  return fresh || rec?.status !== 'completed';
}

/** Throws E_COMPOSE_ASSET for the first of `uploads` that should not go to HeyGen. */
export async function checkUploads(ctx: RunContext, uploads: readonly UploadToCheck[]): Promise<void> {
  for (const u of uploads) {
    // An image of an unknown kind is decoded by ffmpeg, audio probed: a build of many videos starts a few at once.
    const slot = await ctx.probeSlots.acquire(1, ctx.soft);
    try {
      await checkUpload(ctx, u);
    } finally {
      ctx.probeSlots.release(slot);
    }
  }
}

async function checkUpload(ctx: RunContext, upload: UploadToCheck): Promise<void> {
  const { file: { role, ref }, place } = upload;
  const file = resolve(ctx.config.root, ref.path);
  try {
    await access(file);
  } catch {
    throw new HeygenBuildError('E_COMPOSE_ASSET', `${place}: asset not found: ${ref.path} (looked in ${file})`, {
      hint: `put the file back at ${ref.path}, or fix the path in the manifest (relative to its folder)`,
    });
  }
  const label = { code: 'E_COMPOSE_ASSET', path: ref.path, place } as const;
  // What the plan's load judged of these very bytes (the same sha256) as it hashed them: not read again for it.
  const judged = judgedBefore(ctx, kindOf(role), ref);
  let problem: string | undefined;
  if (role === 'video') {
    // Its kind first, by its bytes (what `plan` says of it too): ffprobe reads a MOV or a PNG as well.
    problem = judged ? judged.problem : await verdicts.video.why(file, ref.sha256, async () => videoUploadProblem(await readHead(file, VIDEO_HEAD_BYTES)));
    if (problem === undefined) await (await compositor()).checkMedia(file, ref.sha256, { ...label, kind: 'video', formats: 'MP4 or WebM' }, ctx.soft);
  } else if (role === 'audio') {
    // ffprobe reads its length: the plan's verdict is its first bytes only.
    await (await compositor()).checkMedia(file, ref.sha256, { ...label, kind: 'audio', formats: 'MP3 or WAV' }, ctx.soft);
    problem = judged ? judged.problem : await verdicts.audio.why(file, ref.sha256, async () => audioUploadProblem(await readHead(file, AUDIO_HEAD_BYTES)));
  } else if (judged) {
    // The plan read the whole picture, as checkImage would.
    if (judged.problem !== undefined && judged.unreadable) throw (await import('../../compose/image-check.js')).unreadableImage(judged.problem, label);
    problem = judged.problem;
  } else {
    // checkImage read the whole picture (its header, or ffmpeg's decoding): readable, its kind is in its first bytes.
    await (await compositor()).checkImage(file, ref.sha256, label, ctx.soft);
    problem = await verdicts.image.why(file, ref.sha256, async () => imageFormatProblem(signatureFormat(await readHead(file, IMAGE_HEAD_BYTES))));
  }
  if (problem !== undefined) throw notTaken(upload, problem);
}

/**
 * The verdict the plan's load recorded with `ref`'s digest, as this check gives it (`problem` undefined:
 * HeyGen takes the file); undefined when there is none to take. A picture whose header it did not keep
 * (over 8 MB) or of a kind not read in JS (a BMP, a TIFF: ffmpeg decodes it) is checked here as before.
 */
function judgedBefore(ctx: RunContext, kind: UploadKind, ref: LocalAsset): { problem?: string; unreadable: boolean } | undefined {
  const verdict = ctx.assets && recordedVerdict(ctx.assets, ref);
  if (!verdict || (kind === 'image' && (verdict.image === undefined || 'unknown' in verdict.image))) return undefined;
  const why = whyRefused(kind, verdict);
  return why === 'unread' ? undefined : (why ?? { unreadable: false });
}

/** The compositor's checks with ffmpeg found, loaded only for a file the plan's verdict does not settle. */
async function compositor(): Promise<{
  checkMedia: (file: string, key: string, label: MediaLabel, signal: AbortSignal) => Promise<void>;
  checkImage: (file: string, key: string, label: ImageLabel, signal: AbortSignal) => Promise<void>;
}> {
  const { checkImage, checkMedia, findFfmpeg } = await composer();
  const tools = await findFfmpeg();
  return {
    checkMedia: (file, key, label, signal) => checkMedia(file, key, tools, label, signal),
    checkImage: (file, key, label, signal) => checkImage(file, key, tools, label, signal),
  };
}

/** The error for a file HeyGen's asset upload does not take (`problem`: why), with how to re-export it. */
export function notTaken({ file: { role, ref }, place }: UploadToCheck, problem: string): HeygenBuildError {
  const { fix, ext, options } = REEXPORT[kindOf(role)];
  const stem = ref.path.replace(/\.[^./]*$/, '');
  // A WebP saved as `.png` is re-exported under a name of its own: ffmpeg does not write over its input.
  const fixed = `${stem}.${ext}` === ref.path ? `${stem}-fixed.${ext}` : `${stem}.${ext}`;
  return new HeygenBuildError('E_COMPOSE_ASSET', `${place}: HeyGen would not take ${ref.path}: ${problem}`, {
    hint: `${fix} (\`ffmpeg -i ${shellWord(ref.path)}${options} ${shellWord(fixed)}\`) and point the manifest at the new file`,
  });
}

/**
 * What the hint asks for, the new file's extension, and the ffmpeg options between input and output. A
 * video is re-encoded to the MP4 every player and HeyGen read: H.264 in 8-bit 4:2:0 (an iPhone's 10-bit
 * HEVC would otherwise stay 10-bit) with AAC sound.
 */
const REEXPORT = {
  image: { fix: 're-export it as PNG or JPEG', ext: 'png', options: '' },
  audio: { fix: 're-export it as MP3 or WAV', ext: 'wav', options: '' },
  video: { fix: 're-encode it as MP4', ext: 'mp4', options: ' -c:v libx264 -pix_fmt yuv420p -c:a aac' },
} as const;
