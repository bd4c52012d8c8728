/**
 * What a file given as a video is, by its first bytes, the way a server that "sniffs content" tells it
 * (HeyGen's asset upload answers the "Detected MIME type"; renaming a file does not change what it is).
 * An ISO media file is told by its `ftyp` major brand (an iPhone's `.mov` is QuickTime, `qt  `; an M4A is
 * audio; HEIF/AVIF are pictures); an EBML file by its DocType (`webm`, or `matroska` for an MKV). A file of
 * no video container is named by its picture or audio signature, for a clear message. Pure: bytes in.
 */
import { signatureFormat, type SniffedFormat } from '../../compose/image-sniff.js';
import { audioFormat, audioFormatName, isAudioFormat, type AudioFormat } from './upload-types.js';

/** The video containers told here: the two HeyGen takes (MP4, WebM) and the usual others. */
export type VideoContainer = 'MP4' | 'WebM' | 'MOV' | 'MKV' | 'AVI' | '3GP' | 'FLV' | 'WMV' | 'MPEG' | 'HEIF';

/** What a file's first bytes say it is, as a video: a container, else a picture or audio signature. */
export type VideoFormat = VideoContainer | SniffedFormat | AudioFormat;

/** How many bytes `videoFormat` reads: an EBML header's DocType comes after up to ~40 bytes of other fields. */
export const VIDEO_HEAD_BYTES = 64;

const NAMES: Record<VideoContainer | SniffedFormat, string> = {
  MP4: 'an MP4 file',
  WebM: 'a WebM file',
  MOV: 'a QuickTime (MOV) file',
  MKV: 'a Matroska (MKV) file',
  AVI: 'an AVI file',
  '3GP': 'a 3GP file',
  FLV: 'a Flash (FLV) file',
  WMV: 'a Windows Media (WMV/ASF) file',
  MPEG: 'an MPEG program stream (MPG) file',
  HEIF: 'a HEIF/AVIF picture',
  PNG: 'a PNG picture',
  JPEG: 'a JPEG picture',
  WebP: 'a WebP picture',
  GIF: 'a GIF picture',
};

/**
 * Why HeyGen does not take a file of this format as a video (undefined: it does). `POST /v3/assets` lists
 * "png, jpeg, mp4, webm, mp3, wav, pdf, srt" (AssetCreate.json) and detects a file's type from its bytes;
 * a template's `video` variable is a video (`{asset_id, play_style, fit}`): so an MP4 or a WebM, by its bytes.
 */
export function videoFormatProblem(format: VideoFormat | undefined): string | undefined {
  if (format === 'MP4' || format === 'WebM') return undefined;
  return `it is ${format === undefined ? 'neither an MP4 nor a WebM file' : videoFormatName(format)}, and HeyGen takes only MP4 and WebM video`;
}

/** Why HeyGen does not take a video file that starts with `head` (its first VIDEO_HEAD_BYTES; undefined: it does). */
export function videoUploadProblem(head: Buffer): string | undefined {
  return videoFormatProblem(videoFormat(head));
}

/** `an MP4 file`, `a QuickTime (MOV) file`: for messages. */
export function videoFormatName(format: VideoFormat): string {
  return isAudioFormat(format) ? audioFormatName(format) : NAMES[format];
}

/** Whether `x` names one of the formats `videoFormat` tells (for a verdict read back from a cache). */
export function isVideoFormat(x: unknown): x is VideoFormat {
  return isAudioFormat(x) || (typeof x === 'string' && Object.hasOwn(NAMES, x));
}

/** What a file starting with `head` (its first VIDEO_HEAD_BYTES, or all of a shorter file) is, if this knows. */
export function videoFormat(head: Buffer): VideoFormat | undefined {
  return container(head) ?? signatureFormat(head) ?? audioFormat(head);
}

/** QuickTime's top-level atoms, which an old `.mov` (no `ftyp`) starts with. */
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
const ASF_GUID = Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]);

function container(head: Buffer): VideoContainer | AudioFormat | undefined {
  const ascii = head.toString('latin1', 0, 16);
  if (ascii.slice(4, 8) === 'ftyp') return brand(ascii.slice(8, 12));
  // A DocType this cannot find is taken for WebM: refusing a real WebM would stop a build for nothing.
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return ebmlDocType(head) === 'matroska' ? 'MKV' : 'WebM';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'AVI ') return 'AVI';
  if (ascii.startsWith('FLV\x01')) return 'FLV';
  if (head.subarray(0, 8).equals(ASF_GUID)) return 'WMV';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x000001ba) return 'MPEG';
  if (head.length >= 8 && QUICKTIME_ATOMS.has(ascii.slice(4, 8))) return 'MOV';
  return undefined;
}

/** An ISO media file by its major brand: everything not named otherwise is an MP4 (isom, mp41, mp42, avc1, dash, M4V...). */
function brand(major: string): VideoContainer | 'M4A' {
  if (major === 'qt  ') return 'MOV';
  if (/^(M4A|M4B|M4P|F4A|F4B) $/.test(major)) return 'M4A';
  if (/^3g[p2]/.test(major)) return '3GP';
  if (/^(heic|heix|heim|heis|hevc|hevx|mif1|msf1|avif|avis)$/.test(major)) return 'HEIF';
  return 'MP4';
}

/**
 * The DocType of the EBML header at the start of `head` (`webm`, `matroska`), or undefined when it is not
 * within `head`. Elements are an ID (1-4 bytes, its length in the first byte's leading zeros), a size (a
 * variable-length integer, 1-8 bytes) and the data; DocType is ID 0x4282.
 */
function ebmlDocType(head: Buffer): string | undefined {
  let at = 4;
  const headerSize = vint(head, at);
  if (!headerSize) return undefined;
  at += headerSize.length;
  while (at < head.length) {
    const idLength = vintLength(head[at]!);
    if (idLength === undefined || idLength > 4 || at + idLength > head.length) return undefined;
    const id = head.readUIntBE(at, idLength);
    at += idLength;
    const size = vint(head, at);
    if (!size) return undefined;
    at += size.length;
    if (id === 0x4282) return at + size.value <= head.length ? head.toString('latin1', at, at + size.value).replace(/\0+$/, '') : undefined;
    at += size.value;
  }
  return undefined;
}

/** How many bytes a variable-length integer whose first byte is `first` takes (undefined: 0x00, not one). */
function vintLength(first: number): number | undefined {
  for (let n = 1; n <= 8; n++) if (first & (0x100 >> n)) return n;
  return undefined;
}

/** The variable-length integer at `at`, without its length marker; undefined when it runs past `buf`. */
function vint(buf: Buffer, at: number): { value: number; length: number } | undefined {
  const first = buf[at];
  if (first === undefined) return undefined;
  const length = vintLength(first);
  if (length === undefined || at + length > buf.length) return undefined;
  let value = first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + buf[at + i]!;
  return { value, length };
}
