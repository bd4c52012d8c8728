/**
 * One chunk of a rows cache (cache.ts): the finished specs of up to CHUNK_ROWS consecutive rows, as
 * one JSON text named by its own sha256. Rows of one template repeat most of their spec (the same
 * avatar, voice, background, a scene without placeholders, the same clip facts): each such value is
 * stored once in the chunk's `shared` list and referenced by index, which halves the text and the
 * objects JSON.parse builds. Unpacked specs share those values, frozen (specs are immutable: a
 * write to one throws instead of changing other rows), as the manifest cache does.
 *
 * A chunk is only trusted when its bytes hash to the name the index gives it: a truncated, corrupt
 * or swapped file is a miss, and its rows are resolved again.
 */

import { createHash } from 'node:crypto';
import type { RowRef, VideoSpec } from '../../model/spec.js';

/** Rows per chunk: an edit of one row rewrites one chunk of this many rows, not the whole cache. */
export const CHUNK_ROWS = 1000;
let chunkRows = CHUNK_ROWS;

/** Rows per chunk now (CHUNK_ROWS unless a test asked for fewer). */
export function rowsPerChunk(): number {
  return chunkRows;
}

/** Sets the rows per chunk, for tests (chunks of a few rows over a small CSV); returns the previous number. */
export function useRowsPerChunk(n: number): number {
  const was = chunkRows;
  chunkRows = Math.max(1, Math.floor(n));
  return was;
}

const FORMAT = 'rows-chunk/1';

/** One row as cached: its spec, its content key (or null when `derived` holds it), what the planner derives. */
export type CachedRow = [spec: VideoSpec, key: string | null, derived?: unknown];

/**
 * A spec with its values replaced by indexes into `shared`, in the spec's own key order. Fields in
 * INLINE are kept as they are (strings that differ per row); `scenes` is a list of indexes; `row` is
 * [index of [group, file], line, digest]; every other field is one index.
 */
type PackedSpec = Record<string, unknown>;

/** [packed spec, key, derived with each array element's items replaced by indexes, or absent]. */
type PackedRow = [PackedSpec, string | null, unknown?];

interface ChunkFile {
  format: string;
  shared: unknown[];
  rows: PackedRow[];
}

/** Fields that are usually different per row: kept in place, not in `shared`. */
const INLINE = new Set(['id', 'title', 'output', 'description']);

/** A chunk's name: the first 32 hex digits of its bytes' sha256. */
export function chunkDigest(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

/** The JSON text of a chunk of rows. */
export function packChunk(rows: readonly CachedRow[]): string {
  const texts: string[] = [];
  const byText = new Map<string, number>();
  // Values that are one object in memory (a template's literal subtree) are stringified once.
  const byObject = new Map<unknown, number>();
  const intern = (v: unknown): number => {
    const isObject = typeof v === 'object' && v !== null;
    if (isObject) {
      const known = byObject.get(v);
      if (known !== undefined) return known;
    }
    const s = JSON.stringify(v) ?? 'null';
    let i = byText.get(s);
    if (i === undefined) {
      i = texts.length;
      texts.push(s);
      byText.set(s, i);
    }
    if (isObject) byObject.set(v, i);
    return i;
  };
  const packed = rows.map(([spec, key, derived]): PackedRow => {
    const p: PackedSpec = {};
    for (const [k, v] of Object.entries(spec)) {
      if (v === undefined) continue;
      if (INLINE.has(k) && typeof v === 'string') p[k] = v;
      else if (k === 'scenes') p[k] = (v as VideoSpec['scenes']).map(intern);
      else if (k === 'row') {
        const r = v as RowRef;
        p[k] = [intern([r.group, r.file]), r.line, r.digest];
      } else p[k] = intern(v);
    }
    return derived === undefined ? [p, key] : [p, key, packDerived(derived, intern)];
  });
  // The shared texts are already JSON: joined, not stringified again.
  return `{"format":${JSON.stringify(FORMAT)},"shared":[${texts.join(',')}],"rows":${JSON.stringify(packed)}}`;
}

/**
 * What the planner derives is opaque here, but for the rows of one template it repeats (a scene's
 * clip facts): each array element of it has its items stored in `shared`. Only arrays are packed, so
 * reading back is unambiguous: every array element of a packed value is a list of indexes.
 */
function packDerived(d: unknown, intern: (v: unknown) => number): unknown {
  if (!Array.isArray(d)) return [0, d];
  return [1, d.map((e: unknown) => (Array.isArray(e) ? e.map(intern) : e))];
}

/** The rows of a chunk's text; undefined when it is not a chunk this code wrote (format, shape). */
export function unpackChunk(text: string): CachedRow[] | undefined {
  let file: ChunkFile;
  try {
    file = JSON.parse(text) as ChunkFile;
  } catch {
    return undefined;
  }
  if (typeof file !== 'object' || file === null || file.format !== FORMAT || !Array.isArray(file.shared) || !Array.isArray(file.rows)) return undefined;
  const shared = file.shared;
  for (const v of shared) deepFreeze(v);
  const at = (i: unknown): unknown => {
    if (typeof i !== 'number' || !(i in shared)) throw new RangeError('bad index');
    return shared[i];
  };
  try {
    return file.rows.map(([p, key, d]): CachedRow => {
      // In place, in the spec's own key order: no second object per row.
      for (const k of Object.keys(p)) {
        const v = p[k];
        if (INLINE.has(k) && typeof v === 'string') continue;
        if (k === 'scenes') {
          if (!Array.isArray(v)) throw new TypeError('bad scenes');
          p[k] = v.map(at);
        } else if (k === 'row') {
          const [gf, line, digest] = v as [unknown, unknown, unknown];
          const [group, file] = at(gf) as [unknown, unknown];
          if (typeof group !== 'string' || typeof file !== 'string' || typeof line !== 'number' || typeof digest !== 'string') throw new TypeError('bad row');
          p[k] = { group, file, line, digest } satisfies RowRef;
        } else p[k] = at(v);
      }
      if (typeof p.id !== 'string' || typeof p.output !== 'string' || !Array.isArray(p.scenes)) throw new TypeError('bad spec');
      const spec = p as unknown as VideoSpec;
      if (key !== null && typeof key !== 'string') throw new TypeError('bad key');
      return d === undefined ? [spec, key] : [spec, key, unpackDerived(d, at)];
    });
  } catch {
    return undefined;
  }
}

function unpackDerived(d: unknown, at: (i: unknown) => unknown): unknown {
  if (!Array.isArray(d) || d.length !== 2) throw new TypeError('bad derived');
  const [packed, value] = d as [unknown, unknown];
  if (packed === 0) return value;
  if (packed !== 1 || !Array.isArray(value)) throw new TypeError('bad derived');
  return value.map((e: unknown) => (Array.isArray(e) ? e.map(at) : e));
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  for (const x of Object.values(v)) deepFreeze(x);
  Object.freeze(v);
}
