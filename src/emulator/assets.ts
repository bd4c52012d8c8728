/**
 * Uploaded assets: v3 `POST /v3/assets` (multipart, field `file`, at most 32 MB) and v1
 * `POST /v1/asset` (raw body, type from Content-Type). We keep a digest and size, not the bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { audioSeconds } from './audio.js';
import { ApiError } from './envelopes.js';
import type { AssetView } from './types.js';

/** HeyGen's documented size limit for a v3 asset upload (32 MB); larger uploads are refused like HeyGen would. */
export const V3_ASSET_LIMIT = 32 * 1024 * 1024;
/** HeyGen documents 100 MB for video resources; the v1 upload has no published cap. */
export const V1_ASSET_LIMIT = 100 * 1024 * 1024;

/** What `POST /v3/assets` takes: "png, jpeg, mp4, webm, mp3, wav, pdf, srt" (AssetCreate.json). */
const V3_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/wav',
  'application/pdf',
  'application/x-subrip',
]);

/**
 * The `content_type` a direct upload may declare. AssetDirectUploadsCreate.json gives no list of its own,
 * only examples ('video/mp4', 'image/png', 'audio/mpeg', 'application/pdf', 'application/zip') for the same
 * asset store `POST /v3/assets` fills: so those types and the zip, and nothing the docs do not name (a phone's
 * `video/quicktime`, an MKV, an AVI, `audio/mp3`).
 */
export const DIRECT_UPLOAD_TYPES: ReadonlySet<string> = new Set([...V3_TYPES, 'application/zip']);

/** The types a direct upload may declare, for messages. */
export const DIRECT_UPLOAD_NAMES = 'png, jpeg, mp4, webm, mp3, wav, pdf, srt or zip';

/**
 * The MIME type from the file's first bytes (at least 64 of them; "Detected MIME type"), else undefined.
 * HeyGen "sniffs content" (renaming a file does not change its type), so a file is what a content sniffer
 * calls it: an ISO media file by its major brand (QuickTime's `qt  ` is video/quicktime, not an MP4), an
 * EBML file by its DocType (`matroska` is video/x-matroska, not a WebM), RIFF `AVI ` is video/x-msvideo.
 */
export function sniff(head: Buffer): string | undefined {
  const ascii = head.subarray(0, 16).toString('latin1');
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii.slice(4, 8) === 'ftyp') return isoMediaType(ascii.slice(8, 12));
  if (['moov', 'mdat', 'wide'].includes(ascii.slice(4, 8))) return 'video/quicktime';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    // The EBML header's DocType ("webm" or "matroska") comes within its first few dozen bytes.
    return head.subarray(0, 64).includes('matroska', 0, 'latin1') ? 'video/x-matroska' : 'video/webm';
  }
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'AVI ') return 'video/x-msvideo';
  if (ascii.startsWith('ID3') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii.startsWith('%PDF')) return 'application/pdf';
  if (/^\uFEFF?\s*\d+\s*\r?\n\d\d:\d\d:\d\d,\d{3} --> /.test(head.subarray(0, 64).toString('utf8'))) {
    return 'application/x-subrip';
  }
  return undefined;
}

/** An ISO base media file's type by its `ftyp` major brand; the others (isom, mp41, mp42, avc1...) are MP4. */
function isoMediaType(brand: string): string {
  if (brand === 'qt  ') return 'video/quicktime';
  if (/^M4[ABP] $/.test(brand)) return 'audio/mp4';
  if (/^3g[p2]/.test(brand)) return 'video/3gpp';
  if (/^(heic|heix|hevc|hevx|mif1|msf1)$/.test(brand)) return 'image/heic';
  if (/^avi[fs]$/.test(brand)) return 'image/avif';
  return 'video/mp4';
}

/**
 * The emulator's uploaded assets by id (digest and size, never the bytes), so later requests can check the ids they
 * name.
 */
