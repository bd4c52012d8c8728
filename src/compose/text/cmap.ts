/**
 * Which characters a TrueType/OpenType font has glyphs for, read from its `cmap` table (formats 4
 * and 12, the ones every Unicode font carries). drawtext has no glyph fallback of its own, so the
 * overlay layer picks, per overlay, a font that covers all of its text.
 */
import { readFile } from 'node:fs/promises';

/** The code points a font maps to glyphs, as sorted, non-overlapping [first, last] ranges. */
export class Coverage {
  constructor(private readonly ranges: readonly (readonly [number, number])[]) {}

  /** Whether the font has a glyph for this code point. */
  has(cp: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.ranges[mid]!;
      if (cp < a) hi = mid - 1;
      else if (cp > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** The characters of `text` the font lacks (whitespace and controls are never drawn, so never missing). */
  missing(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || /\s/u.test(ch)) continue;
      if (!this.has(cp)) out.add(ch);
    }
    return [...out];
  }
}

/** Reads a font file's Unicode coverage. */
export async function readCoverage(file: string): Promise<Coverage> {
  return parseCoverage(await readFile(file));
}

/** Parses the Unicode coverage out of the bytes of a TTF/OTF file (the first font of a collection is not supported). */
export function parseCoverage(buf: Buffer): Coverage {
  const numTables = buf.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (buf.toString('latin1', rec, rec + 4) === 'cmap') cmap = buf.readUInt32BE(rec + 8);
  }
  if (cmap < 0) throw new Error('the font has no cmap table');
  const subtables = buf.readUInt16BE(cmap + 2);
  let best: { offset: number; format: number } | undefined;
  for (let i = 0; i < subtables; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const offset = cmap + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    // Format 12 (full Unicode) beats format 4 (the BMP only).
    if (unicode && (format === 12 || (format === 4 && best?.format !== 12))) best = { offset, format };
  }
  if (!best) throw new Error('the font has no Unicode cmap subtable');
  const ranges = best.format === 12 ? format12(buf, best.offset) : format4(buf, best.offset);
  return new Coverage(merge(ranges));
}

function format4(buf: Buffer, at: number): [number, number][] {
  const segs = buf.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const rangeOffsets = deltas + segs * 2;
  const out: [number, number][] = [];
  for (let s = 0; s < segs; s++) {
    const end = buf.readUInt16BE(ends + s * 2);
    const start = buf.readUInt16BE(starts + s * 2);
    const delta = buf.readUInt16BE(deltas + s * 2);
    const ro = buf.readUInt16BE(rangeOffsets + s * 2);
    if (start === 0xffff) continue;
    if (ro === 0) {
      // Every code point maps to (cp + delta) mod 65536; glyph 0 is .notdef (no glyph).
      for (let cp = start; cp <= end; cp++) if (((cp + delta) & 0xffff) !== 0) push(out, cp);
      continue;
    }
    for (let cp = start; cp <= end; cp++) {
      const glyphAt = rangeOffsets + s * 2 + ro + (cp - start) * 2;
      if (glyphAt + 2 <= buf.length && buf.readUInt16BE(glyphAt) !== 0) push(out, cp);
    }
  }
  return out;
}

function format12(buf: Buffer, at: number): [number, number][] {
  const groups = buf.readUInt32BE(at + 12);
  const out: [number, number][] = [];
  for (let g = 0; g < groups; g++) {
    const rec = at + 16 + g * 12;
    out.push([buf.readUInt32BE(rec), buf.readUInt32BE(rec + 4)]);
  }
  return out;
}

function push(out: [number, number][], cp: number): void {
  const last = out[out.length - 1];
  if (last && last[1] === cp - 1) last[1] = cp;
  else out.push([cp, cp]);
}

function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
