/**
 * The warm cache: `<root>/.heygen/cache/manifests.json`, one file read once per run and written
 * atomically (temp + rename) only when something changed. An entry lets a manifest skip YAML
 * parsing, validation and resolution when
 *   - the cache's key matches (config fingerprint, manifests root, schema, this format), and
 *   - the manifest's bytes have the same sha256, and
 *   - every local asset it uses has the same size and mtime as when it was resolved.
 * Only manifests that resolved without problems are cached. A cache that cannot be read or
 * parsed, or looks wrong, is ignored and rebuilt: it never causes an error.
 *
 * Speed: with 10,000 manifests, JSON.parse of the cache is the largest cost of a warm run, and
 * most of it is building small objects that repeat across videos (the same avatar, voice,
 * background, translations). Those are stored once in `shared` and referenced by index; an
 * entry is unpacked only when it is used, its specs sharing those values (frozen, see deepFreeze).
 *
 * A run that changes a few entries writes them beside the base, as a delta (cache-delta.ts), and
 * leaves the base as it is.
 */

import type { Diagnostic } from '../errors.js';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { replaceCacheFile } from '../fsx/atomic.js';
import type { VideoSpec } from '../model/spec.js';
import type { AssetRecord } from './assets.js';
import { sameJson } from '../util/same-json.js';
import { type BaseInfo, deltaFor, type DeltaData, deltaParts, DELTA_FILE, isRecord, SCENE_KEYS, shifted, SPEC_KEYS } from './cache-delta.js';

const FORMAT = 2;
/** Project-relative path of the warm manifest cache. */
export const CACHE_FILE = path.join('.heygen', 'cache', 'manifests.json');

/**
 * One cached manifest: its bytes' digest, its finished spec and the asset stats that must still match for it to be
 * reused.
 */
export interface CacheEntry {
  /** sha256 of the manifest's bytes. */
  sha256: string;
  spec: VideoSpec;
  /** [project-relative path, size, mtimeMs] of each local asset the spec uses. */
  assets: [string, number, number][];
  /** Where `id` and `output` are written, for duplicate reports without parsing: [line, column, endLine?, endColumn?]. */
  idAt?: number[];
  outputAt?: number[];
  /** Warnings the file gave when it was analysed: a cache hit says them again. */
  warnings?: Diagnostic[];
  /** What `DerivedHook.store` gave for the spec (content and clip keys), stored as is. */
  derived?: unknown;
}

/**
 * What else to keep next to each cached spec, computed from it (the planner's keys): `store` gives a
 * JSON value for the spec, `restore` takes it back for the same spec on a hit, or answers false when
 * it cannot (then the entry is stored again). The manifest layer never looks inside the value.
 */
export interface DerivedHook {
  store(spec: VideoSpec): unknown;
  restore(spec: VideoSpec, value: unknown): boolean;
}

type Json = unknown;
type Data = Record<string, unknown>;

interface StoredEntry {
  sha256: string;
  /** The spec with the SPEC_KEYS / SCENE_KEYS values replaced by indexes into `shared`. */
  spec: Data;
  assets: number;
  idAt?: number[];
  outputAt?: number[];
  derived?: unknown;
  warnings?: Diagnostic[];
}

/** The warm cache file's content; ignored as a whole when its format or key does not match this run. */
export interface CacheData {
  format: number;
  key: string;
  /** The base file's random id, which a delta names (cache-delta.ts); absent in a cache written before deltas. */
  id?: string;
  /** Written only when the config's defaults were valid; the key covers the config. */
  defaultsValid?: boolean;
  /** The set of files (see `crossCheckDigest`) the checks across files last passed for, with no finding. */
  crossChecked?: string;
  assets: Record<string, AssetRecord>;
  shared: Json[];
  files: Record<string, StoredEntry>;
}

/** A cache with no entries for the given key, used when the file is missing, unreadable or stale. */
export function emptyCache(key: string): CacheData {
  return { format: FORMAT, key, assets: {}, shared: [], files: {} };
}


/**
 * Shared values are frozen, not copied per spec: specs are immutable (their types are readonly), so
 * sharing is safe, and freezing makes any write to one throw instead of changing other videos.
 */
function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  for (const x of Object.values(v)) deepFreeze(x);
  Object.freeze(v);
}

/**
 * Reads the warm cache (the base, then its delta); anything unreadable, malformed or keyed for another
 * config gives an empty cache, never an error. A delta that does not apply is ignored alone.
 */
