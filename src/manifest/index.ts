/**
 * Loading manifests: read -> (warm cache | check -> parse -> validate -> resolve) -> digests ->
 * finished specs -> checks across files. Every file is reported on in one run; bad input gives
 * diagnostics, never throws. Each step is a file under load/.
 */

import { createHash } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import type { TranslationLanguages } from '../model/languages.js';
import type { VideoSpec } from '../model/spec.js';
import type { AnalyzeContext } from './analyze.js';
import { AssetStore, type AssetRecord } from './assets.js';
import { emptyCache, readCache, type CacheData, type DerivedHook } from './cache.js';
import { checkDefaults } from './defaults.js';
import { dedupeDiagnostics, sortDiagnostics } from './diagnostic.js';
import { duplicateDiagnostics, type Protected } from './duplicates.js';
import { finishSpecs } from './load/finish-specs.js';
import { fileStates, posix, readFiles, type FileState } from './load/state.js';
import { collect, crossCheckDigest, markWarmHits, saveCache, type Collected } from './load/warm.js';
import { markRowsHits, saveRowsCaches } from './rows/warm.js';
import { schemaDigest } from './schema.js';
import type { Prestarted } from './load/parallel.js';
import { PARALLEL_MIN_FILES } from './load/threshold.js';

export type { ManifestInput } from './types.js';
export { formatPath } from './issue.js';
export { lookupAlias } from './aliases.js';
export { locateTranslation } from './place.js';

/**
 * What loading manifests needs: the config, the folder default ids are relative to, and whether to use the warm cache.
 */
export interface LoadOptions {
  config: ResolvedConfig;
  /** Project-relative folder that default ids are relative to, e.g. 'examples'. */
  manifestsRoot: string;
  /** Use `<root>/.heygen/cache` (default true). */
  cache?: boolean;
  /** Also keep what this computes from each spec in the cache (the planner's keys), and restore it on a hit. */
  derived?: DerivedHook;
  /** Check translation languages against this list while loading (offline); unchecked when absent. */
  languages?: TranslationLanguages;
  /** Worker threads for manifests not in the cache; default: by the cores and their number (load/parallel.ts). */
  threads?: number;
}

/** Milliseconds per phase, summed over files. */
export interface LoadTimings {
  read: number;
  parse: number;
  validate: number;
  resolve: number;
}

/** Every manifest's outcome: the specs that loaded cleanly and all diagnostics, sorted for stable output. */
export interface LoadResult {
  /** Sorted by source path; only manifests without problems. */
  specs: VideoSpec[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  timings: LoadTimings;
  /** Manifests served from the warm cache without parsing. */
  cacheHits: number;
  /** Worker threads the load used, and how many manifests they loaded (load/parallel.ts). */
  workers: { threads: number; loaded: number };
  /** The record (digest, stat, what the bytes are) of each local asset the manifests use, by project-relative path. */
  assets: ReadonlyMap<string, AssetRecord>;
}

/** Part of the cache key: bump it whenever resolution can produce a different VideoSpec for the same input. */
const CACHE_FORMAT = 'manifests/4';
/** The id a manifest gets without `id:`: its path under the manifests root, without extension. */
export function defaultIdFor(rel: string, root: string, manifestsRoot: string): string {
  const quick = quickRelative(rel, root, manifestsRoot);
  if (quick !== undefined) return quick.replace(YAML_EXT, '');
  const abs = path.resolve(root, rel);
  let r = path.relative(path.resolve(root, manifestsRoot), abs);
  if (r.startsWith('..') || path.isAbsolute(r)) r = path.relative(root, abs);
  return posix(r).replace(YAML_EXT, '');
}

const YAML_EXT = /\.ya?ml$/i;
/** The manifests root relative to the project root, for the last (root, manifestsRoot) asked about. */
let base: { root: string; manifestsRoot: string; rel: string } | undefined;

/**
 * What defaultIdFor's path.resolve and path.relative give, by string work alone, for the usual case: a
 * POSIX system, a normalized `rel` inside the project and a manifests root inside it. Undefined
 * otherwise (then the paths are worked out in full). A cold load asks for 10,000 ids before its
 * worker threads can start, and the full way took ~0.1 s of it.
 */
function quickRelative(rel: string, root: string, manifestsRoot: string): string | undefined {
  if (path.sep !== '/' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel) || NOT_NORMAL_REL.test(rel)) return undefined;
  if (base?.root !== root || base.manifestsRoot !== manifestsRoot) {
    base = { root, manifestsRoot, rel: path.relative(root, path.resolve(root, manifestsRoot)) };
  }
  const b = base.rel;
  if (b === '..' || b.startsWith('../') || path.isAbsolute(b)) return undefined;
  const r = b === '' ? rel : rel === b ? '' : rel.startsWith(b + '/') ? rel.slice(b.length + 1) : rel;
  // As defaultIdFor: a result starting with `..` (a file named `..x.yaml`) is taken from the root.
  return r.startsWith('..') ? rel : r;
}

