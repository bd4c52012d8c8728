/**
 * The warm cache of a `rows:` manifest under `.heygen/cache/rows/`: the finished spec and content
 * key of every row, for the same template (manifest bytes, config, schema, hash format, this code).
 * Same data file bytes and asset stats: every row is served without parsing. Other data bytes (a
 * cell edited, a row added): rows whose used cells are unchanged are reused, and only the others
 * are filled, checked and resolved. A cache is only written for a manifest without problems, so
 * what it serves was valid.
 *
 * On disk: an index per manifest (`<stem>.json`: key, data digest, asset stats, the list of
 * chunks) and the rows in chunks of CHUNK_ROWS (`<stem>.<digest>.json`, chunks.ts), so an edit of
 * one row packs and writes one chunk, not the whole cache; a CSV's bytes are kept as `<stem>.data`.
 */

import { sha256Hex } from '../../hash/canonical.js';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceCacheFile } from '../../fsx/atomic.js';
import { contentKey, HASH_FORMAT, rememberContentKey } from '../../hash/key.js';
import { sourceDigest } from '../../util/source-digest.js';

/** Modules whose code decides a cached row's spec or key (see util/source-digest.ts). */
const CODE = ['../../hash/key', '../../hash/canonical', '../../hash/base-text', '../../hash/template', '../../hash/overlays', '../../model/spec', './fill', './filters', './when', './expand', './cache', './data', './records', './incremental', './chunks', './lookup', './warm'];
import type { ResolvedConfig } from '../../model/config.js';
import type { VideoSpec } from '../../model/spec.js';
import { localAssets } from '../../model/spec.js';
import type { AssetStore } from '../assets.js';
import type { DerivedHook } from '../cache.js';
import { schemaDigest } from '../schema.js';
import type { PriorData } from './incremental.js';
import type { CsvPlaces } from './expand.js';
import type { DataBytes } from './lookup.js';
import { rowsPerChunk, chunkDigest, packChunk, unpackChunk, type CachedRow } from './chunks.js';

const FORMAT = 'rows/7';

/** What one manifest's rows cache holds, read back. */
export interface RowsCache {
  /** sha256 of the data file's bytes ('' for inline rows). */
  data: string;
  /** In file order; with a chunk missing or damaged, only the rows of the others. */
  specs: VideoSpec[];
  /** Every chunk was read: `specs` are all the rows. */
  complete: boolean;
  /** A CSV, when complete: where each row's record started in the data file's bytes then, aligned with `specs`. */
  starts?: number[];
  /** When complete: what the checks across files depend on in these rows (rows/warm.ts, rowsCheckId). */
  check?: string;
}

/**
 * The index file's JSON: the rows themselves are in chunk files (chunks.ts) next to it, each named
 * by its bytes' digest, so an edit of one row writes one chunk and this index.
 */
interface RowsIndex {
  format: string;
  /** The template's key: manifest bytes, config, schema and hash format. */
  key: string;
  data: string;
  /** Every local asset the rows use: [path, size, mtimeMs], checked before anything is reused. */
  assets: [string, number, number][];
  /** [digest, rows] of each chunk, in file order. */
  chunks: [string, number][];
  /** A CSV: each row's record's byte offset, in file order; its bytes are kept next to this file (`.data`). */
  starts?: number[];
  /** rowsCheckId of these rows (rows/warm.ts), computed when they were written: a whole hit need not walk them. */
  check?: string;
}

/** Where rows caches are kept, relative to the project root: one index (and its chunks) per rows manifest. */
export const ROWS_CACHE_DIR = path.join('.heygen', 'cache', 'rows');

/** The name (without `.json`) of the rows cache of the manifest at `rel` (project-relative). */
export function rowsCacheStem(rel: string): string {
  return sha256Hex(rel).slice(0, 24);
}

/** The cache file of a manifest (project-relative path in, absolute path out). */
function fileOf(root: string, rel: string, ext = 'json'): string {
  return path.join(root, ROWS_CACHE_DIR, `${rowsCacheStem(rel)}.${ext}`);
}

/** A chunk file's name: the manifest's stem (24 hex), the chunk's digest (32 hex). */
const CHUNK_NAME = /^[0-9a-f]{24}\.[0-9a-f]{32}\.json$/;

/** Whether `name` (a file of the rows cache folder) is a chunk rather than an index or a CSV copy. */
export function isRowsChunk(name: string): boolean {
  return CHUNK_NAME.test(name);
}

