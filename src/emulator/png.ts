/**
 * Real PNG bytes for the catalog's preview images, made without ffmpeg (the catalog is served at once,
 * and a test reads its pixels back): a solid colour with a lighter band across the upper third, so a
 * frame that shows the image is told apart from one that shows a flat placeholder.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB colour, 0-255 each. */
export type Rgb = readonly [number, number, number];

/** A `width`x`height` RGB PNG of `color`, its upper third lightened halfway to white. */
export function previewPng(width: number, height: number, color: Rgb): Buffer {
  const light: Rgb = [0, 1, 2].map((i) => Math.round(((color[i] as number) + 255) / 2)) as unknown as Rgb;
  const rowBytes = 1 + width * 3;
  const raw = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const c = y < height / 3 ? light : color;
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(c, y * rowBytes + 1 + x * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
