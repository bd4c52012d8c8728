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
import { sameJson } from '../../util/same-json.js';

/**
 * Rows per chunk: an edit of one row packs and writes one chunk of this many rows, not the whole
 * cache. 250 rather than 1,000: a one-cell edit of 10k rows packed 1,000 rows for one (~20% of its
 * CPU in-process), and 40 chunk files read cost no more than 10.
 */
export const CHUNK_ROWS = 250;
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

const FORMAT = 'rows-chunk/2';

/** One row as cached: its spec, its content key (or null when `derived` holds it), what the planner derives. */
export type CachedRow = [spec: VideoSpec, key: string | null, derived?: unknown];

/**
 * A spec in the spec's own key order, each value either a number, an index into `shared`, or the
 * value itself (never a number: numbers always go to `shared`). `scenes` is a list of such; `row`
 * is [[group, file] packed so, line, digest].
 */
type PackedSpec = Record<string, unknown>;

/** [packed spec, key, derived: [0, value] or [1, value with each array element's items packed as above]]. */
type PackedRow = [PackedSpec, string | null, unknown?];

interface ChunkFile {
  format: string;
  shared: unknown[];
  rows: PackedRow[];
}

/** A chunk's name: the first 32 hex digits of its bytes' sha256. */
export function chunkDigest(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

/** Values a slot (a field, a scene's place, a place in what is derived) takes before it is judged never to repeat. */
const PROBE = 8;

/** One place in every row's spec: its last value and whether its values repeat. */
interface Slot {
  last?: unknown;
  index: number;
  seen: number;
  repeats: number;
}

const newSlot = (): Slot => ({ index: -1, seen: 0, repeats: 0 });

/**
 * Finds each value's place in `shared`. A slot whose first PROBE values were all different (a
 * script with the row's name in it) keeps its values in the row without comparing them again:
 * stringifying each value alone costs more than the text saves. Otherwise a value equal to the
 * last one of its slot is found without JSON.stringify (an avatar, a voice, a background are the
 * same in most rows, as objects of their own).
 */
class Interner {
  readonly texts: string[] = [];
  private readonly byText = new Map<string, number>();

  /** An index into `shared`, or the value itself when its slot's values do not repeat. */
  put(v: unknown, slot: Slot): unknown {
    if (typeof v !== 'number' && slot.repeats === 0 && slot.seen >= PROBE) return v;
    if (slot.index >= 0 && sameJson(v, slot.last)) {
      slot.repeats++;
      return slot.index;
    }
    const known = this.texts.length;
    const i = this.index(v);
    if (i < known) slot.repeats++;
    slot.seen++;
    slot.last = v;
    slot.index = i;
    return i;
  }

  /** Always an index: for values read back without a slot's rule. */
  index(v: unknown): number {
    const s = JSON.stringify(v) ?? 'null';
    let i = this.byText.get(s);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(s);
      this.byText.set(s, i);
    }
    return i;
  }
}

/** The JSON text of a chunk of rows. */
export function packChunk(rows: readonly CachedRow[]): string {
  const t = new Interner();
  const fields = new Map<string, Slot>();
  const field = (k: string): Slot => {
    let f = fields.get(k);
    if (!f) fields.set(k, (f = newSlot()));
    return f;
  };
  const scenes: Slot[] = [];
  const derived: Slot[][] = [];
  const rowSlot = newSlot();
  const packed = rows.map(([spec, key, d]): PackedRow => {
    const p: PackedSpec = {};
    for (const k of Object.keys(spec)) {
      const v = (spec as unknown as Record<string, unknown>)[k];
      if (v === undefined) continue;
      if (k === 'scenes') p[k] = (v as VideoSpec['scenes']).map((scene, i) => t.put(scene, (scenes[i] ??= newSlot())));
      else if (k === 'row') {
        const r = v as RowRef;
        p[k] = [t.put([r.group, r.file], rowSlot), r.line, r.digest];
      } else p[k] = t.put(v, field(k));
    }
    return d === undefined ? [p, key] : [p, key, packDerived(d, t, derived)];
  });
  // The shared texts are already JSON: joined, not stringified again.
  return `{"format":${JSON.stringify(FORMAT)},"shared":[${t.texts.join(',')}],"rows":${JSON.stringify(packed)}}`;
}

/**
 * What the planner derives is opaque here, but for the rows of one template it repeats (a scene's
 * clip facts): each array element of it has its items packed like a spec's values.
 */
function packDerived(d: unknown, t: Interner, slots: Slot[][]): unknown {
  if (!Array.isArray(d)) return [0, d];
  return [1, d.map((e: unknown, i) => (Array.isArray(e) ? e.map((x: unknown, j) => t.put(x, ((slots[i] ??= [])[j] ??= newSlot()))) : e))];
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
  // A number is an index into `shared`; anything else is the value itself.
  const value = (v: unknown): unknown => (typeof v === 'number' ? at(v) : v);
  try {
    return file.rows.map(([p, key, d]): CachedRow => {
      // In place, in the spec's own key order: no second object per row.
      for (const k of Object.keys(p)) {
        const v = p[k];
        if (k === 'scenes') {
          if (!Array.isArray(v)) throw new TypeError('bad scenes');
          p[k] = v.map(value);
        } else if (k === 'row') {
          const [gf, line, digest] = v as [unknown, unknown, unknown];
          const [group, file] = value(gf) as [unknown, unknown];
          if (typeof group !== 'string' || typeof file !== 'string' || typeof line !== 'number' || typeof digest !== 'string') throw new TypeError('bad row');
          p[k] = { group, file, line, digest } satisfies RowRef;
        } else if (typeof v === 'number') p[k] = at(v);
      }
      if (typeof p.id !== 'string' || typeof p.output !== 'string' || !Array.isArray(p.scenes)) throw new TypeError('bad spec');
      const spec = p as unknown as VideoSpec;
      if (key !== null && typeof key !== 'string') throw new TypeError('bad key');
      return d === undefined ? [spec, key] : [spec, key, unpackDerived(d, value)];
    });
  } catch {
    return undefined;
  }
}

function unpackDerived(d: unknown, value: (v: unknown) => unknown): unknown {
  if (!Array.isArray(d) || d.length !== 2) throw new TypeError('bad derived');
  const [packed, items] = d as [unknown, unknown];
  if (packed === 0) return items;
  if (packed !== 1 || !Array.isArray(items)) throw new TypeError('bad derived');
  return items.map((e: unknown) => (Array.isArray(e) ? e.map(value) : e));
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  for (const x of Object.values(v)) deepFreeze(x);
  Object.freeze(v);
}
