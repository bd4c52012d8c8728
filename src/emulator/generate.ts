/**
 * Media the emulator makes on demand with the bundled ffmpeg: transparent VP9 WebMs (what a v3
 * `output_format: "webm"` render returns) and MP3 speech (what `POST /v3/voices/speech` returns).
 * Each distinct file is made once per process and kept in a small cache.
 *
 * A WebM is made in two steps so that a long or 4K one stays cheap on a small machine: encode a
 * short loopable clip once per frame size (a transparent canvas with an opaque "avatar" shape),
 * then repeat it to the wanted length with a stream copy, adding a silent Opus track.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { executable } from '../compose/ffmpeg.js';

const run = promisify(execFile);
const FPS = 25;
/** Frames in the loopable clip: one keyframe every 0.2 s keeps `-t` cuts close to the request. */
const CLIP_FRAMES = 5;
const MAX_CACHED = 32;

let workDir: Promise<string> | undefined;

function dir(): Promise<string> {
  if (!workDir) {
    workDir = mkdtemp(join(tmpdir(), 'heygen-emulator-'));
    // The loopable clips live there for the life of the process; nothing is left behind after it.
    workDir.then((d) => process.once('exit', () => rmSync(d, { recursive: true, force: true }))).catch(() => undefined);
  }
  return workDir;
}

/** The npm binary at `path`, made executable once if npm skipped its install script (compose/ffmpeg.ts). */
const binaries = new Map<string, Promise<string>>();
function binary(path: string): Promise<string> {
  let b = binaries.get(path);
  if (!b) binaries.set(path, (b = executable(path).then(() => path)));
  return b;
}

async function ffmpeg(args: string[]): Promise<void> {
  await run(await binary(ffmpegInstaller.path), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
    maxBuffer: 4 * 1024 * 1024,
  });
}

/** A promise cache with a size cap; a failed promise is forgotten so the next call retries. */
class Cache<T> {
  private readonly map = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.map.get(key);
    if (!p) {
      p = make();
      this.map.set(key, p);
      p.catch(() => this.map.delete(key));
      if (this.map.size > MAX_CACHED) {
        const oldest = this.map.keys().next().value;
        if (oldest !== undefined) this.map.delete(oldest);
      }
    }
    return p;
  }
}

const clips = new Cache<string>();
const webms = new Cache<Buffer>();
const mp3s = new Cache<Buffer>();

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/** The loopable clip for one frame size: transparent everywhere but a centred, bottom-anchored body. */
function clip(width: number, height: number): Promise<string> {
  return clips.get(`${width}x${height}`, async () => {
    const out = join(await dir(), `clip-${width}x${height}.webm`);
    const bw = even(width / 3);
    const bh = even((height * 5) / 6);
    const d = String(CLIP_FRAMES / FPS);
    await ffmpeg([
      '-f', 'lavfi', '-i', `color=c=black@0.0:s=${width}x${height}:r=${FPS}:d=${d},format=yuva420p`,
      '-f', 'lavfi', '-i', `color=c=0x3366cc:s=${bw}x${bh}:r=${FPS}:d=${d},format=yuva420p`,
      '-filter_complex', '[0:v][1:v]overlay=x=(W-w)/2:y=H-h:format=auto,format=yuva420p[v]',
      '-map', '[v]', '-frames:v', String(CLIP_FRAMES),
      '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', '-deadline', 'realtime', '-cpu-used', '8',
      '-b:v', '300k', '-g', String(CLIP_FRAMES), '-auto-alt-ref', '0',
      out,
    ]);
    return out;
  });
}

/** Seconds as ffmpeg reads them, at millisecond precision. */
function secs(seconds: number): string {
  return (Math.round(seconds * 1000) / 1000).toFixed(3);
}

/**
 * A VP9 WebM with an alpha channel (`AlphaMode` 1, BlockAdditional alpha), `width`x`height`,
 * `seconds` long, with a silent mono Opus track like a rendered avatar video.
 */
export function alphaWebm(width: number, height: number, seconds: number): Promise<Buffer> {
  return looped(webms, clip(width, height), `alpha-${width}x${height}`, 'webm', seconds, {
    audio: 'anullsrc=r=48000:cl=mono',
    codec: ['-c:a', 'libopus', '-b:a', '24k'],
  });
}

/** Bytes of `source` (a loopable clip) repeated by stream copy to `seconds`, with the given sound track; cached. */
function looped(
  cache: Cache<Buffer>,
  source: Promise<string>,
  name: string,
  ext: string,
  seconds: number,
  sound: { audio: string; codec: string[] },
): Promise<Buffer> {
  const t = secs(Math.max(0.2, seconds));
  return cache.get(`${name}@${t}`, async () => {
    const out = join(await dir(), `${name}-${t}.${ext}`);
    await ffmpeg(['-stream_loop', '-1', '-i', await source, '-f', 'lavfi', '-i', sound.audio, '-map', '0:v', '-map', '1:a', '-c:v', 'copy', ...sound.codec, '-t', t, out]);
    const bytes = await readFile(out);
    await rm(out, { force: true });
    return bytes;
  });
}

const mp4Clips = new Cache<string>();
const mp4s = new Cache<Buffer>();

/** The loopable H.264 clip for one frame size: an "avatar" block on a plain background. */
function mp4Clip(width: number, height: number): Promise<string> {
  return mp4Clips.get(`${width}x${height}`, async () => {
    const out = join(await dir(), `clip-${width}x${height}.mp4`);
    const d = String(CLIP_FRAMES / FPS);
    await ffmpeg([
      '-f', 'lavfi', '-i', `color=c=0x223344:s=${width}x${height}:r=${FPS}:d=${d}`,
      '-vf', `drawbox=x=iw/3:y=ih/6:w=iw/3:h=ih*5/6:color=0x3366cc:t=fill`,
      '-frames:v', String(CLIP_FRAMES), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(CLIP_FRAMES),
      out,
    ]);
    return out;
  });
}

/**
 * An MP4 as a v3 render returns it: H.264 at the requested `width`x`height`, `seconds` long, with a
 * 48 kHz stereo AAC track (a quiet tone standing in for speech).
 */
export function sizedMp4(width: number, height: number, seconds: number): Promise<Buffer> {
  return looped(mp4s, mp4Clip(width, height), `render-${width}x${height}`, 'mp4', seconds, {
    audio: 'sine=frequency=180:sample_rate=48000',
    codec: ['-c:a', 'aac', '-ac', '2', '-b:a', '64k', '-movflags', '+faststart'],
  });
}

/** An MP3 tone of `seconds` (a stand-in for synthesized speech), 24 kHz mono like TTS output. */
export function speechMp3(seconds: number): Promise<Buffer> {
  const t = secs(Math.max(0.1, seconds));
  return mp3s.get(t, async () => {
    const out = join(await dir(), `speech-${t}.mp3`);
    await ffmpeg([
      '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=24000:duration=${t}`,
      '-c:a', 'libmp3lame', '-b:a', '48k', '-ac', '1', out,
    ]);
    const bytes = await readFile(out);
    await rm(out, { force: true });
    return bytes;
  });
}

/** The duration ffprobe reads from a media file's bytes, or undefined when it cannot tell. */
export async function probeSeconds(bytes: Buffer, ext: string): Promise<number | undefined> {
  const file = join(await dir(), `probe-${process.hrtime.bigint()}.${ext}`);
  await writeFile(file, bytes);
  try {
    const { stdout } = await run(await binary(ffprobeInstaller.path), [
      '-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file,
    ]);
    const n = Number.parseFloat(stdout.trim());
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(file, { force: true });
  }
}
