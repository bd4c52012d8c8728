/**
 * The warm cache of a `rows:` manifest, one file per manifest under `.heygen/cache/rows/`: the
 * finished spec and content key of every row, for the same template (manifest bytes, config,
 * schema, hash format). Same data file bytes and asset stats: every row is served without
 * parsing. Other data bytes (a cell edited, a row added): rows whose used cells are unchanged are
 * reused, and only the others are filled, checked and resolved. A cache is only written for a
 * manifest without problems, so what it serves was valid.
 */

import { sha256Hex } from '../../hash/canonical.js';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../fsx/atomic.js';
import { contentKey, HASH_FORMAT, rememberContentKey } from '../../hash/key.js';
import { sourceDigest } from '../../util/source-digest.js';

/** Modules whose code decides a cached row's spec or key (see util/source-digest.ts). */
const CODE = ['../../hash/key', '../../hash/canonical', '../../hash/template', '../../hash/overlays', '../../model/spec', './fill', './filters', './when', './expand', './cache', './data', './records', './incremental'];
import type { ResolvedConfig } from '../../model/config.js';
import type { VideoSpec } from '../../model/spec.js';
import { localAssets } from '../../model/spec.js';
import type { AssetStore } from '../assets.js';
import type { DerivedHook } from '../cache.js';
import { schemaDigest } from '../schema.js';
import type { PriorData } from './incremental.js';

const FORMAT = 'rows/4';

/** What one manifest's rows cache holds, read back. */
export interface RowsCache {
  /** sha256 of the data file's bytes ('' for inline rows). */
  data: string;
  /** In file order. */
  specs: VideoSpec[];
  /** A CSV: where each row's record started in the data file's bytes then, aligned with `specs`. */
  starts?: number[];
}

/** The file's JSON: each row's spec with its content key, or with what the planner derives (which holds the key). */
interface RowsFile {
  format: string;
  /** The template's key: manifest bytes, config, schema and hash format. */
  key: string;
  data: string;
  /** Every local asset the rows use: [path, size, mtimeMs], checked before anything is reused. */
  assets: [string, number, number][];
  /** [spec, content key, what the planner derives from it (DerivedHook.store, which holds the key too)], in file order. */
  rows: [VideoSpec, string | null, unknown?][];
  /** A CSV: each row's record's byte offset, aligned with `rows`; its bytes are kept next to this file (`.data`). */
  starts?: number[];
}

/** Where rows caches are kept, relative to the project root: one file per rows manifest. */
export const ROWS_CACHE_DIR = path.join('.heygen', 'cache', 'rows');

/** The name (without `.json`) of the rows cache of the manifest at `rel` (project-relative). */
export function rowsCacheStem(rel: string): string {
  return sha256Hex(rel).slice(0, 24);
}

/** The cache file of a manifest (project-relative path in, absolute path out). */
function fileOf(root: string, rel: string, ext = 'json'): string {
  return path.join(root, ROWS_CACHE_DIR, `${rowsCacheStem(rel)}.${ext}`);
}

/**
 * The template's key: what makes the same cells give the same spec. `languages` is the digest of the
 * translation languages the rows were checked against: a new list checks them again.
 */
export function templateKey(config: ResolvedConfig, rel: string, manifestSha: string, languages?: string): string {
  // The code that fills rows and computes keys is part of the key: a cached key from other code is never reused.
  const code = sourceDigest(import.meta.url, CODE) ?? `uncached ${String(Date.now())}`;
  return sha256Hex(JSON.stringify([FORMAT, HASH_FORMAT, code, config.fingerprint, schemaDigest(), rel, manifestSha, languages ?? null]));
}

/**
 * The cached rows of a manifest when its template is the same and no asset it uses changed;
 * undefined otherwise (or when the cache is missing or unreadable, which only costs speed).
 */
