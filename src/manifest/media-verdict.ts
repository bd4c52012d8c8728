/**
 * What a local asset's bytes are, judged while the asset is hashed (every byte passes through then
 * anyway) and kept with its digest in the warm cache (assets.ts): its picture header as the compositor
 * reads it (compose/image-sniff.ts), its audio container by signature (execute/heygen/upload-types.ts)
 * and what it is as a video (execute/heygen/video-format.ts). `plan` then tells which files HeyGen's
 * asset upload would refuse without reading any of them again.
 *
 * Both readers are pure and small; they are imported here, below the layers they live in, so that one
 * rule decides for the build, the plan and the cache.
 */
import { createReadStream } from 'node:fs';
import { signatureFormat, sniffImage, type Sniff, type SniffedFormat } from '../compose/image-sniff.js';
import { AUDIO_HEAD_BYTES, audioFormat, isAudioFormat, type AudioFormat } from '../execute/heygen/upload-types.js';
import { isVideoFormat, VIDEO_HEAD_BYTES, videoFormat, type VideoFormat } from '../execute/heygen/video-format.js';

/** What a file's bytes are, as far as the checks before an upload care. */
export interface MediaVerdict {
  /** Its picture header, read as sniffImage reads the whole file; absent for a picture over WHOLE_IMAGE_MAX. */
  image?: Sniff;
  /** The audio container its signature names; null for none. */
  audio: AudioFormat | null;
  /** What it is as a video (a container, else a picture or audio signature); null for nothing known. */
  video: VideoFormat | null;
}

/**
 * A picture is kept whole while it is hashed up to this size: a PNG's chunks run to its end, and a JPEG's
 * end marker is at its tail. Up to 16 assets are hashed at once (finish-specs.ts), so this bounds what a
 * cold plan holds to 16 x 8 MB; larger pictures (a 4K PNG may reach 25 MB) are read again when a plan
 * needs them (a clip to render would upload one).
 */
export const WHOLE_IMAGE_MAX = 8 * 1024 * 1024;

/** Enough of a file with no picture signature: sniffImage reads its first 24 bytes, audioFormat 12, videoFormat 64. */
const HEAD = Math.max(32, VIDEO_HEAD_BYTES);

/**
 * Takes a file's chunks as they stream past (to sha256, see fsx/digest.ts) and keeps only what its
 * verdict needs: the first bytes, or the whole file when they are a picture's signature.
 */
export class MediaSampler {
  private chunks: Buffer[] = [];
  private kept = 0;
  /** undefined: not yet known (fewer than HEAD bytes seen); 'too large': a picture over `max`. */
  private picture: boolean | 'too large' | undefined;

  constructor(private readonly max = WHOLE_IMAGE_MAX) {}

  /** Whether more bytes would change the verdict. */
  get done(): boolean {
    return this.kept >= HEAD && (this.picture === false || this.picture === 'too large');
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    if (this.picture === undefined && this.kept >= HEAD) {
      this.picture = signatureFormat(this.head()) !== undefined;
      // A copy of the head only: the 1 MiB chunk it came in is not held for the rest of the file.
      if (!this.picture) this.keepHead();
    }
    if (this.picture === true && this.kept > this.max) {
      this.picture = 'too large';
      this.keepHead();
    }
  }

  /** The verdict on the bytes pushed so far, taken as the whole file named `name` (project-relative). */
  verdict(name: string): MediaVerdict {
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return judgeMedia(bytes, name, this.picture !== 'too large');
  }

  private head(): Buffer {
    const first = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    return first.subarray(0, HEAD);
  }

  private keepHead(): void {
    this.chunks = [Buffer.from(this.head())];
    this.kept = this.chunks[0]!.length;
  }
}

/**
 * The verdict on `bytes`, the whole file named `name`, or (`whole` false) only its start: then a
 * picture's header is not read. A file with no picture signature needs only its first HEAD bytes.
 */
export function judgeMedia(bytes: Buffer, name: string, whole = true): MediaVerdict {
  const audio = audioFormat(bytes.subarray(0, AUDIO_HEAD_BYTES)) ?? null;
  const video = videoFormat(bytes.subarray(0, VIDEO_HEAD_BYTES)) ?? null;
  if (!whole && signatureFormat(bytes) !== undefined) return { audio, video };
  return { image: sniffImage(bytes, name), audio, video };
}

/**
 * Reads only what the verdict on the file at `abs` needs (its first bytes; all of a picture up to
 * `max`): for a cached digest that has none yet (a cache written before verdicts were kept).
 */
export async function judgeFile(abs: string, name: string, max = WHOLE_IMAGE_MAX): Promise<MediaVerdict> {
  const sampler = new MediaSampler(max);
  for await (const chunk of createReadStream(abs, { highWaterMark: 1 << 16 })) {
    sampler.push(chunk as Buffer);
    if (sampler.done) break;
  }
  return sampler.verdict(name);
}

const FORMATS: readonly unknown[] = ['PNG', 'JPEG', 'WebP', 'GIF'] satisfies SniffedFormat[];

/** A verdict read back from the cache, or undefined when there is none or it is not one this code wrote. */
export function readVerdict(raw: unknown): MediaVerdict | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { image, audio, video: kept } = raw as { image?: unknown; audio?: unknown; video?: unknown };
  if (audio !== null && !isAudioFormat(audio)) return undefined;
  if (image !== undefined && !isSniff(image)) return undefined;
  const video = kept === undefined ? olderVideo(image, audio) : kept;
  if (video === undefined || (video !== null && !isVideoFormat(video))) return undefined;
  return image === undefined ? { audio, video } : { image, audio, video };
}

/**
 * What a file is as a video, for a verdict written before that was kept, when its other fields tell
 * exactly what videoFormat would: a readable picture's signature, or an audio signature other than an ISO
 * media file's (an `ftyp` file may be an MP4, a MOV or an M4A). Else undefined: the file's first bytes are
 * read once more (assets.ts), and the cache written after that run keeps the answer.
 */
function olderVideo(image: Sniff | undefined, audio: AudioFormat | null): VideoFormat | undefined {
  if (image !== undefined && 'ok' in image && image.ok) return image.format;
  if (audio !== null && audio !== 'M4A') return audio;
  return undefined;
}

function isSniff(x: unknown): x is Sniff {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  if (s.unknown === true) return true;
  if (s.ok === true) return FORMATS.includes(s.format) && typeof s.width === 'number' && typeof s.height === 'number';
  return s.ok === false && (s.format === undefined || FORMATS.includes(s.format)) && typeof s.problem === 'string';
}
