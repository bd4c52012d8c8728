/**
 * The warm cache's write side, as text: each entry is serialized on its own with the values it
 * shares with other entries (`SPEC_KEYS`, `SCENE_KEYS`, its asset list) marked, and the file is
 * put together by replacing each mark with the shared value's index. The text is the very one
 * `JSON.stringify` gave for the packed object (see the format in cache.ts); the JSON of a frozen
 * shared value (a warm hit's) is made once, not once per video, and no packed copy of every spec
 * is built.
 */

import type { CacheEntry } from './cache.js';

/** Spec fields whose values repeat across videos: stored once in `shared`, referenced by index. */
export const SPEC_KEYS = ['tags', 'dimension', 'avatar', 'voice', 'background', 'translations'] as const;
/** The same, for each scene. */
export const SCENE_KEYS = ['avatar', 'voice', 'background'] as const;

/**
 * Shared values' JSON texts, each kept once and numbered in the order first met: a packed entry
 * refers to them by number.
 */
class SharedTexts {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The number of this text, added when new. */
  id(json: string): number {
    let n = this.ids.get(json);
    if (n === undefined) {
      this.ids.set(json, (n = this.texts.length));
      this.texts.push(json);
    }
    return n;
  }
}

/**
 * One entry's stored JSON text, its shared values written as `\x01<n>\x01` (`n`: the value's
 * number in `shared`). JSON.stringify escapes every control character, so the mark cannot occur
 * in the text otherwise.
 */
interface PackedEntry {
  text: string;
  shared: readonly string[];
}

const MARK = '\x01';
// A control character on purpose: JSON never writes one unescaped.
const MARKS = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

/** Frozen values (shared by warm specs, see cache.ts) never change: their JSON is kept. */
const frozenJson = new WeakMap<object, string>();

function json(v: unknown): string {
  if (typeof v !== 'object' || v === null || !Object.isFrozen(v)) return JSON.stringify(v);
  let s = frozenJson.get(v);
  if (s === undefined) frozenJson.set(v, (s = JSON.stringify(v)));
  return s;
}

/**
 * Writes an object's members as JSON.stringify does (in key order, undefined ones left out), the
 * values of `shared` keys cut out, and with `scenes` each scene's members written the same way.
 */
function members(o: Record<string, unknown>, shared: readonly string[], cut: (v: unknown) => string, out: string[], scenes: boolean): void {
  let sep = '';
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    if (shared.includes(k)) out.push(`${sep}${JSON.stringify(k)}:`, cut(v));
    else if (scenes && k === 'scenes' && Array.isArray(v)) {
      out.push(`${sep}"scenes":[`);
      v.forEach((scene: Record<string, unknown>, i) => {
        out.push(i > 0 ? ',{' : '{');
        members(scene, SCENE_KEYS, cut, out, false);
        out.push('}');
      });
      out.push(']');
    } else {
      const s = JSON.stringify(v);
      if (s === undefined) continue; // a function or a symbol: JSON leaves the member out
      out.push(`${sep}${JSON.stringify(k)}:`, s);
    }
    sep = ',';
  }
}

/** What a shared value is swapped for before the one JSON.stringify of an entry (see packEntry). */
const SENTINEL = '\x01shared:';
const SENTINELS = /"\\u0001shared:(\d+)"/g;

/**
 * An entry's stored JSON, its shared values numbered in `table` (see PackedEntry): the packed
 * entry (shallow copies, shared values swapped for a sentinel string) goes through one
 * JSON.stringify, then each sentinel's text becomes a mark. A text that holds the sentinel itself
 * (a control character no manifest has in practice) is written member by member instead.
 */
function packEntry(e: CacheEntry, table: SharedTexts): PackedEntry {
  let cuts = 0;
  const cut = (v: unknown): string => {
    cuts++;
    return `${SENTINEL}${table.id(json(v))}`;
  };
  const spec: Record<string, unknown> = { ...(e.spec as unknown as Record<string, unknown>) };
  for (const k of SPEC_KEYS) if (spec[k] !== undefined) spec[k] = cut(spec[k]);
  spec.scenes = e.spec.scenes.map((s) => {
    const scene: Record<string, unknown> = { ...s };
    for (const k of SCENE_KEYS) if (scene[k] !== undefined) scene[k] = cut(scene[k]);
    return scene;
  });
  const stored: Record<string, unknown> = { sha256: e.sha256, spec, assets: cut(e.assets) };
  if (e.idAt) stored.idAt = e.idAt;
  if (e.outputAt) stored.outputAt = e.outputAt;
  if (e.derived !== undefined) stored.derived = e.derived;
  if (e.warnings) stored.warnings = e.warnings;
  let found = 0;
  const text = JSON.stringify(stored).replace(SENTINELS, (_, n: string) => {
    found++;
    return `${MARK}${n}${MARK}`;
  });
  return found === cuts ? { text, shared: table.texts } : packMembers(e, table);
}

/** packEntry member by member: the same text, whatever the entry's strings hold. */
function packMembers(e: CacheEntry, table: SharedTexts): PackedEntry {
  const cut = (v: unknown): string => `${MARK}${table.id(json(v))}${MARK}`;
  const out = [`{"sha256":${JSON.stringify(e.sha256)},"spec":{`];
  members(e.spec as unknown as Record<string, unknown>, SPEC_KEYS, cut, out, true);
  out.push('},"assets":', cut(e.assets));
  if (e.idAt) out.push(`,"idAt":${JSON.stringify(e.idAt)}`);
  if (e.outputAt) out.push(`,"outputAt":${JSON.stringify(e.outputAt)}`);
  const derived = e.derived !== undefined ? JSON.stringify(e.derived) : undefined;
  if (derived !== undefined) out.push(`,"derived":${derived}`);
  if (e.warnings) out.push(`,"warnings":${JSON.stringify(e.warnings)}`);
  out.push('}');
  return { text: out.join(''), shared: table.texts };
}

/**
 * The `shared` member of the cache file as JSON text, and the text of its `files` member in pieces
 * of about a megabyte: each
 * entry's packed text with its shared values' numbers replaced by their
 * index in `shared`, which lists them in the order first met, as the packed object did.
 */
export function packFiles(entries: Record<string, CacheEntry>): { shared: string; files: Iterable<string> } {
  const index = new Map<string, number>();
  const shared: string[] = [];
  const here = new SharedTexts();
  const rels = Object.keys(entries);
  const packs = rels.map((rel) => packEntry(entries[rel]!, here));
  // The indexes first, in the order met: `shared` comes before `files` in the file.
  for (const p of packs) {
    for (const m of p.text.matchAll(MARKS)) {
      const v = p.shared[Number(m[1])]!;
      if (!index.has(v)) {
        index.set(v, shared.length);
        shared.push(v);
      }
    }
  }
  function* files(): Generator<string> {
    let piece: string[] = ['{'];
    let size = 0;
    for (let k = 0; k < packs.length; k++) {
      const p = packs[k]!;
      const text = p.text.replace(MARKS, (_, n: string) => String(index.get(p.shared[Number(n)]!)));
      piece.push(`${k > 0 ? ',' : ''}${JSON.stringify(rels[k])}:`, text);
      size += text.length;
      if (size >= PIECE) {
        yield piece.join('');
        piece = [];
        size = 0;
      }
    }
    piece.push('}');
    yield piece.join('');
  }
  return { shared: `[${shared.join(',')}]`, files: files() };
}

/** About a megabyte of text per write. */
const PIECE = 1 << 20;
