/**
 * What an MP4's own headers say about its first video and audio streams, read in-process: enough to
 * tell whether a one-scene render can be the output as it is (composed.ts `asWholeVideo`) without
 * starting ffprobe for every clip of a build (a process per clip: ~3 ms of the build's CPU and up to
 * ~15 ms with the event loop blocked in spawn, right when the next polls and POSTs are due).
 *
 * It answers only what it is sure ffprobe would say: an `avc1` track's codec, size and pixel format
 * from its sequence parameter set (the decoder's own source, cropping and colour range included), and
 * an `mp4a` track's object type. Anything it does not know how to read, it leaves undefined, and the
 * caller asks ffprobe.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { readSps } from './h264-sps.js';

/** The first video and audio stream of an MP4, as ffprobe names them (`undefined` fields: unsure). */
export interface Mp4Streams {
  video?: { codec: string; width?: number; height?: number; pixFmt?: string };
  audio?: { codec?: string };
}

/** A `moov` larger than this is not read here (ffprobe reads it). */
const MAX_MOOV = 16 * 1024 * 1024;

interface Box {
  type: string;
  /** Payload start and end, relative to the buffer. */
  start: number;
  end: number;
}

/** The boxes in `buf` between `from` and `to`; stops at the first malformed one. */
function boxes(buf: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) break;
    out.push({ type: buf.toString('latin1', at + 4, at + 8), start: at + header, end: at + size });
    at += size;
  }
  return out;
}

function child(buf: Buffer, box: Box | undefined, type: string, skip = 0): Box | undefined {
  return box && boxes(buf, box.start + skip, box.end).find((b) => b.type === type);
}

/** The `moov` box's bytes (its payload), or undefined when there is none or it is too large. */
async function readMoov(fh: FileHandle): Promise<Buffer | undefined> {
  const { size: fileSize } = await fh.stat();
  const head = Buffer.alloc(16);
  let at = 0;
  while (at + 8 <= fileSize) {
    const { bytesRead } = await fh.read(head, 0, 16, at);
    if (bytesRead < 8) return undefined;
    let size = head.readUInt32BE(0);
    let header = 8;
    if (size === 1) {
      if (bytesRead < 16) return undefined;
      size = Number(head.readBigUInt64BE(8));
      header = 16;
    } else if (size === 0) size = fileSize - at;
    if (size < header) return undefined;
    if (head.toString('latin1', 4, 8) === 'moov') {
      if (size > MAX_MOOV || at + size > fileSize) return undefined;
      const moov = Buffer.alloc(size - header);
      const r = await fh.read(moov, 0, moov.length, at + header);
      return r.bytesRead === moov.length ? moov : undefined;
    }
    at += size;
  }
  return undefined;
}

/** The first sample entry of a track (its `stsd`'s first box), and the track's handler type. */
function sampleEntry(buf: Buffer, trak: Box): { handler: string; entry: Box } | undefined {
  const mdia = child(buf, trak, 'mdia');
  const hdlr = child(buf, mdia, 'hdlr');
  const stsd = child(buf, child(buf, child(buf, mdia, 'minf'), 'stbl'), 'stsd');
  if (!hdlr || hdlr.end - hdlr.start < 12 || !stsd) return undefined;
  // stsd: version and flags (4 bytes), entry count (4), then the entries as boxes.
  const entry = boxes(buf, stsd.start + 8, stsd.end)[0];
  return entry ? { handler: buf.toString('latin1', hdlr.start + 8, hdlr.start + 12), entry } : undefined;
}

/** An `avc1` entry: size and pixel format from its SPS, checked against the entry's own size. */
function avc(buf: Buffer, entry: Box): Mp4Streams['video'] {
  // VisualSampleEntry: 78 bytes of fields (width at 24, height at 26), then its boxes (avcC).
  if (entry.end - entry.start < 78) return { codec: 'h264' };
  const avcC = child(buf, entry, 'avcC', 78);
  if (!avcC || avcC.end - avcC.start < 8 || (buf[avcC.start + 5]! & 0x1f) < 1) return { codec: 'h264' };
  const spsLength = buf.readUInt16BE(avcC.start + 6);
  if (avcC.start + 8 + spsLength > avcC.end) return { codec: 'h264' };
  const sps = readSps(buf.subarray(avcC.start + 8, avcC.start + 8 + spsLength));
  const width = buf.readUInt16BE(entry.start + 24);
  const height = buf.readUInt16BE(entry.start + 26);
  // The entry and the SPS disagreeing: unusual enough to leave to ffprobe.
  if (!sps || sps.width !== width || sps.height !== height) return { codec: 'h264' };
  return { codec: 'h264', width, height, ...(sps.pixFmt ? { pixFmt: sps.pixFmt } : {}) };
}

/** An `mp4a` entry's codec: `aac` for MPEG-4 audio (object type 0x40), else unsure. */
function mp4a(buf: Buffer, entry: Box): Mp4Streams['audio'] {
  // AudioSampleEntry: 28 bytes of fields (QuickTime's versions 1 and 2 add 16 or 36), then its boxes.
  if (entry.end - entry.start < 28) return {};
  const version = buf.readUInt16BE(entry.start + 8);
  const skip = 28 + (version === 1 ? 16 : version === 2 ? 36 : 0);
  const esds = child(buf, entry, 'esds', skip);
  return esds && objectType(buf, esds.start + 4, esds.end) === 0x40 ? { codec: 'aac' } : {};
}

/** The objectTypeIndication of the DecoderConfigDescriptor in an ES_Descriptor at `at`. */
function objectType(buf: Buffer, at: number, end: number): number | undefined {
  const descriptor = (tag: number): boolean => {
    if (at >= end || buf[at] !== tag) return false;
    at++;
    // The length: 1 to 4 bytes of 7 bits each.
    for (let i = 0; i < 4 && at < end; i++) if ((buf[at++]! & 0x80) === 0) break;
    return true;
  };
  if (!descriptor(0x03) || at + 3 > end) return undefined;
  const flags = buf[at + 2]!;
  at += 3;
  if (flags & 0x80) at += 2;
  if (flags & 0x40 && at < end) at += 1 + buf[at]!;
  if (flags & 0x20) at += 2;
  if (!descriptor(0x04) || at >= end) return undefined;
  return buf[at];
}

/**
 * The first video and audio stream of the MP4 at `file`, as far as its headers say for sure; undefined
 * when the file is no MP4 this can read (ffprobe then decides).
 */
export async function mp4Streams(file: string): Promise<Mp4Streams | undefined> {
  let fh: FileHandle | undefined;
  let moov: Buffer | undefined;
  try {
    fh = await open(file, 'r');
    moov = await readMoov(fh);
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
  if (!moov) return undefined;
  const out: Mp4Streams = {};
  for (const trak of boxes(moov, 0, moov.length).filter((b) => b.type === 'trak')) {
    const s = sampleEntry(moov, trak);
    if (!s) return undefined;
    if (s.handler === 'vide' && !out.video) out.video = s.entry.type === 'avc1' ? avc(moov, s.entry) : { codec: s.entry.type };
    else if (s.handler === 'soun' && !out.audio) out.audio = s.entry.type === 'mp4a' ? mp4a(moov, s.entry) : { codec: s.entry.type };
  }
  return out;
}
