/**
 * The bytes the emulator serves: a real 2 s MP4 (h264 + aac, 320x180) committed under
 * `assets/`, padded on demand to any size with one top-level `free` box (a valid MP4 still),
 * generated chunk by chunk so a 200 MB video never sits in memory. Plus caption text files.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from './paths.js';

let baseMp4: Buffer | undefined;
let baseWebm: Buffer | undefined;

/** The small MP4 the emulator's rendered videos are made from, read once from its assets folder. */
export function mp4Base(): Buffer {
  baseMp4 ??= readFileSync(dataFile('assets', 'base.mp4'));
  return baseMp4;
}

/** The small WebM the emulator's transparent clips are made from, read once from its assets folder. */
export function webmBase(): Buffer {
  baseWebm ??= readFileSync(dataFile('assets', 'base.webm'));
  return baseWebm;
}

/** Seconds of media in the base files. */
export const BASE_SECONDS = 2;

/** Size actually served for a requested size: never below the base, and room for a box header. */
export function paddedSize(requested: number | undefined): number {
  const base = mp4Base().length;
  if (requested === undefined || requested <= base) return base;
  return Math.max(requested, base + 8);
}

const ZEROS = Buffer.alloc(64 * 1024);

/** The header of a `free` box that makes the file exactly `total` bytes long. */
function freeBoxHeader(total: number): Buffer {
  const boxSize = total - mp4Base().length;
  if (boxSize < 2 ** 32) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(boxSize, 0);
    header.write('free', 4, 'latin1');
    return header;
  }
  // size 1 means "the real size follows as a 64-bit largesize".
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write('free', 4, 'latin1');
  header.writeBigUInt64BE(BigInt(boxSize), 8);
  return header;
}

/** Bytes [start, end) of the padded MP4 of `total` bytes, in chunks of at most 64 KB. */
export function* paddedMp4(total: number, start: number, end: number): Generator<Buffer> {
  const base = mp4Base();
  end = Math.min(end, Math.max(total, base.length));
  const segments: Buffer[] = total > base.length ? [base, freeBoxHeader(total)] : [base];
  let offset = 0;
  for (const segment of segments) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + segment.length);
    if (from < to) yield segment.subarray(from - offset, to - offset);
    offset += segment.length;
  }
  // The rest of the free box: zeros.
  let pos = Math.max(start, offset);
  while (pos < end) {
    const n = Math.min(ZEROS.length, end - pos);
    yield n === ZEROS.length ? ZEROS : ZEROS.subarray(0, n);
    pos += n;
  }
}

/** Caption cues: the text cut into runs of ~8 words spread evenly over `seconds`. */
function cues(text: string, seconds: number): Array<{ start: number; end: number; text: string }> {
  const words = text.split(/\s+/).filter(Boolean);
  const groups: string[] = [];
  for (let i = 0; i < words.length; i += 8) groups.push(words.slice(i, i + 8).join(' '));
  if (groups.length === 0) groups.push('...');
  const step = seconds / groups.length;
  return groups.map((g, i) => ({ start: i * step, end: (i + 1) * step, text: g }));
}

function clock(seconds: number, sep: string, hourDigits = 2): string {
  const ms = Math.round(seconds * 1000);
  const h = String(Math.floor(ms / 3_600_000)).padStart(hourDigits, '0');
  const m = String(Math.floor(ms / 60_000) % 60).padStart(2, '0');
  const s = String(Math.floor(ms / 1000) % 60).padStart(2, '0');
  return `${h}:${m}:${s}${sep}${String(ms % 1000).padStart(3, '0')}`;
}

/** SRT captions spreading a script's words over a video of that length. */
export function srt(text: string, seconds: number): string {
  return cues(text, seconds)
    .map((c, i) => `${i + 1}\n${clock(c.start, ',')} --> ${clock(c.end, ',')}\n${c.text}\n`)
    .join('\n');
}

/** WebVTT captions spreading a script's words over a video of that length. */
export function vtt(text: string, seconds: number): string {
  const body = cues(text, seconds)
    .map((c) => `${clock(c.start, '.')} --> ${clock(c.end, '.')}\n${c.text}\n`)
    .join('\n');
  return `WEBVTT\n\n${body}`;
}

/** Advanced SubStation Alpha, what v1/v2 `caption_url` points at. */
export function ass(text: string, seconds: number): string {
  const t = (s: number): string => clock(s, '.', 1).slice(0, -1); // h:mm:ss.cc
  const events = cues(text, seconds)
    .map((c) => `Dialogue: 0,${t(c.start)},${t(c.end)},Default,,0,0,0,,${c.text}`)
    .join('\n');
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, Alignment',
    'Style: Default,Arial,20,&H00FFFFFF,2',
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    events,
    '',
  ].join('\n');
}
