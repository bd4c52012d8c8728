/** Shared helpers for the draft renderer tests: hand-built specs, ffprobe, frame pixels. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SceneSpec, VideoSpec } from '../../../src/model/spec.js';
import { findFfmpeg } from '../../../src/providers/local/index.js';

const exec = promisify(execFile);

export const ffprobePath = (createRequire(import.meta.url)('@ffprobe-installer/ffprobe') as { path: string }).path;

export async function ffmpegPath(): Promise<string> {
  return (await findFfmpeg()).ffmpeg;
}

/** A script of `n` words in sentences of 8 words. */
export function script(n: number): string {
  return Array.from({ length: n }, (_, i) => (i % 8 === 7 || i === n - 1 ? `word${i}.` : `word${i}`)).join(' ');
}

export function spec(over: Partial<VideoSpec> = {}, scenes?: SceneSpec[]): VideoSpec {
  return {
    id: 'intro',
    source: 'videos/intro.yaml',
    tags: [],
    output: 'out/intro.mp4',
    dimension: { width: 320, height: 180 },
    caption: 'none',
    avatar: { id: 'avatar-1', label: 'Anna', style: 'normal', scale: 1, offset: { x: 0, y: 0 } },
    voice: { id: 'voice-1', label: 'narrator', speed: 1, pitch: 0 },
    scenes: scenes ?? [{ input: { type: 'script', text: script(5) } }, { input: { type: 'silence', seconds: 1.5 } }],
    translations: [],
    ...over,
  };
}

export interface Probe {
  duration: number;
  video?: { width: number; height: number };
  audio?: { codec: string };
}

export async function probe(file: string): Promise<Probe> {
  const { stdout } = await exec(ffprobePath, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  const j = JSON.parse(stdout) as {
    format: { duration: string };
    streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  };
  const v = j.streams.find((s) => s.codec_type === 'video');
  const a = j.streams.find((s) => s.codec_type === 'audio');
  return {
    duration: Number(j.format.duration),
    ...(v ? { video: { width: v.width ?? 0, height: v.height ?? 0 } } : {}),
    ...(a ? { audio: { codec: a.codec_name } } : {}),
  };
}

/** RGB pixels of the frame shown at `seconds`, as a `width*height*3` buffer. */
export async function frameAt(file: string, seconds: number): Promise<Buffer> {
  const { stdout } = await exec(
    await ffmpegPath(),
    ['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

export function pixel(frame: Buffer, width: number, x: number, y: number): [number, number, number] {
  const i = (y * width + x) * 3;
  return [frame[i] ?? -1, frame[i + 1] ?? -1, frame[i + 2] ?? -1];
}

/** Mean absolute difference of two frames' bytes inside a rectangle. */
export function regionDiff(a: Buffer, b: Buffer, width: number, r: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let x = r.x; x < r.x + r.w; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
      }
    }
  }
  return sum / (r.w * r.h * 3);
}

export function near(rgb: [number, number, number], want: [number, number, number], tolerance = 24): boolean {
  return rgb.every((v, i) => Math.abs(v - (want[i] ?? 0)) <= tolerance);
}

/** Run ffmpeg to make a fixture file. */
export async function makeMedia(args: string[]): Promise<void> {
  await exec(await ffmpegPath(), ['-v', 'error', '-y', ...args]);
}

export async function tmpDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface SrtCue {
  index: number;
  start: number;
  end: number;
  text: string;
}

/** A strict SubRip parser: throws on anything malformed. */
export function parseSrt(text: string): SrtCue[] {
  const blocks = text.trim() === '' ? [] : text.trim().split(/\r?\n\r?\n/);
  const time = (t: string): number => {
    const m = /^(\d{2}):(\d{2}):(\d{2}),(\d{3})$/.exec(t);
    if (!m) throw new Error(`bad SRT time ${JSON.stringify(t)}`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
  };
  return blocks.map((b) => {
    const [num, times, ...lines] = b.split(/\r?\n/);
    const m = /^(\S+) --> (\S+)$/.exec(times ?? '');
    if (!num || !/^\d+$/.test(num) || !m || lines.length === 0) throw new Error(`bad SRT block ${JSON.stringify(b)}`);
    return { index: Number(num), start: time(m[1] ?? ''), end: time(m[2] ?? ''), text: lines.join('\n') };
  });
}