export async function readCache(root: string, key: string): Promise<CacheData> {
  try {
    const data: unknown = JSON.parse(await readFile(path.join(root, CACHE_FILE), 'utf8'));
    if (!isRecord(data) || data.format !== FORMAT || data.key !== key) return emptyCache(key);
    if (!isRecord(data.assets) || !isRecord(data.files) || !Array.isArray(data.shared)) return emptyCache(key);
    for (const v of data.shared) deepFreeze(v);
    const cache = data as unknown as CacheData;
    if (typeof cache.id === 'string') await applyDelta(root, cache, cache.id);
    return cache;
  } catch {
    return emptyCache(key);
  }
}

/** What each cache's base held when read (cache-delta.ts BaseInfo), for writing a delta against it. */
const baseOf = new WeakMap<CacheData, BaseInfo>();

/** Lays the delta written against this base over it, in place: the rest of the load sees one cache. */
async function applyDelta(root: string, cache: CacheData, id: string): Promise<void> {
  const base: BaseInfo = { id, rels: Object.keys(cache.files), assets: { ...cache.assets }, fromDelta: new Set() };
  baseOf.set(cache, base);
  let delta: DeltaData | undefined;
  try {
    delta = deltaFor(JSON.parse(await readFile(path.join(root, DELTA_FILE), 'utf8')), FORMAT, cache.key, id);
  } catch {
    return; // none, or torn: the base alone
  }
  if (!delta) return;
  const offset = cache.shared.length;
  for (const v of delta.shared) {
    deepFreeze(v);
    cache.shared.push(v);
  }
  for (const rel of delta.removed) delete cache.files[rel];
  for (const [rel, stored] of Object.entries(delta.files)) {
    cache.files[rel] = shifted(stored, offset) as unknown as StoredEntry;
    base.fromDelta.add(rel);
  }
  Object.assign(cache.assets, delta.assets);
  if (delta.defaultsValid === true) cache.defaultsValid = true;
  else delete cache.defaultsValid;
  if (typeof delta.crossChecked === 'string') cache.crossChecked = delta.crossChecked;
  else delete cache.crossChecked;
}

/**
 * The entries unpacked so far, per cache and path. A Map per cache rather than a WeakMap per
 * stored entry: 10,000 weak keys cost the garbage collector a pass over them at every collection.
 */
const unpackedOf = new WeakMap<CacheData, Map<string, CacheEntry>>();

/**
 * The entry for `rel` when its bytes still have this sha256; undefined for a miss or a damaged entry.
 * The stored spec is unpacked in place (its indexes replaced by the shared values), not copied: a
 * warm run of 10,000 manifests then builds 40,000 fewer objects. An entry is unpacked once; asking
 * again gives the same entry.
 */
export function cachedEntry(cache: CacheData, rel: string, sha256: string): CacheEntry | undefined {
  let unpacked = unpackedOf.get(cache);
  if (!unpacked) unpackedOf.set(cache, (unpacked = new Map<string, CacheEntry>()));
  const done = unpacked.get(rel);
  if (done) return done.sha256 === sha256 ? done : undefined;
  const e: unknown = cache.files[rel];
  if (!isRecord(e) || e.sha256 !== sha256) return undefined;
  if (!isRecord(e.spec) || typeof e.assets !== 'number') return undefined;
  const stored = e as unknown as StoredEntry;
  const shared = (i: unknown): unknown => (typeof i === 'number' ? cache.shared[i] : undefined);
  const spec = stored.spec;
  const assets = shared(stored.assets);
  // Everything checked before anything is replaced: a damaged entry is left as it was, a miss.
  if (typeof spec.id !== 'string' || typeof spec.output !== 'string' || !Array.isArray(shared(spec.translations)) || !Array.isArray(assets)) {
    return undefined;
  }
  if (!Array.isArray(spec.scenes) || !spec.scenes.every(isRecord)) return undefined;
  for (const k of SPEC_KEYS) if (k in spec) spec[k] = shared(spec[k]);
  for (const scene of spec.scenes) for (const k of SCENE_KEYS) if (k in scene) scene[k] = shared(scene[k]);
  const entry: CacheEntry = { sha256, spec: spec as unknown as VideoSpec, assets: assets as CacheEntry['assets'] };
  if (stored.idAt) entry.idAt = stored.idAt;
  if (stored.outputAt) entry.outputAt = stored.outputAt;
  if (stored.derived !== undefined) entry.derived = stored.derived;
  // Kept through the file too: a warm run must warn as the cold one did.
  if (Array.isArray(stored.warnings)) entry.warnings = stored.warnings;
  unpacked.set(rel, entry);
  return entry;
}

/** How many distinct values of one member `pack` compares a fresh value with before serialising it. */
const RECENT = 4;

