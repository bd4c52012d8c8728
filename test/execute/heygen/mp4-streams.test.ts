/**
 * The in-process MP4 header reader against ffprobe: whatever it claims about a clip, ffprobe says too,
 * and a one-scene clip that fits the output is taken without starting ffprobe at all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it, vi } from 'vitest';
import { findFfmpeg, probeMedia } from '../../../src/compose/index.js';
import { mp4Streams } from '../../../src/execute/heygen/mp4-streams.js';
import { readSps } from '../../../src/execute/heygen/h264-sps.js';
import { makeSpec } from '../../helpers/specs.js';

const probes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/compose/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/compose/index.js')>();
  return {
    ...real,
    probeMedia: (...args: Parameters<typeof real.probeMedia>) => {
      probes.count++;
      return real.probeMedia(...args);
    },
  };
});
const { asWholeVideo } = await import('../../../src/execute/heygen/composed.js');

const dir = mkdtempSync(join(tmpdir(), 'hb-mp4-'));

/** A short clip made by ffmpeg (once): `size`, extra video and audio arguments (`null` audio: none). */
function clip(name: string, size: string, video: string[] = [], audio: string[] | null = ['-c:a', 'aac']): string {
  const file = join(dir, name);
  if (existsSync(file)) return file;
  execFileSync(ffmpegInstaller.path, [
    '-v', 'error', '-f', 'lavfi', '-i', `color=c=blue:s=${size}:d=0.2`,
    ...(audio ? ['-f', 'lavfi', '-i', 'sine=d=0.2', '-shortest'] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', ...video, ...(audio ?? []), file,
  ]);
  return file;
}

const CASES: Record<string, () => string> = {
  'faststart 1280x720': () => clip('fast.mp4', '1280x720', ['-pix_fmt', 'yuv420p', '-movflags', '+faststart']),
  'moov at the end': () => clip('end.mp4', '1280x720', ['-pix_fmt', 'yuv420p']),
  'cropped height (1080 in 1088)': () => clip('crop.mp4', '1920x1080', ['-pix_fmt', 'yuv420p']),
  'full range': () => clip('jpeg.mp4', '320x240', ['-pix_fmt', 'yuvj420p']),
  '4:4:4': () => clip('444.mp4', '320x240', ['-pix_fmt', 'yuv444p']),
  interlaced: () => clip('interlaced.mp4', '320x240', ['-pix_fmt', 'yuv420p', '-flags', '+ildct+ilme']),
  'scaling matrices': () => clip('cqm.mp4', '320x240', ['-pix_fmt', 'yuv420p', '-x264-params', 'cqm=jvt']),
  'mp3 sound': () => clip('mp3.mp4', '320x240', ['-pix_fmt', 'yuv420p'], ['-c:a', 'libmp3lame']),
  'no sound': () => clip('silent.mp4', '320x240', ['-pix_fmt', 'yuv420p'], null),
};

describe('mp4Streams', () => {
  it.each(Object.keys(CASES))('claims nothing ffprobe would contradict: %s', async (name) => {
    const file = CASES[name]!();
    const fast = await mp4Streams(file);
    const probed = await probeMedia(file, await findFfmpeg());
    expect(fast).toBeDefined();
    if (fast!.video?.codec === 'h264') expect(probed.video?.codec).toBe('h264');
    if (fast!.video?.width !== undefined) expect([fast!.video.width, fast!.video.height]).toEqual([probed.video?.width, probed.video?.height]);
    if (fast!.video?.pixFmt !== undefined) expect(fast!.video.pixFmt).toBe(probed.video?.pixFmt);
    if (fast!.audio?.codec === 'aac') expect(probed.audio?.codec).toBe('aac');
    if (!probed.audio) expect(fast!.audio).toBeUndefined();
  });

  it('reads size, pixel format and sound of an ordinary render, wherever its moov sits', async () => {
    for (const name of ['faststart 1280x720', 'moov at the end']) {
      expect(await mp4Streams(CASES[name]!())).toEqual({ video: { codec: 'h264', width: 1280, height: 720, pixFmt: 'yuv420p' }, audio: { codec: 'aac' } });
    }
    expect((await mp4Streams(CASES['cropped height (1080 in 1088)']!()))?.video).toMatchObject({ width: 1920, height: 1080, pixFmt: 'yuv420p' });
  });

  it('leaves to ffprobe what it cannot be sure of: full range, 4:4:4, other sound, a file that is no MP4', async () => {
    expect((await mp4Streams(CASES['full range']!()))?.video?.pixFmt).toBeUndefined();
    expect((await mp4Streams(CASES['4:4:4']!()))?.video?.pixFmt).toBeUndefined();
    expect((await mp4Streams(CASES['mp3 sound']!()))?.audio?.codec).toBeUndefined();
    const junk = join(dir, 'junk.mp4');
    writeFileSync(junk, Buffer.from('not a video at all, just some text'));
    expect(await mp4Streams(junk)).toBeUndefined();
    expect(await mp4Streams(join(dir, 'missing.mp4'))).toBeUndefined();
    expect(readSps(Uint8Array.from([0x67, 0x64]))).toBeUndefined();
  });
});

describe('asWholeVideo by the headers', () => {
  const one = makeSpec('one', { scenes: [{ input: { type: 'script', text: 'Just one scene.' } }] });

  it('takes a fitting render (its length known from HeyGen) without starting ffprobe', async () => {
    const fit = CASES['faststart 1280x720']!();
    probes.count = 0;
    expect(await asWholeVideo(one, [{ key: 'k', kind: 'scene', path: fit, seconds: 0.2 }])).toMatchObject({ path: fit, seconds: 0.2 });
    expect(probes.count).toBe(0);
  });

  it('asks ffprobe when the headers do not show a fit, and still composes what does not fit', async () => {
    probes.count = 0;
    expect(await asWholeVideo(one, [{ key: 'k', kind: 'scene', path: CASES['full range']!(), seconds: 0.2 }])).toBeUndefined();
    expect(await asWholeVideo(one, [{ key: 'k', kind: 'scene', path: CASES['mp3 sound']!(), seconds: 0.2 }])).toBeUndefined();
    expect(probes.count).toBe(2);
  });
});
