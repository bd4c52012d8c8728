/** Reading served media back the way a compositor would: ffprobe for the container, ffmpeg's libvpx decoder for alpha. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import ffprobe from '@ffprobe-installer/ffprobe';

const run = promisify(execFile);

async function withFile<T>(bytes: Buffer, ext: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'emu-media-'));
  const file = join(dir, `f.${ext}`);
  await writeFile(file, bytes);
  try {
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Probe {
  /** `any` on purpose: ffprobe's JSON, checked field by field. */
  streams: any[];
  format: { duration: string; format_name: string };
}

export function probe(bytes: Buffer, ext: string): Promise<Probe> {
  return withFile(bytes, ext, async (file) => {
    const { stdout } = await run(ffprobe.path, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
    return JSON.parse(stdout) as Probe;
  });
}

export interface AlphaReport {
  /** The pixel format ffmpeg's libvpx-vp9 decoder reports for the stream. */
  decodedPixFmt: string;
  /** The alpha plane of one frame: min, max and mean over 0..255. */
  min: number;
  max: number;
  mean: number;
}

/** Decodes the frame at `at` seconds with libvpx-vp9 (the decoder that reads VP9 alpha) and measures its alpha plane. */
export function alphaOf(bytes: Buffer, at: number): Promise<AlphaReport> {
  return withFile(bytes, 'webm', async (file) => {
    const { stdout, stderr } = await run(ffmpeg.path, [
      '-hide_banner', '-nostdin', '-v', 'info', '-c:v', 'libvpx-vp9', '-ss', String(at), '-i', file,
      '-vf', 'alphaextract,signalstats,metadata=print:file=-', '-frames:v', '1', '-an', '-f', 'null', '-',
    ]);
    const stat = (key: string): number => Number(new RegExp(`lavfi\\.signalstats\\.${key}=([\\d.]+)`).exec(stdout)?.[1] ?? NaN);
    const decodedPixFmt = /Stream #0:0: Video: vp9 \([^)]*\), (\w+)/.exec(stderr)?.[1] ?? 'unknown';
    return { decodedPixFmt, min: stat('YMIN'), max: stat('YMAX'), mean: stat('YAVG') };
  });
}

/** A PCM WAV of `seconds` of silence (16-bit mono 16 kHz), built by hand: header + zeros. */
export function silentWav(seconds: number): Buffer {
  const rate = 16_000;
  const data = Math.round(seconds * rate) * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

/** An MP3 of `seconds` of silence, made by ffmpeg. */
export async function silentMp3(seconds: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'emu-mp3-'));
  const out = join(dir, 'a.mp3');
  try {
    await run(ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', `anullsrc=r=44100:cl=mono`, '-t', String(seconds), '-c:a', 'libmp3lame', '-b:a', '64k', out]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
