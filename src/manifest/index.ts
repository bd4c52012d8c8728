/**
 * Loading manifests: read -> (warm cache | parse -> validate -> resolve) -> digests -> checks
 * across files. Every file is reported on in one run; bad input gives diagnostics, never throws.
 */

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import { analyzeManifest, type AnalyzeContext, type Analysis } from './analyze.js';
import { AssetStore, type AssetRecord } from './assets.js';
import { cachedEntry, emptyCache, readCache, writeCache, type CacheData, type CacheEntry } from './cache.js';
import { checkDefaults } from './defaults.js';
import { dedupeDiagnostics, diagnosticAt, sortDiagnostics } from './diagnostic.js';
import { duplicateDiagnostics, type Loaded } from './duplicates.js';
import { SourceLines } from './frame.js';
import { tooLarge } from './limits.js';
import { mapLimit, missingAssetIssue } from './missing.js';
import { schemaDigest } from './schema.js';
import type { Position } from './source.js';

export type { ManifestInput } from './types.js';
export { formatPath } from './issue.js';
export { resolveDimension } from './resolve.js';
export { lookupAlias } from './aliases.js';

export interface LoadOptions {
  config: ResolvedConfig;
  /** Project-relative folder that default ids are relative to, e.g. 'examples'. */
  manifestsRoot: string;
  /** Use `<root>/.heygen/cache` (default true). */
  cache?: boolean;
}

/** Milliseconds per phase, summed over files. */
export interface LoadTimings {
  read: number;
  parse: number;
  validate: number;
  resolve: number;
}

