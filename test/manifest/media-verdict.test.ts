/**
 * What an asset's bytes are, judged while they stream past to be hashed: the same verdict as reading the
 * whole file (image-sniff.ts, upload-types.ts), without holding more than a picture needs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/compose/image-sniff.js';
import { previewPng } from '../../src/emulator/png.js';
import { silence } from '../../src/execute/heygen/clip-assets.js';
import { videoFormat } from '../../src/execute/heygen/video-format.js';
import { judgeFile, judgeMedia, MediaSampler, readVerdict } from '../../src/manifest/media-verdict.js';

/** `bytes` pushed in chunks of `size`, as a read stream gives them. */
function sampled(bytes: Buffer, size: number, max?: number): MediaSampler {
  const s = new MediaSampler(max);
  for (let at = 0; at < bytes.length; at += size) s.push(bytes.subarray(at, at + size));
  return s;
}

const png = previewPng(64, 48, [200, 100, 50]);
const jpegCutShort = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 48, 0, 64, 3, 1, 0x22, 0, 0xff, 0xda, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypM4A '), Buffer.alloc(200)]);
const mov = Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypqt  '), Buffer.alloc(200)]);
/** ffmpeg's EBML header for a Matroska file, then a little of its body. */
const mkv = Buffer.concat([
  Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 1, 0x42, 0xf7, 0x81, 1, 0x42, 0xf2, 0x81, 4, 0x42, 0xf3, 0x81, 8, 0x42, 0x82, 0x88]),
  Buffer.from('matroska'),
  Buffer.from([0x42, 0x87, 0x81, 4, 0x42, 0x85, 0x81, 2]),
  Buffer.alloc(100),
]);

const dir = mkdtempSync(join(tmpdir(), 'hb-verdict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MediaSampler', () => {
  it('gives the verdict of reading the whole file, however the bytes were chunked', () => {
    const cutPng = png.subarray(0, png.length - 20);
    for (const [bytes, name] of [[png, 'bg.png'], [cutPng, 'bg.png'], [jpegCutShort, 'me.jpg'], [Buffer.from('these are my notes, not a picture\n'), 'notes.png'], [Buffer.alloc(0), 'empty.png']] as const) {
      for (const size of [1, 7, 1 << 20]) expect(sampled(bytes, size).verdict(name)).toEqual({ image: sniffImage(bytes, name), audio: null, video: videoFormat(bytes.subarray(0, 64)) ?? null });
    }
    expect(sampled(png, 5).verdict('bg.png').image).toEqual({ ok: true, format: 'PNG', width: 64, height: 48 });
    expect(sampled(cutPng, 5).verdict('bg.png').image).toMatchObject({ ok: false, problem: expect.stringMatching(/cut short/) });
    expect(sampled(jpegCutShort, 5).verdict('me.jpg').image).toMatchObject({ ok: false, problem: expect.stringMatching(/no JPEG end marker/) });
  });

  it('tells the audio container and what the file is as a video by its first bytes, and keeps only those of a file that is no picture', () => {
    expect(sampled(silence(0.5), 100).verdict('voice.wav')).toEqual({ image: { unknown: true }, audio: 'WAV', video: 'WAV' });
    expect(sampled(m4a, 3).verdict('voice.m4a')).toEqual({ image: { unknown: true }, audio: 'M4A', video: 'M4A' });
    // A phone's movie: an ISO file like the M4A (so `audio` says M4A), QuickTime by its brand.
    expect(sampled(mov, 5).verdict('clip.mp4')).toEqual({ image: { unknown: true }, audio: 'M4A', video: 'MOV' });
    // An MKV's DocType comes 24 bytes in: seen however the head was chunked.
    expect(sampled(mkv, 1).verdict('clip.webm').video).toBe('MKV');
    const s = sampled(m4a, 64);
    expect(s.done).toBe(true);
  });

  it('does not hold a picture over its limit: its header is left for a plan to read when it needs it', () => {
    const s = sampled(png, 16, 100);
    expect(s.done).toBe(true);
    expect(s.verdict('big.png')).toEqual({ audio: null, video: 'PNG' });
    expect(sampled(png, 16, png.length).verdict('big.png').image).toMatchObject({ ok: true });
  });
});

describe('judgeFile', () => {
  it('reads a file for the same verdict as the sampler', async () => {
    writeFileSync(join(dir, 'a.png'), png);
    writeFileSync(join(dir, 'a.m4a'), m4a);
    expect(await judgeFile(join(dir, 'a.png'), 'a.png')).toEqual(judgeMedia(png, 'a.png'));
    expect(await judgeFile(join(dir, 'a.m4a'), 'a.m4a')).toEqual({ image: { unknown: true }, audio: 'M4A', video: 'M4A' });
    await expect(judgeFile(join(dir, 'gone.png'), 'gone.png')).rejects.toThrow(/ENOENT/);
  });
});

describe('readVerdict', () => {
  it('takes back what was written, and nothing this code did not write', () => {
    const v = judgeMedia(png, 'bg.png');
    expect(readVerdict(JSON.parse(JSON.stringify(v)))).toEqual(v);
    expect(readVerdict({ audio: null, video: null })).toEqual({ audio: null, video: null });
    expect(readVerdict({ audio: 'M4A', video: 'MOV' })).toEqual({ audio: 'M4A', video: 'MOV' });
    expect(readVerdict(undefined)).toBeUndefined();
    expect(readVerdict({ audio: 'MP4', video: null })).toBeUndefined();
    expect(readVerdict({ audio: null, video: 'AV1' })).toBeUndefined();
    expect(readVerdict({ audio: null, video: null, image: { ok: true, format: 'BMP', width: 1, height: 1 } })).toBeUndefined();
    expect(readVerdict({ audio: null, video: null, image: { ok: false, problem: 3 } })).toBeUndefined();
  });

  it("completes a verdict kept before videos were judged where its fields tell what the file is, else asks for the file's head again", () => {
    // A readable picture, or a sound by its signature: what videoFormat says of their heads.
    const older = (v: ReturnType<typeof judgeMedia>): unknown => ({ image: v.image, audio: v.audio });
    expect(readVerdict(older(judgeMedia(png, 'bg.png')))).toEqual(judgeMedia(png, 'bg.png'));
    expect(readVerdict(older(judgeMedia(silence(0.2), 'v.wav')))).toEqual(judgeMedia(silence(0.2), 'v.wav'));
    // An ISO file may be an MP4, a MOV or an M4A; a file of no known signature may be a WebM or an MKV;
    // a picture too large to keep has no header kept; one not read may be named for a kind it is not.
    expect(readVerdict({ image: { unknown: true }, audio: 'M4A' })).toBeUndefined();
    expect(readVerdict({ image: { unknown: true }, audio: null })).toBeUndefined();
    expect(readVerdict({ audio: null })).toBeUndefined();
    expect(readVerdict({ image: { ok: false, format: 'PNG', problem: 'the file is empty' }, audio: null })).toBeUndefined();
  });
});