export function readRowsCache(root: string, rel: string, key: string, store: AssetStore, derived?: DerivedHook): RowsCache | undefined {
  let file: RowsFile;
  try {
    file = JSON.parse(readFileSync(fileOf(root, rel), 'utf8')) as RowsFile;
  } catch {
    return undefined;
  }
  if (file.format !== FORMAT || file.key !== key || !Array.isArray(file.rows) || !Array.isArray(file.assets)) return undefined;
  const fresh = file.assets.every(([p, size, mtimeMs]) => {
    const st = store.statNow(p);
    return st !== undefined && st.isFile && st.size === size && st.mtimeMs === mtimeMs;
  });
  if (!fresh) return undefined;
  const specs: VideoSpec[] = [];
  for (const [spec, k, d] of file.rows) {
    // The key was computed from this very spec before it was stored: the planner need not hash it again.
    if (typeof k === 'string') rememberContentKey(spec, k);
    // And its clip keys and estimates (and key), kept as for any cached manifest (plan/derived.ts).
    if (derived && d !== undefined) derived.restore(spec, d);
    specs.push(spec);
  }
  for (const [p] of file.assets) store.confirm(p);
  const starts = Array.isArray(file.starts) && file.starts.length === specs.length ? file.starts : undefined;
  return { data: file.data, specs, ...(starts ? { starts } : {}) };
}

/**
 * The CSV bytes the cached rows were parsed from, with where each row started: what an edit of the
 * data file is compared with (incremental.ts). Undefined unless the kept copy has the very sha256
 * the cache was written for.
 */
export function readPriorData(root: string, rel: string, cache: RowsCache): PriorData | undefined {
  if (!cache.starts || cache.data === '') return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(fileOf(root, rel, 'data'));
  } catch {
    return undefined;
  }
  if (sha256Hex(bytes) !== cache.data) return undefined;
  return { bytes, starts: cache.starts, specs: cache.specs };
}

/** The sha256 of a data file's bytes, '' when it cannot be read (the analysis reports that). */
export function dataSha(root: string, file: string | undefined): string {
  if (file === undefined) return '';
  try {
    return sha256Hex(readFileSync(path.join(root, file)));
  } catch {
    return '';
  }
}

/** Stores a valid manifest's rows for the next run; a cache that cannot be written only costs speed. */
export async function writeRowsCache(
  root: string,
  rel: string,
  key: string,
  data: string,
  specs: VideoSpec[],
  store: AssetStore,
  derived?: DerivedHook,
  csv?: { bytes: Buffer; starts: ReadonlyMap<number, number> },
): Promise<void> {
  // In file order: an edit of the data file is compared record by record (incremental.ts).
  specs = [...specs].sort((a, b) => (a.row?.line ?? 0) - (b.row?.line ?? 0));
  const starts = csv ? specs.map((s) => csv.starts.get(s.row?.line ?? -1)) : [];
  const placed = csv !== undefined && starts.every((x) => x !== undefined);
  const assets = new Map<string, [string, number, number]>();
  for (const spec of specs) {
    for (const a of localAssets(spec)) {
      if (assets.has(a.path)) continue;
      const rec = store.seen.get(a.path);
      assets.set(a.path, [a.path, rec?.size ?? -1, rec?.mtimeMs ?? -1]);
    }
  }
  // The content key once a row: in what is derived when there is that, else on its own.
  const rows = specs.map((s): RowsFile['rows'][number] => {
    const d = derived?.store(s);
    return d === undefined ? [s, contentKey(s)] : [s, null, d];
  });
  const text = JSON.stringify({ format: FORMAT, key, data, assets: [...assets.values()], rows, ...(placed ? { starts: starts } : {}) } satisfies RowsFile);
  const file = fileOf(root, rel);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // The bytes first: they are only used when their sha256 is the one this file names.
    if (placed) await writeFileAtomic(fileOf(root, rel, 'data'), csv.bytes);
    await writeFileAtomic(file, text);
  } catch {
    // A read-only checkout or a full disk: the next run parses the rows again.
  }
}