export class AssetStore {
  readonly byId = new Map<string, AssetView>();

  add(
    api: AssetView['api'],
    name: string,
    mimeType: string,
    sizeBytes: number,
    sha256: string,
    extra: { id?: string; durationSeconds?: number } = {},
  ): AssetView {
    const asset: AssetView = {
      id: extra.id ?? randomBytes(16).toString('hex'),
      api,
      name,
      mimeType,
      sizeBytes,
      sha256,
      createdAt: Date.now(),
    };
    if (extra.durationSeconds !== undefined) asset.durationSeconds = extra.durationSeconds;
    this.byId.set(asset.id, asset);
    return asset;
  }

  /** Adds an asset whose bytes we hold: audio gets its playing time measured. */
  async addBytes(api: AssetView['api'], name: string, mimeType: string, bytes: Buffer, id?: string): Promise<AssetView> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const durationSeconds = await audioSeconds(bytes, mimeType);
    return this.add(api, name, mimeType, bytes.length, sha, { id, durationSeconds });
  }

  size(id: string): { sizeBytes: number; durationSeconds?: number } | undefined {
    return this.byId.get(id);
  }

  /** v3: parse the multipart body with the platform's own parser (undici's Response.formData). */
  async addMultipart(contentType: string, body: Buffer): Promise<AssetView> {
    if (!/^multipart\/form-data/i.test(contentType)) {
      throw new ApiError(400, 'validation_error', 'Content-Type must be multipart/form-data', 'file');
    }
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw new ApiError(400, 'validation_error', 'Malformed multipart/form-data body', 'file');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') {
      throw new ApiError(400, 'validation_error', 'body must have required property \'file\'', 'file');
    }
    if (file.size > V3_ASSET_LIMIT) {
      throw new ApiError(413, 'payload_too_large', 'File exceeds the 32 MB upload limit', 'file');
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const declared = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
    const detected = sniff(bytes);
    // What the bytes are decides; a declared type stands only for bytes with no signature, and never for a
    // video: its container always has one (an AVI or a random file sent as video/mp4 is not an MP4).
    const mime = detected ?? (V3_TYPES.has(declared) && !declared.startsWith('video/') ? declared : undefined);
    if (!mime || !V3_TYPES.has(mime)) {
      throw new ApiError(400, 'validation_error', `Unsupported file type${detected ? ` (${detected})` : ''}: use png, jpeg, mp4, webm, mp3, wav, pdf or srt`, 'file');
    }
    return this.addBytes('v3', file.name || 'upload', mime, bytes);
  }

  /** v1: raw body streamed through a hash; the type is what Content-Type says. */
  async addRaw(req: IncomingMessage, contentType: string): Promise<{ asset: AssetView; bytes: number }> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const tooLarge = (): ApiError =>
      new ApiError(413, 'payload_too_large', 'File exceeds the 100 MB upload limit', undefined, { Connection: 'close' });
    if (Number.isFinite(declared) && declared > V1_ASSET_LIMIT) throw tooLarge();
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > V1_ASSET_LIMIT) throw tooLarge();
      hash.update(chunk);
    }
    if (size === 0) throw new ApiError(400, 'missing_parameter', 'Request body is empty');
    const ext = contentType.split('/')[1] ?? 'bin';
    return { asset: this.add('v1', `upload.${ext}`, contentType, size, hash.digest('hex')), bytes: size };
  }
}

/** v1 `file_type` from a MIME type, or undefined when HeyGen would refuse it. */
export function v1FileType(mime: string): 'image' | 'video' | 'audio' | undefined {
  if (mime === 'image/jpeg' || mime === 'image/png') return 'image';
  if (mime === 'video/mp4' || mime === 'video/webm') return 'video';
  if (mime === 'audio/mpeg' || mime === 'audio/mp3' || mime === 'audio/wav' || mime === 'audio/x-wav') return 'audio';
  return undefined;
}