/** A chunk file of a manifest's rows cache: `<stem>.<digest>.json`. */
function chunkFile(root: string, rel: string, digest: string): string {
  return path.join(root, ROWS_CACHE_DIR, `${rowsCacheStem(rel)}.${digest}.json`);
}

/**
 * The names of the chunk files the index `<stem>.json` in `dir` names (for `gc`, which keeps only those).
 * An index that cannot be read names none: the next plan reads that manifest's rows again.
 */
export async function chunksNamedBy(dir: string, stem: string): Promise<string[]> {
  let index: Partial<RowsIndex>;
  try {
    index = JSON.parse(await readFile(path.join(dir, `${stem}.json`), 'utf8')) as Partial<RowsIndex>;
  } catch {
    return [];
  }
  if (!Array.isArray(index?.chunks)) return [];
  return index.chunks.map((c) => `${stem}.${String(Array.isArray(c) ? c[0] : '')}.json`).filter(isRowsChunk);
}

/** A chunk's rows as this process last had them, and the hook their derived values were restored with. */
interface HeldChunk {
  rows: CachedRow[];
  /** The local files its rows use (their paths): specs are immutable, so found once per chunk. */
  assets?: string[];
  /** The rows' keys and derived values are known for these spec objects (restored or computed) with this hook. */
  restoredWith?: DerivedHook;
}

/** The chunks of one index, in order, as this process last read or wrote them. */
interface Held {
  order: string[];
  chunks: Map<string, HeldChunk>;
  /** The CSV bytes this process last wrote next to the index, with their sha256: read back without reading and hashing the file. */
  data?: { sha: string; bytes: Buffer };
}

/**
 * Chunks this process has unpacked or written, per index file: the next load in the same process
 * (watch mode, or a plan after a plan) takes an unchanged chunk's specs from here instead of reading
 * and parsing it again. A chunk's name is the digest of its bytes and specs are immutable, so the
 * same name means the same rows. Only the chunks each index named last are kept, for the last few
 * manifests; and a chunk written is not packed again while its specs are the very same objects.
 */
const held = new Map<string, Held>();
const HELD_MANIFESTS = 8;

function hold(indexFile: string, h: Held): void {
  held.delete(indexFile);
  held.set(indexFile, h);
  for (const k of held.keys()) {
    if (held.size <= HELD_MANIFESTS) break;
    held.delete(k);
  }
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
 * undefined otherwise (or when the index is missing or unreadable, which only costs speed). A chunk
 * that is missing, truncated or damaged leaves its rows out (`complete` false): they are resolved again.
 */
export function readRowsCache(root: string, rel: string, key: string, store: AssetStore, derived?: DerivedHook): RowsCache | undefined {
  const indexFile = fileOf(root, rel);
  let index: RowsIndex;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as RowsIndex;
  } catch {
    return undefined;
  }
  if (typeof index !== 'object' || index === null || index.format !== FORMAT || index.key !== key || typeof index.data !== 'string') return undefined;
  if (!Array.isArray(index.chunks) || !Array.isArray(index.assets)) return undefined;
  const fresh = index.assets.every(([p, size, mtimeMs]) => {
    const st = store.statNow(p);
    return st !== undefined && st.isFile && st.size === size && st.mtimeMs === mtimeMs;
  });
  if (!fresh) return undefined;
  const before = held.get(indexFile);
  const now: Held = { order: [], chunks: new Map(), ...(before?.data ? { data: before.data } : {}) };
  const specs: VideoSpec[] = [];
  let complete = true;
  for (const entry of index.chunks) {
    const [digest, count] = Array.isArray(entry) ? entry : [];
    const chunk = (typeof digest === 'string' && before?.chunks.get(digest)) || readChunk(root, rel, digest, count);
    if (!chunk || chunk.rows.length !== count) {
      complete = false;
      continue;
    }
    if (derived && chunk.restoredWith !== derived) restore(chunk, derived);
    for (const [spec] of chunk.rows) specs.push(spec);
    now.order.push(digest as string);
    now.chunks.set(digest as string, chunk);
  }
  hold(indexFile, now);
  for (const [p] of index.assets) store.confirm(p);
  const starts = complete && Array.isArray(index.starts) && index.starts.length === specs.length ? index.starts : undefined;
  const check = complete && typeof index.check === 'string' ? index.check : undefined;
  return { data: index.data, specs, complete, ...(starts ? { starts } : {}), ...(check !== undefined ? { check } : {}) };
}

