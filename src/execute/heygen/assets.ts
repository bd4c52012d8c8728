/**
 * Local assets are uploaded once per content hash and reused across videos and builds: the lockfile's
 * asset table maps sha256 -> remote asset id (per API version, whose ids differ).
 */
import { extname, resolve } from 'node:path';
import type { AssetRef, VideoSpec } from '../../model/spec.js';
import { localAssets } from '../../model/spec.js';
import type { RunContext } from './context.js';
import { signatureFormat } from '../../compose/image-sniff.js';
import { readHead } from '../../fsx/head.js';
import { AUDIO_HEAD_BYTES, audioFormat, IMAGE_HEAD_BYTES } from './upload-types.js';
import { VIDEO_HEAD_BYTES, videoFormat } from './video-format.js';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  // A prompt video's `files:` (Video Agent takes png, jpeg, mp4, webm, mp3, wav and pdf).
  '.pdf': 'application/pdf',
  '.srt': 'application/x-subrip',
};

/** The Content-Type a local asset's extension names (application/octet-stream when unknown). */
export function mimeOf(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The Content-Type a file starting with `head` (its first UPLOAD_HEAD_BYTES) is uploaded with: what its
 * bytes are, when they are a PNG, a JPEG, an MP3, a WAV, an MP4, a WebM or a PDF (a JPEG saved as `.png` goes
 * up as image/jpeg, a WebM saved as `.mp4` as video/webm: HeyGen checks a direct upload's declared type
 * against its bytes), else what its extension names.
 */
export function uploadMime(path: string, head: Buffer): string {
  const picture = signatureFormat(head);
  if (picture === 'PNG') return 'image/png';
  if (picture === 'JPEG') return 'image/jpeg';
  const audio = audioFormat(head);
  if (audio === 'MP3') return 'audio/mpeg';
  if (audio === 'WAV') return 'audio/wav';
  const video = videoFormat(head);
  if (video === 'MP4') return 'video/mp4';
  if (video === 'WebM') return 'video/webm';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return mimeOf(path);
}

/** How many of a file's first bytes `uploadMime` reads. */
export const UPLOAD_HEAD_BYTES = Math.max(IMAGE_HEAD_BYTES, AUDIO_HEAD_BYTES, VIDEO_HEAD_BYTES);

/** A project file to upload: its project-relative path and the digest it is deduplicated by. */
export interface LocalFile {
  path: string;
  sha256: string;
  size: number;
}

/** The HeyGen asset id of `file`, uploading it unless this content was uploaded before (by any build). */
export async function uploadOnce(ctx: RunContext, file: LocalFile, label: string, signal?: AbortSignal): Promise<string> {
  const api = ctx.client.api;
  const known = ctx.store.lock.assets[file.sha256];
  if (known && known.api === api) return known.remoteId;
  let pending = ctx.uploads.get(file.sha256);
  if (!pending) {
    pending = (async () => {
      ctx.emit({ type: 'status', id: label, state: 'uploading', detail: file.path });
      const abs = resolve(ctx.config.root, file.path);
      const up = await ctx.client.uploadAsset(abs, uploadMime(file.path, await readHead(abs, UPLOAD_HEAD_BYTES)), signal);
      // The file may have changed since the plan read it (an editor's save, a checkout during the build):
      // HeyGen then holds other bytes, and recording them under the planned digest would render every
      // video that uses the planned bytes with these, now and in later builds.
      await ctx.assetCheck.verify([file], "HeyGen's copy");
      await ctx.store.update((l) => {
        l.assets[file.sha256] = { path: file.path, size: file.size, api, remoteId: up.id };
      });
      return up.id;
    })();
    ctx.uploads.set(file.sha256, pending);
    // A failed upload may be retried by the next video that needs it.
    pending.catch(() => ctx.uploads.delete(file.sha256));
  }
  return pending;
}

/** Uploads what the video needs and returns a lookup for the request mappers. */
export async function ensureAssets(ctx: RunContext, spec: VideoSpec, signal?: AbortSignal): Promise<(ref: AssetRef) => string | undefined> {
  const ids = new Map<string, string>();
  for (const asset of localAssets(spec)) ids.set(asset.sha256, await uploadOnce(ctx, asset, spec.id, signal));
  return (ref) => (ref.kind === 'local' ? ids.get(ref.sha256) : undefined);
}