/** `.` or `..` segments, empty segments, a trailing slash, a backslash: not a path quickRelative reads. */
const NOT_NORMAL_REL = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|\/$|\\|^$/;

/** Loads and checks manifests, reporting every problem in one pass; bad input gives diagnostics, never a throw. */
export async function loadManifests(files: string[], opts: LoadOptions): Promise<LoadResult> {
  const { config } = opts;
  const root = config.root;
  const timings: LoadTimings = { read: 0, parse: 0, validate: 0, resolve: 0 };
  const states = fileStates(files, root);

  let t = performance.now();
  const useCache = opts.cache !== false;
  const key = cacheKey(config, opts.manifestsRoot, opts.languages);
  const cache: CacheData = useCache ? await readCache(root, key) : emptyCache(key);
  timings.resolve += performance.now() - t;
  // Surely a cold load over worker threads: start them now, to load their modules while this thread reads.
  const prestarted = await prestart(states.length, cache, opts.threads);

  t = performance.now();
  readFiles(states);
  timings.read += performance.now() - t;

  t = performance.now();
  const { store, defaults } = await markHits(states, cache, opts, useCache);
  timings.resolve += performance.now() - t;

  const ctx: AnalyzeContext = { config, defaults: defaults.site, timings, ...(opts.languages ? { languages: opts.languages } : {}) };
  const workers = await analyzeUncached(states, ctx, store, cache, opts, prestarted);

  t = performance.now();
  await finishSpecs(states, store, root);
  const collected = collect(states, cache, store, opts.derived);
  const cross = crossFileChecks(config, states, collected.loaded, cache, useCache);
  const runDiagnostics: Diagnostic[] = [...defaults.diagnostics, ...cross.findings];
  const bad = new Set(runDiagnostics.map((d) => d.location?.file));
  const specs = collected.loaded.map((l) => l.spec).filter((spec) => !bad.has(spec.source));
  if (useCache && !defaults.site.invalid) await saveCaches(root, states, cache, store, collected, cross.crossChecked, opts.derived);
  timings.resolve += performance.now() - t;

  const diagnostics = sortDiagnostics(dedupeDiagnostics([...runDiagnostics, ...states.flatMap((s) => s.diagnostics)]));
  return { specs, diagnostics, timings, cacheHits: states.filter((s) => s.hit).length, workers, assets: store.seen };
}

/**
 * The asset store over the cached records, the config's defaults checked, and every file a cache serves
 * marked as a hit: by the manifests cache, or (a rows template) by its own rows cache.
 */
async function markHits(states: FileState[], cache: CacheData, opts: LoadOptions, useCache: boolean): Promise<{ store: AssetStore; defaults: Awaited<ReturnType<typeof checkDefaults>> }> {
  const { config } = opts;
  const store = new AssetStore(config.root, cache.assets);
  // A cache with this key was only written with valid defaults: no need to check them (or load ajv).
  const defaults = await checkDefaults(config, cache.defaultsValid === true);
  markWarmHits(states, cache, store);
  if (useCache) markRowsHits(states, config, store, opts.derived, opts.languages?.digest);
  // A hit's asset whose cached record lacks what the bytes are (a cache from before verdicts): judged once.
  await store.completeConfirmed();
  return { store, defaults };
}