/** A chunk's rows, when its file holds exactly `rows` rows and its bytes hash to its name. */
function readChunk(root: string, rel: string, digest: unknown, rows: unknown): HeldChunk | undefined {
  if (typeof digest !== 'string' || !/^[0-9a-f]{32}$/.test(digest)) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(chunkFile(root, rel, digest));
  } catch {
    return undefined;
  }
  if (chunkDigest(bytes) !== digest) return undefined;
  const out = unpackChunk(bytes.toString('utf8'));
  if (!out || out.length !== rows) return undefined;
  // The key was computed from this very spec before it was stored: the planner need not hash it again.
  for (const [spec, k] of out) if (typeof k === 'string') rememberContentKey(spec, k);
  return { rows: out };
}

/**
 * The clip keys and estimates (and key) of each row, kept as for any cached manifest
 * (plan/derived.ts). A chunk with a row the hook cannot restore is packed and written again.
 */
function restore(chunk: HeldChunk, derived: DerivedHook): void {
  let whole = true;
  for (const [spec, , d] of chunk.rows) if (!(d !== undefined && derived.restore(spec, d))) whole = false;
  if (whole) chunk.restoredWith = derived;
  else delete chunk.restoredWith;
}

/**
 * The CSV bytes the cached rows were parsed from, with where each row started: what an edit of the
 * data file is compared with (incremental.ts). Undefined unless the kept copy has the very sha256
 * the cache was written for.
 */
export function readPriorData(root: string, rel: string, cache: RowsCache): PriorData | undefined {
  if (!cache.starts || cache.data === '') return undefined;
  const kept = held.get(fileOf(root, rel))?.data;
  if (kept?.sha === cache.data) return { bytes: kept.bytes, starts: cache.starts, specs: cache.specs };
  let bytes: Buffer;
  try {
    bytes = readFileSync(fileOf(root, rel, 'data'));
  } catch {
    return undefined;
  }
  if (sha256Hex(bytes) !== cache.data) return undefined;
  return { bytes, starts: cache.starts, specs: cache.specs };
}

/**
 * A data file's bytes and their sha256; undefined for inline rows or a file that cannot be read (the
 * analysis reports that). The bytes go on to the analysis, which then neither reads nor hashes them again.
 */