function pack(entries: Record<string, CacheEntry>): { shared: Json[]; files: Record<string, StoredEntry> } {
  const shared: Json[] = [];
  const index = new Map<string, number>();
  // Cache hits share their values (cachedEntry), deep-frozen: after an edit, 9,999 of 10,000 specs are
  // found by reference without serialising them again. A frozen value keeps its text.
  const byRef = new Map<object, number>();
  // A fresh spec's values are new objects, but mostly equal to one of the last few of the same member
  // (the same avatar, voice, background): compared as values, they skip JSON.stringify, which took
  // ~85 of pack's ~150 ms for a cold 10,000. Equal members in the same order give the same text, so
  // this finds the index the text would.
  const recent = new Map<string, [unknown, number][]>();
  const intern = (slot: string, v: unknown): number => {
    const ref = typeof v === 'object' && v !== null && Object.isFrozen(v) ? v : undefined;
    if (ref) {
      const i = byRef.get(ref);
      if (i !== undefined) return i;
    }
    let seen = recent.get(slot);
    if (!seen) recent.set(slot, (seen = []));
    for (const [value, i] of seen) if (sameJson(v, value)) return i;
    const s = JSON.stringify(v);
    let i = index.get(s);
    if (i === undefined) {
      i = shared.length;
      shared.push(v);
      index.set(s, i);
    }
    if (ref) byRef.set(ref, i);
    else {
      if (seen.length === RECENT) seen.pop();
      seen.unshift([v, i]);
    }
    return i;
  };
  const files: Record<string, StoredEntry> = {};
  for (const [rel, e] of Object.entries(entries)) {
    const spec: Data = { ...(e.spec as unknown as Data) };
    for (const k of SPEC_KEYS) if (spec[k] !== undefined) spec[k] = intern(k, spec[k]);
    spec.scenes = e.spec.scenes.map((s) => {
      const scene: Data = { ...s };
      for (const k of SCENE_KEYS) if (scene[k] !== undefined) scene[k] = intern(`scene.${k}`, scene[k]);
      return scene;
    });
    const stored: StoredEntry = { sha256: e.sha256, spec, assets: intern('assets', e.assets) };
    if (e.idAt) stored.idAt = e.idAt;
    if (e.outputAt) stored.outputAt = e.outputAt;
    if (e.derived !== undefined) stored.derived = e.derived;
    if (e.warnings) stored.warnings = e.warnings;
    files[rel] = stored;
  }
  return { shared, files };
}

/**
 * Writes the warm cache: as a delta against the base `old` was read from when few entries changed
 * (cache-delta.ts), else the base whole, with a new id, and the delta deleted. Each file replaces
 * the last (temp + rename), so a reader never sees a half-written one, but without fsyncs (fsx/atomic.ts
 * `replaceCacheFile`): a power cut may leave the old file, an empty one or one with a torn or zeroed
 * tail, and every one of those fails `JSON.parse` or the format, key and base checks in `readCache`
 * and reads as a miss. An old cache is as safe as any: each entry is only used for a manifest with its
 * bytes' sha256, and derived keys only when written by the same code (plan/derived.ts). The two
 * fsyncs of a 15 MB cache cost ~50 ms of a cold plan's wall time.
 */
export async function writeCache(
  root: string,
  key: string,
  assets: Record<string, AssetRecord>,
  entries: Record<string, CacheEntry>,
  crossChecked?: string,
  old?: CacheData,
): Promise<void> {
  const file = path.join(root, CACHE_FILE);
  const checked = { defaultsValid: true, ...(crossChecked ? { crossChecked } : {}) };
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const base = old?.key === key ? baseOf.get(old) : undefined;
    const parts = base && old ? deltaParts(base, entries, assets, (rel, e) => servedAsStored(old, rel, e)) : undefined;
    if (base && parts) {
      const delta: DeltaData = { format: FORMAT, key, base: base.id, ...checked, assets: parts.assets, ...pack(parts.files), removed: parts.removed };
      await replaceCacheFile(path.join(root, DELTA_FILE), JSON.stringify(delta));
      return;
    }
    const data: CacheData = { format: FORMAT, key, id: randomBytes(8).toString('hex'), ...checked, assets, ...pack(entries) };
    await replaceCacheFile(file, JSON.stringify(data));
    // The old delta names the old base: ignored from now on, deleted only to save reading it. Not
    // `rm`: its existence check is a read a plan's trace would record (plan-cache/trace.ts).
    await unlink(path.join(root, DELTA_FILE)).catch(() => undefined);
  } catch {
    // A cache we cannot write (read-only checkout, full disk) only costs speed next time.
  }
}

/**
 * Whether `entry` is the entry `cache` served for `rel` and is stored as it is now: the same object
 * (cachedEntry's), with a derived value exactly when the stored one has one (saveCache may add it).
 */
function servedAsStored(cache: CacheData, rel: string, entry: CacheEntry): boolean {
  if (unpackedOf.get(cache)?.get(rel) !== entry) return false;
  const stored = cache.files[rel];
  return stored !== undefined && (stored.derived === undefined) === (entry.derived === undefined);
}
