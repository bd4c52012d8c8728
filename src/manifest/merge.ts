/**
 * `defaults` from heygen.config.ts, deep-merged UNDER a manifest: the manifest's values win,
 * maps merge key by key, lists (scenes, translations, tags) and scalars are replaced whole.
 *
 * Two refinements keep the merge meaningful for the one-of shapes:
 * - a bare string meets a map by becoming its "main" key: `voice: narrator` under
 *   `voice: {speed: 1.2}` gives `{alias: narrator, speed: 1.2}` (`id` when the string is a
 *   HeyGen id by the alias rule, since a map's `id` is never an alias; likewise background
 *   color, dimension preset);
 * - maps of different kinds do not merge (`background: {image}` over `{color}` is an image,
 *   not an image with a color).
 *
 * The merge also records which parts came from defaults: their local paths are relative to the
 * project root (the config's folder), and their problems are reported against the config.
 */

import { lookupAlias } from './aliases.js';

type Data = Record<string, unknown>;

/** The config's alias tables, so a bare avatar or voice string widens to `alias` or `id` by the alias rule. */
export interface AliasTables {
  avatar: Record<string, unknown>;
  voice: Record<string, unknown>;
}

/** For top-level keys: the key a bare string stands for, and the keys that name a map's kind. */
const SHAPES: Record<string, { main: string; kinds: string[] }> = {
  avatar: { main: 'id', kinds: ['id', 'alias'] },
  voice: { main: 'id', kinds: ['id', 'alias'] },
  background: { main: 'color', kinds: ['color', 'image', 'video'] },
  dimension: { main: 'preset', kinds: ['preset', 'width'] },
};

/** Whether a YAML value is a mapping (not null, not a list), the only kind of value defaults merge into. */
export function isPlainMap(v: unknown): v is Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A manifest merged with config defaults, remembering which values came from defaults so problems point at the config.
 */
export interface Merged {
  value: Data;
  /** Paths (joined with "/") whose whole value came from defaults. */
  fromDefaults: Set<string>;
}

function kindOf(map: Data, kinds: string[]): string | undefined {
  return kinds.find((k) => k in map);
}

/** The key a bare string stands for in the map form of `key`. */
function mainKey(key: string, v: string, fallback: string, tables: AliasTables | undefined): string {
  if (!tables || (key !== 'avatar' && key !== 'voice')) return fallback;
  return lookupAlias(v, tables[key]).kind === 'id' ? 'id' : 'alias';
}

function mergeMaps(under: Data, over: Data, prefix: string, marks: Set<string>, top: boolean, tables?: AliasTables): Data {
  const out: Data = { ...over };
  // Keys and an indexed loop, not entries: no pair per key, no iterator (this runs per manifest of a cold load).
  const keys = Object.keys(under);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const dv = under[key];
    const path = prefix === '' ? key : `${prefix}/${key}`;
    if (!(key in over) || over[key] === undefined) {
      out[key] = dv;
      marks.add(path);
      continue;
    }
    let mv: unknown = over[key];
    let base: unknown = dv;
    const shape = top ? SHAPES[key] : undefined;
    if (shape) {
      // Only strings that name the main key are widened (`dimension: '16:9'` is not a preset).
      const widen = (v: unknown): unknown =>
        typeof v === 'string' && (key !== 'dimension' || v === '720p' || v === '1080p') ? { [mainKey(key, v, shape.main, tables)]: v } : v;
      if (isPlainMap(mv) !== isPlainMap(base)) {
        mv = widen(mv);
        base = widen(base);
      }
      if (isPlainMap(mv) && isPlainMap(base)) {
        const a = kindOf(mv, shape.kinds);
        const b = kindOf(base, shape.kinds);
        if (a !== undefined && b !== undefined && a !== b) continue; // different kinds: the manifest's wins
      }
    }
    if (isPlainMap(mv) && isPlainMap(base)) {
      out[key] = mergeMaps(base, mv, path, marks, false);
    } else {
      out[key] = over[key];
    }
  }
  return out;
}

/**
 * Deep-merges config defaults under a manifest by the rules above: the manifest wins, maps merge, lists and scalars
 * are replaced.
 */
export function mergeDefaults(defaults: Data, manifest: Data, tables?: AliasTables): Merged {
  const fromDefaults = new Set<string>();
  if (Object.keys(defaults).length === 0) return { value: manifest, fromDefaults };
  return { value: mergeMaps(defaults, manifest, '', fromDefaults, true, tables), fromDefaults };
}

/** Whether the value at `path` (or a map above it) came from defaults. */
export function cameFromDefaults(merged: Merged, path: readonly (string | number)[]): boolean {
  if (merged.fromDefaults.size === 0 || path.length === 0) return false;
  // Most paths asked about start under a key the defaults did not touch: no strings to build.
  const first = String(path[0]);
  let near = false;
  for (const m of merged.fromDefaults) if (m.startsWith(first)) near = true;
  if (!near) return false;
  let key = '';
  for (const seg of path) {
    key = key === '' ? String(seg) : `${key}/${seg}`;
    if (merged.fromDefaults.has(key)) return true;
  }
  return false;
}