export function dataBytes(root: string, file: string | undefined): DataBytes | undefined {
  if (file === undefined) return undefined;
  try {
    const bytes = readFileSync(path.join(root, file));
    return { file, bytes, sha: sha256Hex(bytes) };
  } catch {
    return undefined;
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
  csv?: CsvPlaces,
  check?: string,
): Promise<void> {
  // In file order: an edit of the data file is compared record by record (incremental.ts).
  specs = [...specs].sort((a, b) => (a.row?.line ?? 0) - (b.row?.line ?? 0));
  const starts = csv && startsOf(specs, csv);
  const placed = csv && starts ? csv : undefined;
  const file = fileOf(root, rel);
  const size = rowsPerChunk();
  const { now, texts } = packChunks(specs, held.get(file), size, derived);
  const chunks = now.order.map((d, i): [string, number] => [d, Math.min(size, specs.length - i * size)]);
  const index: RowsIndex = { format: FORMAT, key, data, assets: assetStats(now, store), chunks, ...(starts ? { starts } : {}), ...(check !== undefined ? { check } : {}) };
  try {
    await writeFiles(root, rel, index, texts, placed);
    if (placed) now.data = { sha: data, bytes: placed.bytes };
    hold(file, now);
    await removeOtherChunks(root, rel, new Set(chunks.map(([d]) => d)));
  } catch {
    // A read-only checkout or a full disk: the next run parses the rows again.
  }
}

/**
 * The specs in chunks of `size`: a chunk this process holds (`before`) with these very specs is taken
 * as it is; any other is packed, its text in `texts` by its digest, to be written.
 */
function packChunks(specs: readonly VideoSpec[], before: Held | undefined, size: number, derived: DerivedHook | undefined): { now: Held; texts: Map<string, string> } {
  const now: Held = { order: [], chunks: new Map() };
  const texts = new Map<string, string>();
  for (let at = 0; at < specs.length; at += size) {
    const part = specs.slice(at, at + size);
    const old = before?.chunks.get(before.order[at / size] ?? '');
    let digest = old && sameChunk(old, part, derived) ? before!.order[at / size]! : undefined;
    if (digest === undefined) {
      // The content key once a row: in what is derived when there is that, else on its own.
      const rows = part.map((s): CachedRow => {
        const d = derived?.store(s);
        return d === undefined ? [s, contentKey(s)] : [s, null, d];
      });
      const text = packChunk(rows);
      digest = chunkDigest(text);
      texts.set(digest, text);
      // The keys and derived values of these specs were just computed for them.
      now.chunks.set(digest, { rows, ...(derived ? { restoredWith: derived } : {}) });
    } else now.chunks.set(digest, old!);
    now.order.push(digest);
  }
  return { now, texts };
}

/** [path, size, mtimeMs] of every local file the chunks' rows use, each once, as this load found it (-1: not found). */
function assetStats(now: Held, store: AssetStore): [string, number, number][] {
  const assets = new Map<string, [string, number, number]>();
  for (const digest of now.order) {
    const chunk = now.chunks.get(digest)!;
    chunk.assets ??= chunkAssets(chunk.rows);
    for (const p of chunk.assets) {
      if (assets.has(p)) continue;
      const rec = store.seen.get(p);
      assets.set(p, [p, rec?.size ?? -1, rec?.mtimeMs ?? -1]);
    }
  }
  return [...assets.values()];
}

/** Writes the new chunks, the CSV's bytes (`placed`) and then the index that names them; throws what the disk throws. */
async function writeFiles(root: string, rel: string, index: RowsIndex, texts: ReadonlyMap<string, string>, placed: CsvPlaces | undefined): Promise<void> {
  const file = fileOf(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  // The chunks and the bytes first: each is only used when its digest is the one the index names.
  // So a chunk needs no temp file or fsync: a torn or half-written one is a miss, never trusted.
  for (const [digest, text] of texts) await writeFile(chunkFile(root, rel, digest), text);
  if (placed) await writeFile(fileOf(root, rel, 'data'), placed.bytes);
  // Replaced whole, not fsynced: an empty or old index after a power cut is a miss, or names chunks checked by their digest.
  await replaceCacheFile(file, JSON.stringify(index));
}

/**
 * Where each spec's row starts in the CSV, for specs sorted by line: both lists ascend, so one walk
 * pairs them. Undefined when a spec's line is not a row of the CSV (then no offsets are kept).
 */
function startsOf(specs: readonly VideoSpec[], csv: CsvPlaces): number[] | undefined {
  const out: number[] = [];
  let k = 0;
  for (const spec of specs) {
    const line = spec.row?.line;
    if (line === undefined) return undefined;
    while (k < csv.lines.length && csv.lines[k]! < line) k++;
    if (csv.lines[k] !== line) return undefined;
    out.push(csv.starts[k]!);
  }
  return out;
}

/** The paths of the local files a chunk's rows use, each once. */
function chunkAssets(rows: readonly CachedRow[]): string[] {
  const out = new Set<string>();
  for (const [spec] of rows) for (const a of localAssets(spec)) out.add(a.path);
  return [...out];
}

/**
 * Whether a chunk this process holds has these very specs (immutable objects), in this order and
 * nothing else, with what the planner derives when `derived` is given (so a chunk written without it
 * is written again with it): then it is not packed or written again.
 */
function sameChunk(chunk: HeldChunk, part: readonly VideoSpec[], derived: DerivedHook | undefined): boolean {
  if (chunk.rows.length !== part.length || (derived && chunk.restoredWith !== derived)) return false;
  return part.every((spec, i) => chunk.rows[i]![0] === spec);
}

/** Removes the chunk files of this manifest that its index no longer names. */
async function removeOtherChunks(root: string, rel: string, keep: ReadonlySet<string>): Promise<void> {
  const chunk = new RegExp(`^${rowsCacheStem(rel)}\\.([0-9a-f]{32})\\.json$`);
  const dir = path.join(root, ROWS_CACHE_DIR);
  for (const name of await readdir(dir)) {
    const digest = chunk.exec(name)?.[1];
    if (digest !== undefined && !keep.has(digest)) await rm(path.join(dir, name), { force: true });
  }
}

/** Drops every chunk this process holds: the next load reads them from disk, as a new process would. */
export function forgetHeldRows(): void {
  held.clear();
}