export interface LoadResult {
  /** Sorted by source path; only manifests without problems. */
  specs: VideoSpec[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  timings: LoadTimings;
  /** Manifests served from the warm cache without parsing. */
  cacheHits: number;
}

/** Part of the cache key: bump it whenever resolution can produce a different VideoSpec for the same input. */
const CACHE_FORMAT = 'manifests/2';
/** `.` or `..` segments, doubled or trailing separators. */
const NOT_NORMAL = /[\\/]\.{1,2}(?=[\\/]|$)|[\\/]{2}|[\\/]$/;

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The id a manifest gets without `id:`: its path under the manifests root, without extension. */
export function defaultIdFor(rel: string, root: string, manifestsRoot: string): string {
  const abs = path.resolve(root, rel);
  let r = path.relative(path.resolve(root, manifestsRoot), abs);
  if (r.startsWith('..') || path.isAbsolute(r)) r = path.relative(root, abs);
  return posix(r).replace(/\.ya?ml$/i, '');
}

interface FileState {
  abs: string;
  rel: string;
  bytes?: Buffer;
  sha256?: string;
  readError?: string;
  hit?: CacheEntry;
  analysis?: Analysis;
  diagnostics: Diagnostic[];
}

function toPos(at: number[] | undefined): Position | undefined {
  if (!at || typeof at[0] !== 'number' || typeof at[1] !== 'number') return undefined;
  const pos: Position = { line: at[0], column: at[1] };
  if (typeof at[2] === 'number' && typeof at[3] === 'number') {
    pos.endLine = at[2];
    pos.endColumn = at[3];
  }
  return pos;
}

function fromPos(p: Position | undefined): number[] | undefined {
  if (!p) return undefined;
  return p.endLine !== undefined && p.endColumn !== undefined ? [p.line, p.column, p.endLine, p.endColumn] : [p.line, p.column];
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Line and column of the first byte that is not UTF-8, if any. */
function firstInvalidUtf8(bytes: Buffer): { line: number; column: number } | undefined {
  try {
    STRICT_UTF8.decode(bytes);
    return undefined;
  } catch {
    const at = invalidOffset(bytes);
    const before = bytes.subarray(0, Math.max(0, at)).toString('utf8').split('\n');
    return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (0 if none is found). */
function invalidOffset(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const extra = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return 0;
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export async function loadManifests(files: string[], opts: LoadOptions): Promise<LoadResult> {
  const { config } = opts;
  const root = config.root;
  const timings: LoadTimings = { read: 0, parse: 0, validate: 0, resolve: 0 };
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  // Plain string work for the usual case (absolute, normalized, under the root): path.resolve
  // and path.relative for 10,000 files are measurable on the warm path.
  const plain = (f: string): boolean => path.isAbsolute(f) && !NOT_NORMAL.test(f);
  const relOf = (abs: string): string =>
    abs.startsWith(prefix) && plain(abs) ? posix(abs.slice(prefix.length)) : posix(path.relative(root, abs));
  const states: FileState[] = [...new Set(files.map((f) => (plain(f) ? f : path.resolve(root, f))))]
    .map((abs) => ({ abs, rel: relOf(abs), diagnostics: [] }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));

  let t = performance.now();
  // Synchronous reads on purpose: for thousands of small files they are ~3x faster than
  // promise-based ones (no thread-pool round trip per file), and this is the warm path.
  for (const s of states) {
    try {
      s.bytes = readFileSync(s.abs);
      s.sha256 = createHash('sha256').update(s.bytes).digest('hex');
    } catch (e) {
      s.readError = (e as NodeJS.ErrnoException).code ?? String(e);
    }
  }
  timings.read += performance.now() - t;

  t = performance.now();
  const useCache = opts.cache !== false;
  const key = createHash('sha256')
    .update(JSON.stringify([CACHE_FORMAT, config.fingerprint, posix(path.normalize(opts.manifestsRoot)), schemaDigest()]))
    .digest('hex');
  const cache: CacheData = useCache ? await readCache(root, key) : emptyCache(key);
  const store = new AssetStore(root, cache.assets);
  // A cache with this key was only written with valid defaults: no need to check them (or load ajv).
  const defaults = await checkDefaults(config, cache.defaultsValid === true);
  const runDiagnostics: Diagnostic[] = [...defaults.diagnostics];

  // Warm path: same bytes, same asset stats -> reuse the spec without parsing.
  for (const s of states) {
    if (s.sha256 === undefined) continue;
    const entry = cachedEntry(cache, s.rel, s.sha256);
    if (!entry) continue;
    const fresh = entry.assets.every(([p, size, mtimeMs]) => {
      const st = store.statNow(p);
      return st !== undefined && st.isFile && st.size === size && st.mtimeMs === mtimeMs;
    });
    if (!fresh) continue;
    for (const [p] of entry.assets) store.confirm(p);
    s.hit = entry;
  }
  timings.resolve += performance.now() - t;

  const ctx: AnalyzeContext = { config, defaults: defaults.site, timings };
  for (const s of states) {
    if (s.readError !== undefined) {
      s.diagnostics.push(
        diagnosticAt({ code: 'E_READ', message: `cannot read the manifest (${s.readError})` }, s.rel, { line: 1, column: 1 }),
      );
      continue;
    }
    if (s.hit || !s.bytes) continue;
    const big = tooLarge(s.bytes.length);
    if (big) {
      s.diagnostics.push(diagnosticAt(big, s.rel, { line: 1, column: 1 }));
      continue;
    }
    const bad = firstInvalidUtf8(s.bytes);
    if (bad !== undefined) {
      s.diagnostics.push(
        diagnosticAt(
          {
            code: 'E_ENCODING',
            message: 'the manifest is not valid UTF-8 text',
            hint: 'save the file as UTF-8 (most editors: "Save with encoding" / "Reopen with encoding")',
          },
          s.rel,
          bad,
          decode(s.bytes),
        ),
      );
      continue;
    }
    s.analysis = analyzeManifest(s.rel, decode(s.bytes), defaultIdFor(s.rel, root, opts.manifestsRoot), ctx);
    // Not push(...list): a cascade's 100,000 diagnostics would overflow the call stack.
    for (const d of s.analysis.diagnostics) s.diagnostics.push(d);
  }

  // Digests, once per distinct asset, then filled into every spec that uses it.
  t = performance.now();
  await mapLimit(states, 16, async (s) => {
    const a = s.analysis;
    if (!a) return;
    let lines: SourceLines | undefined;
    const source = (): SourceLines => (lines ??= new SourceLines(s.bytes ? decode(s.bytes) : ''));
    for (const [i, p] of a.pending.entries()) {
      if (store.escapes(p.ref.path)) {
        const issue = {
          code: 'E_PATH_ESCAPE',
          message: `${p.what} "${p.value}" is a link to a file outside the project`,
          hint: 'copy the file into the project instead of linking to it: a build may only read files inside the project',
          path: p.path,
        };
        s.diagnostics.push(a.placePending(i, issue, source()));
        continue;
      }
      const rec = await store.digest(p.ref.path);
      if (rec) {
        p.ref.sha256 = rec.sha256;
        p.ref.size = rec.size;
      } else {
        s.diagnostics.push(a.placePending(i, await missingAssetIssue(root, p), source()));
      }
    }
  });

  const loaded: Loaded[] = [];
  let changed = false;
  const nextFiles: Record<string, CacheEntry> = {};
  for (const s of states) {
    const text = (): string => (s.bytes ? decode(s.bytes) : '');
    if (s.hit) {
      nextFiles[s.rel] = s.hit;
      const l: Loaded = { spec: s.hit.spec, text };
      const idAt = toPos(s.hit.idAt);
      const outputAt = toPos(s.hit.outputAt);
      if (idAt) l.idAt = idAt;
      if (outputAt) l.outputAt = outputAt;
      loaded.push(l);
      continue;
    }
    if (cache.files[s.rel] !== undefined) changed = true;
    const a = s.analysis;
    if (!a?.spec || s.diagnostics.length > 0 || s.sha256 === undefined) continue;
    const entry: CacheEntry = {
      sha256: s.sha256,
      spec: a.spec,
      assets: [...new Set(a.pending.map((p) => p.ref.path))].map((p) => {
        const rec = store.seen.get(p);
        return [p, rec?.size ?? -1, rec?.mtimeMs ?? -1];
      }),
    };
    const idAt = fromPos(a.idAt);
    const outputAt = fromPos(a.outputAt);
    if (idAt) entry.idAt = idAt;
    if (outputAt) entry.outputAt = outputAt;
    nextFiles[s.rel] = entry;
    changed = true;
    const l: Loaded = { spec: a.spec, text };
    if (a.idAt) l.idAt = a.idAt;
    if (a.outputAt) l.outputAt = a.outputAt;
    loaded.push(l);
  }
  const guard = {
    files: new Set([...states.map((s) => s.rel), posix(path.normalize(config.lockfile)), ...(config.configFile ? [posix(path.relative(root, config.configFile))] : [])]),
    folders: ['.heygen', '.git', 'node_modules'],
  };
  for (const d of duplicateDiagnostics(loaded, guard)) runDiagnostics.push(d);
  const bad = new Set(runDiagnostics.map((d) => d.location?.file));
  const specs = loaded.map((l) => l.spec).filter((spec) => !bad.has(spec.source));

  if (useCache && changed && !defaults.site.invalid) await saveCache(root, key, cache, nextFiles, store, new Set(states.map((s) => s.rel)));
  timings.resolve += performance.now() - t;

  const diagnostics = sortDiagnostics(dedupeDiagnostics([...runDiagnostics, ...states.flatMap((s) => s.diagnostics)]));
  return { specs, diagnostics, timings, cacheHits: states.filter((s) => s.hit).length };
}

/** Keep this run's entries, and older ones for files not in this run that still exist. */
async function saveCache(
  root: string,
  key: string,
  old: CacheData,
  files: Record<string, CacheEntry>,
  store: AssetStore,
  inRun: Set<string>,
): Promise<void> {
  for (const [rel, stored] of Object.entries(old.files)) {
    if (inRun.has(rel) || !existsSync(path.join(root, rel))) continue;
    const entry = cachedEntry(old, rel, stored.sha256);
    if (entry) files[rel] = entry;
  }
  const assets: Record<string, AssetRecord> = {};
  for (const entry of Object.values(files)) {
    for (const [p] of entry.assets) {
      const rec = store.seen.get(p) ?? old.assets[p];
      if (rec) assets[p] = rec;
    }
  }
  await writeCache(root, key, assets, files);
}