/** Parses, validates and resolves the files no cache served (on worker threads when there are many); what the workers did. */
async function analyzeUncached(
  states: FileState[],
  ctx: AnalyzeContext,
  store: AssetStore,
  cache: CacheData,
  opts: LoadOptions,
  prestarted: Prestarted | undefined,
): Promise<LoadResult['workers']> {
  // Unread files are reported by checkFile too; whole rows hits need nothing from it.
  const misses = states.filter((s) => !s.hit && !s.rowsHit);
  const workers = { threads: 0, loaded: 0 };
  if (misses.length > 0) {
    // Parsing, validation and resolution (and yaml, ajv) load only when a manifest needs them.
    const { analyzeMisses } = await import('./load/parallel.js');
    const root = ctx.config.root;
    const defaultId = (s: FileState): string => defaultIdFor(s.rel, root, opts.manifestsRoot);
    const stats = await analyzeMisses(misses, ctx, defaultId, {
      store,
      priorAssets: cache.assets,
      ...(opts.derived ? { derived: opts.derived } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(prestarted ? { prestarted } : {}),
    });
    workers.threads = stats.threads;
    workers.loaded = stats.byWorkers;
  }
  await prestarted?.end();
  return workers;
}

/**
 * The checks across files (duplicate ids and outputs, protected paths). Skipped for the same files, bytes
 * and config as a run whose checks found nothing (as the cache read says, when caching), or for a set
 * that differs from that one only by edits the checks do not see (a script, a title). `crossChecked`:
 * the set to record as passed, when it did.
 */
function crossFileChecks(
  config: ResolvedConfig,
  states: FileState[],
  loaded: Collected['loaded'],
  cache: CacheData,
  useCache: boolean,
): { findings: Diagnostic[]; crossChecked: string | undefined } {
  const guard = protectedFiles(config, states);
  const key = cache.key;
  const crossed = useCache ? crossCheckDigest(states, key, guard.extra) : undefined;
  const passed = crossed !== undefined && (crossed === cache.crossChecked || (cache.crossChecked !== undefined && crossCheckDigest(states, key, guard.extra, cache) === cache.crossChecked));
  const findings = passed ? [] : duplicateDiagnostics(loaded, guard);
  return { findings, crossChecked: crossed !== undefined && findings.length === 0 ? crossed : undefined };
}

/** Writes the manifests cache when anything it holds changed, and each rows template's cache. */
async function saveCaches(
  root: string,
  states: FileState[],
  cache: CacheData,
  store: AssetStore,
  collected: Collected,
  crossChecked: string | undefined,
  derived: DerivedHook | undefined,
): Promise<void> {
  // Written when unchanged too if it does not yet say the defaults are valid (a project of rows
  // manifests only has no other entry): the next run then skips checking them, and loading ajv.
  const record = collected.changed || store.madeRecords || cache.defaultsValid !== true || (crossChecked !== undefined && crossChecked !== cache.crossChecked);
  if (record) await saveCache(root, cache.key, cache, collected.entries, store, new Set(states.map((s) => s.rel)), derived, crossChecked);
  await saveRowsCaches(states, root, store, derived);
}

/**
 * Workers started before the files are read (load/parallel.ts), when the cache lacks at least
 * PARALLEL_MIN_FILES of them: so many misses are certain, whatever the files hold. Otherwise (a warm
 * load, a few edits) nothing is started, nor is the parallel module loaded.
 */
async function prestart(files: number, cache: CacheData, threads: number | undefined): Promise<Prestarted | undefined> {
  if (files < PARALLEL_MIN_FILES || threads === 0) return undefined;
  const missing = files - Object.keys(cache.files).length;
  if (missing < PARALLEL_MIN_FILES) return undefined;
  const { prestartWorkers } = await import('./load/parallel.js');
  return prestartWorkers(missing, threads);
}

function cacheKey(config: ResolvedConfig, manifestsRoot: string, languages: TranslationLanguages | undefined): string {
  // The language list decides which manifests are valid: a new list must re-check them.
  return createHash('sha256')
    .update(JSON.stringify([CACHE_FORMAT, config.fingerprint, posix(path.normalize(manifestsRoot)), schemaDigest(), languages?.digest ?? null]))
    .digest('hex');
}

/**
 * Files a build must never overwrite: the manifests, the lockfile, the config; and the tool's folders.
 * `extra` is what it protects besides the manifests (part of the cross-check digest).
 */
function protectedFiles(config: ResolvedConfig, states: FileState[]): Protected & { extra: string[] } {
  const root = config.root;
  const extra = [posix(path.normalize(config.lockfile)), ...(config.configFile ? [posix(path.relative(root, config.configFile))] : [])];
  const folders = ['.heygen', '.git', 'node_modules'];
  return { files: new Set([...states.map((s) => s.rel), ...extra]), folders, extra: [...extra, ...folders] };
}
