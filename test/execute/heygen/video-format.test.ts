/**
 * What a file given as a video is, by its first bytes, and whether HeyGen takes it: files made by the
 * bundled ffmpeg the way users make them (an MP4, a WebM, a phone's MOV, an MKV), and the signatures of
 * the other usual kinds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { afterAll, describe, expect, it } from 'vitest';
import { uploadMime } from '../../../src/execute/heygen/assets.js';
import { VIDEO_HEAD_BYTES, videoFormat, videoFormatProblem, videoUploadProblem } from '../../../src/execute/heygen/video-format.js';

const dir = mkdtempSync(join(tmpdir(), 'hb-video-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first bytes of a one-second clip ffmpeg writes as `file` (its muxer chosen by the extension, or `format`). */
function made(file: string, codec: string[], format?: string): Buffer {
  const out = join(dir, file);
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=blue:s=64x64:r=5:d=1', ...codec, ...(format ? ['-f', format] : []), '-y', out]);
  return readFileSync(out).subarray(0, VIDEO_HEAD_BYTES);
}

const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('videoFormat', () => {
  it('tells the containers ffmpeg writes apart by their bytes, whatever the file is called', () => {
    expect(videoFormat(made('a.mp4', h264))).toBe('MP4');
    expect(videoFormat(made('a.webm', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime']))).toBe('WebM');
    expect(videoFormat(made('a.mov', h264))).toBe('MOV');
    expect(videoFormat(made('a.mkv', h264))).toBe('MKV');
    // Mislabelled: a Matroska file saved as .webm, a QuickTime movie saved as .mp4.
    expect(videoFormat(made('b.webm', h264, 'matroska'))).toBe('MKV');
    expect(videoFormat(made('b.mp4', h264, 'mov'))).toBe('MOV');
    expect(videoFormat(made('a.avi', ['-c:v', 'mpeg4']))).toBe('AVI');
  });

  it('reads an EBML header whatever width its size is written in (libwebm writes 8 bytes)', () => {
    const header = (size: number[], docType: string): Buffer =>
      Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, ...size, 0x42, 0x86, 0x81, 1, 0x42, 0xf7, 0x81, 1, 0x42, 0xf2, 0x81, 4, 0x42, 0xf3, 0x81, 8, 0x42, 0x82, 0x80 | docType.length]), ascii(docType)]);
    expect(videoFormat(header([0x01, 0, 0, 0, 0, 0, 0, 0x1f], 'webm'))).toBe('WebM');
    expect(videoFormat(header([0x01, 0, 0, 0, 0, 0, 0, 0x23], 'matroska'))).toBe('MKV');
    expect(videoFormat(header([0x9f], 'webm'))).toBe('WebM');
    // Its DocType cut off: taken for a WebM rather than refused.
    expect(videoFormat(header([0xa3], 'matroska').subarray(0, 20))).toBe('WebM');
  });

  it('tells an ISO media file by its major brand, and names the other usual kinds', () => {
    const iso = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), ascii(`ftyp${brand}`), Buffer.alloc(12)]);
    expect(['isom', 'mp42', 'avc1', 'M4V '].map((b) => videoFormat(iso(b)))).toEqual(['MP4', 'MP4', 'MP4', 'MP4']);
    expect(['qt  ', 'M4A ', '3gp5', 'heic', 'avif'].map((b) => videoFormat(iso(b)))).toEqual(['MOV', 'M4A', '3GP', 'HEIF', 'HEIF']);
    expect(videoFormat(Buffer.concat([Buffer.from([0, 0, 0, 8]), ascii('wide'), Buffer.from([0, 0, 0, 8]), ascii('mdat')]))).toBe('MOV');
    expect(videoFormat(ascii('FLV\x01\x05\x00\x00\x00\x09'))).toBe('FLV');
    expect(videoFormat(Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9]))).toBe('WMV');
    expect(videoFormat(Buffer.from([0, 0, 1, 0xba, 0x44, 0, 4]))).toBe('MPEG');
    expect(videoFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe('PNG');
    expect(videoFormat(ascii('ID3\x04\x00\x00\x00\x00\x00\x00'))).toBe('MP3');
    expect(videoFormat(ascii('hello, world'))).toBeUndefined();
    expect(videoFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('what HeyGen takes as a video', () => {
  it('takes MP4 and WebM, and says what any other file is', () => {
    expect(videoFormatProblem('MP4')).toBeUndefined();
    expect(videoFormatProblem('WebM')).toBeUndefined();
    expect(videoFormatProblem('MOV')).toBe('it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video');
    expect(videoFormatProblem('MKV')).toBe('it is a Matroska (MKV) file, and HeyGen takes only MP4 and WebM video');
    expect(videoFormatProblem('GIF')).toBe('it is a GIF picture, and HeyGen takes only MP4 and WebM video');
    expect(videoFormatProblem('M4A')).toBe('it is an M4A (MP4 audio) file, and HeyGen takes only MP4 and WebM video');
    expect(videoFormatProblem(undefined)).toBe('it is neither an MP4 nor a WebM file, and HeyGen takes only MP4 and WebM video');
    expect(videoUploadProblem(made('c.mov', h264))).toBe('it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video');
    expect(videoUploadProblem(made('c.mp4', h264))).toBeUndefined();
  });

  it('uploads an MP4 or a WebM as what its bytes are, whatever it is called', () => {
    expect(uploadMime('clips/intro.webm', made('d.mp4', h264))).toBe('video/mp4');
    expect(uploadMime('clips/intro.mp4', made('d.webm', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime']))).toBe('video/webm');
  });
});
