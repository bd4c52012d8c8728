/**
 * The account's catalog (avatar looks and voices) for the checks, cached in `.heygen/catalog.json`.
 *
 * - Fresh cache (younger than the time-to-live): used, no request.
 * - `--refresh-catalog` with a key: fetched now.
 * - Stale cache with a key: `plan` uses it at once and refreshes it in the background (the command
 *   waits for that write before it exits); `build` fetches first, since it is about to spend.
 * - `build` without a fresh cache, when a few looks and voices answer every check (`lookup`): those are
 *   fetched one by one, all at once (one round trip where the lists take two or more), and the lists
 *   are fetched for the cache in the background. An id HeyGen does not know falls back to the lists,
 *   whose names the refusal suggests from.
 * - No cache with a key: fetched now. A fetch that fails falls back to any cache, else no checks.
 * - No key: any cache, of any age; with none the checks are skipped, and the plan says so in one line.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { replaceCacheFile } from '../../fsx/atomic.js';
import type { Catalog } from '../../model/catalog.js';

/** Where the catalog is cached, relative to the project root. */
export const CATALOG_FILE = join('.heygen', 'catalog.json');

/** How long a cached catalog is trusted: a day, as the language list. A miss refetches sooner (see `facts`). */
export const CATALOG_TTL_MS = 24 * 60 * 60 * 1000;

/** The cache file's format; a different one is read as no cache. */
const FORMAT = 1;

/** The catalog the checks run with, where it came from, and the refresh still running behind a plan. */
export interface CatalogState {
  catalog?: Catalog;
  /** `fetched`: by this command; `cache`: within its time-to-live; `stale`: older (no key, or refreshing). */
  source: 'fetched' | 'cache' | 'stale' | 'none';
  /** Why there is no catalog, for the plan's one line. */
  skipped?: string;
  /** A plan's background refresh, or the cache write of a catalog just fetched; awaited before the command exits. */
  refreshing?: Promise<void>;
  /**
   * After looks and voices were fetched by id: fetches the lists and caches them. Started once the
   * build's first POST is answered (its requests and CPU kept off the way to it); awaited before exit.
   */
  cacheLists?: () => Promise<void>;
}

/** How to get the catalog: where, for which command, and how to fetch it when there is a key. */
export interface CatalogOptions {
  root: string;
  mode: 'plan' | 'build';
  /** Undefined without an API key. */
  fetch?: (signal?: AbortSignal) => Promise<Catalog>;
  /** A build's few looks and voices by id (see the top of this file); undefined when the checks need the lists. */
  lookup?: (signal?: AbortSignal) => Promise<{ catalog: Catalog; missing: string[] }>;
  refresh?: boolean;
  ttlMs?: number;
  now?: () => number;
  signal?: AbortSignal;
}

function isCatalog(v: unknown): v is Catalog & { format_version: number } {
  const c = v as Partial<Catalog & { format_version: number }> | null;
  return !!c && c.format_version === FORMAT && typeof c.fetched_at === 'number' && Array.isArray(c.looks) && Array.isArray(c.voices);
}

/** The cached catalog, or undefined when there is none (or it cannot be read: it is only a cache). */
export async function readCatalogCache(root: string): Promise<Catalog | undefined> {
  try {
    const data: unknown = JSON.parse(await readFile(join(root, CATALOG_FILE), 'utf8'));
    if (!isCatalog(data)) return undefined;
    return { fetched_at: data.fetched_at, looks: data.looks, voices: data.voices };
  } catch {
    return undefined;
  }
}

/**
 * Stores the catalog whole (renamed over the old copy), without fsyncs: it is a cache, read leniently
 * (a damaged copy reads as none and is fetched again), and a build's first POST waits for this write:
 * the two fsyncs cost it 10-50 ms. A read-only checkout just goes without a cache.
 */
export async function writeCatalogCache(root: string, catalog: Catalog): Promise<void> {
  const file = join(root, CATALOG_FILE);
  try {
    await mkdir(dirname(file), { recursive: true });
    await replaceCacheFile(file, `${JSON.stringify({ format_version: FORMAT, ...catalog })}\n`);
  } catch {
    // Only a cache: the next command fetches again.
  }
}

async function fetchAndStore(opts: CatalogOptions): Promise<Catalog> {
  const catalog = await opts.fetch!(opts.signal);
  await writeCatalogCache(opts.root, catalog);
  return catalog;
}

/**
 * The looks and voices by id, with the lists to fetch for the cache behind them; undefined on a miss
 * (the lists answer then). A failed lookup (a refused key, the network) is not asked again as lists: it
 * falls back as a failed fetch does.
 */
async function lookupFirst(opts: CatalogOptions, cached: Catalog | undefined): Promise<CatalogState | undefined> {
  let found: { catalog: Catalog; missing: string[] };
  try {
    found = await opts.lookup!(opts.signal);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return failed(e, cached);
  }
  if (found.missing.length > 0) return undefined;
  const cacheLists = (): Promise<void> =>
    fetchAndStore(opts).then(
      () => undefined,
      () => undefined,
    );
  return { catalog: found.catalog, source: 'fetched', cacheLists };
}

/** After a failed fetch: any cache, else no checks and the plan's one line. */
function failed(e: unknown, cached: Catalog | undefined): CatalogState {
  if (cached) return { catalog: cached, source: 'stale' };
  return { source: 'none', skipped: `avatar and voice ids were not checked: the catalog could not be fetched (${reason(e)})` };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The catalog for this command, following the rules at the top of this file. */
export async function loadCatalog(opts: CatalogOptions): Promise<CatalogState> {
  const now = (opts.now ?? Date.now)();
  const cached = await readCatalogCache(opts.root);
  const age = cached ? now - cached.fetched_at : Infinity;
  const fresh = cached !== undefined && age >= 0 && age < (opts.ttlMs ?? CATALOG_TTL_MS);
  if (!opts.fetch) {
    if (cached) return { catalog: cached, source: fresh ? 'cache' : 'stale' };
    return { source: 'none', skipped: `avatar and voice ids were not checked: no HEYGEN_API_KEY and no cached catalog (${CATALOG_FILE})` };
  }
  if (fresh && !opts.refresh) return { catalog: cached, source: 'cache' };
  if (cached && !opts.refresh && opts.mode === 'plan') {
    // The stale copy answers now; the refresh lands for the next command. A failed refresh changes nothing.
    const refreshing = fetchAndStore(opts).then(
      () => undefined,
      () => undefined,
    );
    return { catalog: cached, source: 'stale', refreshing };
  }
  if (opts.lookup && !opts.refresh && opts.mode === 'build') {
    const found = await lookupFirst(opts, cached);
    if (found) return found;
  }
  try {
    const catalog = await opts.fetch(opts.signal);
    // Written beside the checks and the first submit rather than before them (a busy disk takes tens of
    // ms); like a plan's refresh, the command waits for it before it exits.
    return { catalog, source: 'fetched', refreshing: writeCatalogCache(opts.root, catalog) };
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    return failed(e, cached);
  }
}
