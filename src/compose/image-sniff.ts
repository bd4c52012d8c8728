/**
 * Whether an image's bytes look like a picture ffmpeg can read, without starting ffmpeg: the
 * signature and size header of PNG, JPEG, WebP and GIF, and for PNG (the usual background) that no
 * chunk runs past the end of the file, which is how a cut-short download or copy looks. Pure: bytes
 * in, verdict out. Not a decoder: damage inside the compressed data still reaches ffmpeg.
 */

/** The formats read here; anything else is left to ffmpeg (see image-check.ts). */
export type SniffedFormat = 'PNG' | 'JPEG' | 'WebP' | 'GIF';

/** What the bytes say: a readable header, a named problem, or `unknown` (not one of the formats read here). */
export type Sniff = { ok: true; format: SniffedFormat; width: number; height: number } | { ok: false; format: SniffedFormat | undefined; problem: string } | { unknown: true };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The format the file's name promises, for a file whose bytes match no signature. */
export function formatByName(file: string): SniffedFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'png') return 'PNG';
  if (ext === 'jpg' || ext === 'jpeg') return 'JPEG';
  if (ext === 'webp') return 'WebP';
  if (ext === 'gif') return 'GIF';
  return undefined;
}

/** The format whose signature `head` (a file's first 12 bytes or more) starts with, if any. */
export function signatureFormat(head: Buffer): SniffedFormat | undefined {
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'PNG';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPEG';
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'WebP';
  if (/^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) return 'GIF';
  return undefined;
}

/**
 * Reads the header of `bytes` (the whole file); `name` decides what a file matching no signature was
 * meant to be. Such a file's verdict depends on its first 24 bytes and whether it is empty only.
 */
export function sniffImage(bytes: Buffer, name: string): Sniff {
  const format = signatureFormat(bytes);
  if (format === 'PNG') return png(bytes);
  if (format === 'JPEG') return jpeg(bytes);
  if (format === 'WebP') return webp(bytes);
  if (format === 'GIF') return sized('GIF', bytes.length >= 10 ? bytes.readUInt16LE(6) : 0, bytes.length >= 10 ? bytes.readUInt16LE(8) : 0);
  const meant = formatByName(name);
  if (meant === undefined) return { unknown: true };
  const problem = bytes.length === 0 ? 'the file is empty' : `it is not a ${meant} image (its first bytes are not a ${meant}'s signature${printable(bytes)})`;
  return { ok: false, format: meant, problem };
}

function sized(format: SniffedFormat, width: number, height: number): Sniff {
  return width > 0 && height > 0 ? { ok: true, format, width, height } : { ok: false, format, problem: `its ${format} header gives no picture size (${width}x${height})` };
}

/** `: it starts with "<html>..."`, when the start is text: an error page or a text file saved under an image's name. */
function printable(bytes: Buffer): string {
  const head = bytes.toString('latin1', 0, 24);
  return /^[\x20-\x7e\t\r\n]+$/.test(head) ? `: it starts with ${JSON.stringify(head.trimEnd())}` : '';
}

/** IHDR first; then every chunk (length, type, data, CRC) must fit in the file up to IEND. */
function png(bytes: Buffer): Sniff {
  if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR') return { ok: false, format: 'PNG', problem: 'its PNG header (IHDR) is missing or cut short' };
  let at = 8;
  let idat = false;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > bytes.length) return { ok: false, format: 'PNG', problem: `the file is cut short: its ${type} chunk needs ${at + 12 + length} bytes, the file has ${bytes.length}` };
    if (type === 'IDAT') idat = true;
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!idat) return { ok: false, format: 'PNG', problem: 'the file is cut short: it has no image data (IDAT)' };
  return sized('PNG', bytes.readUInt32BE(16), bytes.readUInt32BE(20));
}

const JPEG_END = Buffer.from([0xff, 0xd9]);

/**
 * Segments up to the first scan (SOS): the frame header (SOFn) before it gives the picture's height and
 * width. Then the end marker (EOI) must follow the scan, as it does unless the file was cut short: inside
 * the compressed data a 0xFF byte is always followed by 0x00 or a restart marker, never by 0xD9.
 */
function jpeg(bytes: Buffer): Sniff {
  let at = 2;
  let size: [number, number] | undefined;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { ok: false, format: 'JPEG', problem: `its JPEG structure is broken at byte ${at}` };
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && size === undefined) {
      if (at + 9 > bytes.length) return cutShort('JPEG');
      size = [bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5)];
    }
    if (marker === 0xda) {
      // Image data before any frame header.
      if (size === undefined) return { ok: false, format: 'JPEG', problem: 'its JPEG header gives no picture size (no frame header)' };
      if (bytes.indexOf(JPEG_END, at + 2 + length) === -1) return { ok: false, format: 'JPEG', problem: 'the file is cut short: its image data has no JPEG end marker (FFD9)' };
      return sized('JPEG', size[0], size[1]);
    }
    at += 2 + length;
  }
  return cutShort('JPEG');
}

/** The RIFF size must fit in the file; the first chunk (VP8, VP8L or VP8X) gives the size. */
function webp(bytes: Buffer): Sniff {
  if (bytes.length < 30) return cutShort('WebP');
  if (bytes.readUInt32LE(4) + 8 > bytes.length) return { ok: false, format: 'WebP', problem: `the file is cut short: its header says ${bytes.readUInt32LE(4) + 8} bytes, the file has ${bytes.length}` };
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') return sized('WebP', bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
  if (chunk === 'VP8L') {
    const b = bytes.readUInt32LE(21);
    return sized('WebP', (b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return sized('WebP', bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1);
  return { ok: false, format: 'WebP', problem: `its WebP header is not one ffmpeg reads (${JSON.stringify(chunk)})` };
}

function cutShort(format: SniffedFormat): Sniff {
  return { ok: false, format, problem: `the file is cut short: it ends inside its ${format} header` };
}
