/**
 * The warm cache's delta: `<root>/.heygen/cache/manifests.delta.json`, the entries that differ from
 * the base file (cache.ts), as git's split index keeps the changes beside a shared index. Editing one
 * manifest of 10,000 then rewrites a few kilobytes instead of the 15 MB base: measured on the 2-core
 * machine, ~0.17 s of a ~1.6 s `plan` after a one-line edit; watch mode's reload after each change skips
 * the same rewrite.
 *
 * The delta names the base it applies to (the base's random `id`): a base written again (a run that
 * changed more than DELTA_SHARE of the entries, or an older version of the tool) leaves any delta
 * unmatched, and an unmatched, unreadable or malformed delta is ignored, as a bad base is. Each entry
 * still carries its manifest's sha256 and its assets' stats, so a delta can only ever serve the spec
 * of the very bytes it was made from.
 */

import path from 'node:path';
import type { AssetRecord } from './assets.js';
import type { CacheEntry } from './cache.js';
import { sameJson } from '../util/same-json.js';

/** Project-relative path of the delta. */
export const DELTA_FILE = path.join('.heygen', 'cache', 'manifests.delta.json');

/** Spec members stored once in `shared` and referenced by index (cache.ts `pack`). */
export const SPEC_KEYS = ['tags', 'dimension', 'avatar', 'voice', 'background', 'translations'] as const;
/** Scene members stored the same way. */
export const SCENE_KEYS = ['avatar', 'voice', 'background'] as const;

/**
 * A delta is written only while it holds at most this share of the entries (changed and removed ones
 * together); past it the base is written again whole, with the delta folded in, and the delta deleted.
 */
export const DELTA_SHARE = 1 / 8;

/** Nor below this many entries: the base is then a few tens of kilobytes, cheaper to write than a second file is to read. */
export const DELTA_MIN_ENTRIES = 64;

type Data = Record<string, unknown>;

/** What the base file held when read, for the next delta against it. */
export interface BaseInfo {
  /** The base's `id`: the delta written against it names it. */
  id: string;
  /** The paths the base has entries for (removals are recorded against these). */
  rels: readonly string[];
  /** The base's asset records, before any delta was applied. */
  assets: Readonly<Record<string, AssetRecord>>;
  /** The paths whose entries came from the delta: they stay in the next one. */
  fromDelta: Set<string>;
}

/** The delta file's content (its entries packed against its own `shared`, see cache.ts `pack`). */
export interface DeltaData {
  format: number;
  key: string;
  /** The `id` of the base it applies to. */
  base: string;
  defaultsValid?: boolean;
  crossChecked?: string;
  /** Asset records new or different since the base. */
  assets: Record<string, AssetRecord>;
  shared: unknown[];
  files: Record<string, object>;
  /** Paths the base has an entry for that the cache no longer keeps. */
  removed: string[];
}

/** A plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parsed delta when it is one for this base and key; undefined otherwise. */
export function deltaFor(raw: unknown, format: number, key: string, baseId: string): DeltaData | undefined {
  if (!isRecord(raw) || raw.format !== format || raw.key !== key || raw.base !== baseId) return undefined;
  if (!isRecord(raw.assets) || !isRecord(raw.files) || !Array.isArray(raw.shared) || !Array.isArray(raw.removed)) return undefined;
  if (!raw.removed.every((r) => typeof r === 'string') || !Object.values(raw.files).every(isRecord)) return undefined;
  return raw as unknown as DeltaData;
}

/** A delta entry with its indexes moved past the base's `shared` values (`offset` of them). */
export function shifted(entry: object, offset: number): Data {
  const stored = entry as Data;
  const move = (o: Data, keys: readonly string[]): Data => {
    const out: Data = { ...o };
    for (const k of keys) if (typeof out[k] === 'number') out[k] = out[k] + offset;
    return out;
  };
  const spec = isRecord(stored.spec) ? move(stored.spec, SPEC_KEYS) : stored.spec;
  if (isRecord(spec) && Array.isArray(spec.scenes)) spec.scenes = spec.scenes.map((s: unknown) => (isRecord(s) ? move(s, SCENE_KEYS) : s));
  return { ...stored, spec, ...(typeof stored.assets === 'number' ? { assets: stored.assets + offset } : {}) };
}

/** What a delta against the base would hold; undefined when it would be past DELTA_SHARE (write the base). */
export interface DeltaParts {
  files: Record<string, CacheEntry>;
  removed: string[];
  assets: Record<string, AssetRecord>;
}

/**
 * The entries to write as a delta: those this run made or changed (not the very object the cache
 * served), those an earlier delta held, and the removals. `unchanged(rel, entry)` says whether
 * `entry` is the one the cache served for `rel`, as stored.
 */
export function deltaParts(
  base: BaseInfo,
  entries: Record<string, CacheEntry>,
  assets: Record<string, AssetRecord>,
  unchanged: (rel: string, entry: CacheEntry) => boolean,
): DeltaParts | undefined {
  const total = Object.keys(entries).length;
  if (total < DELTA_MIN_ENTRIES) return undefined;
  const limit = Math.floor(total * DELTA_SHARE);
  const files: Record<string, CacheEntry> = {};
  let count = 0;
  for (const [rel, entry] of Object.entries(entries)) {
    if (!base.fromDelta.has(rel) && unchanged(rel, entry)) continue;
    files[rel] = entry;
    if (++count > limit) return undefined;
  }
  const removed: string[] = [];
  for (const rel of base.rels) {
    if (Object.hasOwn(entries, rel)) continue;
    removed.push(rel);
    if (++count > limit) return undefined;
  }
  const changedAssets: Record<string, AssetRecord> = {};
  for (const [p, rec] of Object.entries(assets)) if (!sameJson(base.assets[p], rec)) changedAssets[p] = rec;
  return { files, removed, assets: changedAssets };
}
