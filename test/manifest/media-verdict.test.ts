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

const dir = mkdtempSync(join(tmpdir(), 'hb-verdict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MediaSampler', () => {
  it('gives the verdict of reading the whole file, however the bytes were chunked', () => {
    const cutPng = png.subarray(0, png.length - 20);
    for (const [bytes, name] of [[png, 'bg.png'], [cutPng, 'bg.png'], [jpegCutShort, 'me.jpg'], [Buffer.from('these are my notes, not a picture\n'), 'notes.png'], [Buffer.alloc(0), 'empty.png']] as const) {
      for (const size of [1, 7, 1 << 20]) expect(sampled(bytes, size).verdict(name)).toEqual({ image: sniffImage(bytes, name), audio: null });
    }
    expect(sampled(png, 5).verdict('bg.png').image).toEqual({ ok: true, format: 'PNG', width: 64, height: 48 });
    expect(sampled(cutPng, 5).verdict('bg.png').image).toMatchObject({ ok: false, problem: expect.stringMatching(/cut short/) });
    expect(sampled(jpegCutShort, 5).verdict('me.jpg').image).toMatchObject({ ok: false, problem: expect.stringMatching(/no JPEG end marker/) });
  });

  it('tells the audio container by its first bytes, and keeps only those of a file that is no picture', () => {
    expect(sampled(silence(0.5), 100).verdict('voice.wav')).toEqual({ image: { unknown: true }, audio: 'WAV' });
    expect(sampled(m4a, 3).verdict('voice.m4a')).toEqual({ image: { unknown: true }, audio: 'M4A' });
    const s = sampled(m4a, 64);
    expect(s.done).toBe(true);
  });

  it('does not hold a picture over its limit: its header is left for a plan to read when it needs it', () => {
    const s = sampled(png, 16, 100);
    expect(s.done).toBe(true);
    expect(s.verdict('big.png')).toEqual({ audio: null });
    expect(sampled(png, 16, png.length).verdict('big.png').image).toMatchObject({ ok: true });
  });
});

describe('judgeFile', () => {
  it('reads a file for the same verdict as the sampler', async () => {
    writeFileSync(join(dir, 'a.png'), png);
    writeFileSync(join(dir, 'a.m4a'), m4a);
    expect(await judgeFile(join(dir, 'a.png'), 'a.png')).toEqual(judgeMedia(png, 'a.png'));
    expect(await judgeFile(join(dir, 'a.m4a'), 'a.m4a')).toEqual({ image: { unknown: true }, audio: 'M4A' });
    await expect(judgeFile(join(dir, 'gone.png'), 'gone.png')).rejects.toThrow(/ENOENT/);
  });
});

describe('readVerdict', () => {
  it('takes back what was written, and nothing this code did not write', () => {
    const v = judgeMedia(png, 'bg.png');
    expect(readVerdict(JSON.parse(JSON.stringify(v)))).toEqual(v);
    expect(readVerdict({ audio: null })).toEqual({ audio: null });
    expect(readVerdict(undefined)).toBeUndefined();
    expect(readVerdict({ audio: 'MP4' })).toBeUndefined();
    expect(readVerdict({ audio: null, image: { ok: true, format: 'BMP', width: 1, height: 1 } })).toBeUndefined();
    expect(readVerdict({ audio: null, image: { ok: false, problem: 3 } })).toBeUndefined();
  });
});
