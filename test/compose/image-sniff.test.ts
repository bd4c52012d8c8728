/** The JS image header check that runs before ffmpeg: readable pictures pass with their size, broken ones say why. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/compose/image-sniff.js';
import { ffmpegPath, tmpDir } from '../providers/local/helpers.js';

const dir = await tmpDir('hb-sniff-');
const ffmpeg = await ffmpegPath();
afterAll(() => dir.cleanup());

/** A 64x48 picture in the format the extension names, made by the bundled ffmpeg. */
function picture(name: string, extra: string[] = []): Buffer {
  const file = join(dir.dir, name);
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=64x48', '-frames:v', '1', ...extra, file]);
  return readFileSync(file);
}

describe('sniffImage', () => {
  it.each([
    ['a.png', 'PNG', []],
    ['a.jpg', 'JPEG', []],
    ['a.webp', 'WebP', []],
    ['b.webp', 'WebP', ['-lossless', '1']],
    ['a.gif', 'GIF', []],
  ])('reads the size of %s', (name, format, extra) => {
    expect(sniffImage(picture(name, extra), name)).toEqual({ ok: true, format, width: 64, height: 48 });
  });

  it('names text saved under an image name, an empty file and a cut-short PNG or JPEG', () => {
    expect(sniffImage(Buffer.from('garbage\n'), 'bg.png')).toEqual({ ok: false, format: 'PNG', problem: `it is not a PNG image (its first bytes are not a PNG's signature: it starts with "garbage")` });
    expect(sniffImage(Buffer.alloc(0), 'bg.jpeg')).toMatchObject({ ok: false, format: 'JPEG', problem: 'the file is empty' });
    const png = picture('c.png');
    expect(sniffImage(png.subarray(0, png.length - 20), 'c.png')).toMatchObject({ ok: false, problem: expect.stringMatching(/^the file is cut short: its IDAT chunk needs/) });
    expect(sniffImage(picture('c.jpg').subarray(0, 40), 'c.jpg')).toMatchObject({ ok: false, format: 'JPEG', problem: expect.stringMatching(/cut short/) });
  });

  it('names a JPEG cut short inside its image data (its header whole), and keeps one with bytes after its end', () => {
    const jpeg = picture('d.jpg', ['-s', '640x480']);
    expect(sniffImage(jpeg.subarray(0, jpeg.length - 200), 'd.jpg')).toEqual({ ok: false, format: 'JPEG', problem: 'the file is cut short: its image data has no JPEG end marker (FFD9)' });
    // A camera's or editor's trailer after the end marker is no damage.
    expect(sniffImage(Buffer.concat([jpeg, Buffer.from('trailer')]), 'd.jpg')).toEqual({ ok: true, format: 'JPEG', width: 640, height: 480 });
  });

  it('leaves other formats to ffmpeg', () => {
    expect(sniffImage(Buffer.from('BM garbage'), 'bg.bmp')).toEqual({ unknown: true });
  });
});
