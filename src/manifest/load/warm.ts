/**
 * The warm cache around loading: which files can skip parsing (same bytes, same asset stats),
 * and the entries to store for the next run.
 */

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AssetRecord, AssetStore } from '../assets.js';
import { cachedEntry, writeCache, type CacheData, type CacheEntry, type DerivedHook } from '../cache.js';
import type { Loaded } from '../duplicates.js';
import type { Position } from '../source.js';
import { writtenFiles } from '../../model/outputs.js';
import { localAssets, type VideoSpec } from '../../model/spec.js';
import { sourceDigest } from '../../util/source-digest.js';
import { rowsCheckId } from '../rows/warm.js';
import { decode } from './encoding.js';
import type { FileState } from './state.js';

/** Same bytes, same asset stats -> reuse the spec without parsing. */
export function markWarmHits(states: FileState[], cache: CacheData, store: AssetStore): void {
  // Entries share their asset lists (the cache stores each distinct list once, see cache.ts): each
  // list is checked against the stats once, not once per manifest (10,000 manifests over 4 images).
  const checked = new Map<CacheEntry['assets'], boolean>();
  for (const s of states) {
    if (s.sha256 === undefined) continue;
    const entry = cachedEntry(cache, s.rel, s.sha256);
    if (!entry) continue;
    let fresh = checked.get(entry.assets);
    if (fresh === undefined) {
      fresh = entry.assets.every(([p, size, mtimeMs]) => {
        const st = store.statNow(p);
        return st !== undefined && st.isFile && st.size === size && st.mtimeMs === mtimeMs;
      });
      if (fresh) for (const [p] of entry.assets) store.confirm(p);
      checked.set(entry.assets, fresh);
    }
    if (fresh) s.hit = entry;
  }
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

/**
 * What the warm-cache pass yields: specs for the checks across files, the next cache's entries, and whether to write
 * it.
 */
export interface Collected {
  /** Specs without problems of their own, for the checks across files. */
  loaded: Loaded[];
  /** The next cache's entries. */
  entries: Record<string, CacheEntry>;
  /** Whether the cache needs writing. */
  changed: boolean;
}

/**
 * Cache hits and freshly finished specs, as `Loaded` for the cross-file checks and as cache entries.
 * A hit whose derived value `derived` cannot restore is stored again (with a fresh one, see saveCache).
 */
export function collect(states: FileState[], cache: CacheData, store: AssetStore, derived?: DerivedHook): Collected {
  const loaded: Loaded[] = [];
  const entries: Record<string, CacheEntry> = {};
  let changed = false;
  for (const s of states) {
    const text = (): string => (s.bytes ? decode(s.bytes) : '');
    if (s.hit) {
      if (derived && !derived.restore(s.hit.spec, s.hit.derived)) {
        const { derived: _stale, ...rest } = s.hit;
        entries[s.rel] = rest;
        changed = true;
      } else entries[s.rel] = s.hit;
      if (s.hit.warnings) s.diagnostics.push(...s.hit.warnings);
      const l: Loaded = { spec: s.hit.spec, text };
      const idAt = toPos(s.hit.idAt);
      const outputAt = toPos(s.hit.outputAt);
      if (idAt) l.idAt = idAt;
      if (outputAt) l.outputAt = outputAt;
      loaded.push(l);
      continue;
    }
    if (cache.files[s.rel] !== undefined) changed = true;
    // Rows are not cached per file (their data file is another input): each is loaded as is.
    for (const spec of s.rowSpecs ?? []) loaded.push({ spec, text });
    const a = s.analysis;
    if (!a || !s.spec || s.sha256 === undefined) continue;
    const entry: CacheEntry = {
      sha256: s.sha256,
      spec: s.spec,
      assets: [...new Set(a.pending.map((p) => p.file))].map((p) => {
        const rec = store.seen.get(p);
        return [p, rec?.size ?? -1, rec?.mtimeMs ?? -1];
      }),
    };
    const idAt = fromPos(a.idAt);
    const outputAt = fromPos(a.outputAt);
    if (idAt) entry.idAt = idAt;
    if (outputAt) entry.outputAt = outputAt;
    const warnings = s.diagnostics.filter((d) => d.severity === 'warning');
    if (warnings.length > 0) entry.warnings = warnings;
    // What the derived hook stored for this spec as it was loaded: saveCache need not ask it again.
    if (s.derived !== undefined) entry.derived = s.derived;
    entries[s.rel] = entry;
    changed = true;
    const l: Loaded = { spec: s.spec, text };
    if (a.idAt) l.idAt = a.idAt;
    if (a.outputAt) l.outputAt = a.outputAt;
    loaded.push(l);
  }
  return { loaded, entries, changed };
}

/** Keep this run's entries, and older ones for files not in this run that still exist. */
export async function saveCache(
  root: string,
  key: string,
  old: CacheData,
  files: Record<string, CacheEntry>,
  store: AssetStore,
  inRun: Set<string>,
  derived?: DerivedHook,
  crossChecked?: string,
): Promise<void> {
  if (derived) {
    for (const entry of Object.values(files)) entry.derived ??= derived.store(entry.spec);
  }
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
  // And those only rows use (their caches keep stats, not digests): a rows hit then finds its verdicts here.
  for (const [p, rec] of store.seen) assets[p] ??= rec;
  await writeCache(root, key, assets, files, crossChecked, old);
}

/** Modules whose code decides the findings of the checks across files. */
const CHECK_SOURCES = ['../duplicates', '../../model/outputs', '../../model/spec', '../index', './warm', '../rows/warm'];

/**
 * Whether the checks across files see the same in both specs: the same id, the same files written in
 * the same order, the same local assets, and neither a row. Their findings depend on nothing else of
 * a spec (duplicates.ts), so a set that passed with one passes with the other.
 */
function sameForChecks(a: VideoSpec, b: VideoSpec): boolean {
  if (a.id !== b.id || a.row !== undefined || b.row !== undefined) return false;
  const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(writtenFiles(a), writtenFiles(b)) && same(localAssets(a).map((r) => r.path), localAssets(b).map((r) => r.path));
}

/**
 * The sha256 a file this run finished counts by in the digest taken `before`: the bytes of the
 * version in that cache when this one is the same for the checks (an edit of a script, a title),
 * so a set whose checks passed before, edited that way, need not be checked again. Its own otherwise.
 */
function checkedAs(s: FileState, sha: string, before: CacheData): string {
  const old: unknown = before.files[s.rel];
  if (!s.spec || typeof old !== 'object' || old === null) return sha;
  const oldSha = (old as { sha256?: unknown }).sha256;
  if (typeof oldSha !== 'string' || oldSha === sha) return sha;
  const entry = cachedEntry(before, s.rel, oldSha);
  return entry && sameForChecks(entry.spec, s.spec) ? oldSha : sha;
}

/**
 * What the checks across files (duplicate ids and outputs, protected files) depend on when every
 * manifest is a plain cache hit: the cache key (config, schema, root), each file's path and bytes,
 * and the protected paths. Those decide every id, output, translation and asset path of the specs,
 * so the same digest gives the same findings; the checks' own code is in it too, so an upgrade
 * checks again. A rows manifest counts by its template key and data bytes (rows/warm.ts). Undefined
 * when some manifest is neither a hit nor finished cleanly by this run (a manifest with problems,
 * an unreadable file) or the code cannot be read: then the checks always run.
 *
 * With `before` (the cache read this run), the digest the last passing checks took if they saw the
 * set as it is now for the checks: each manifest edited since counts by its cached version's bytes
 * when that version is the same for the checks (see `checkedAs`). Equal to the cache's `crossChecked`,
 * this run's set has no finding either.
 */
export function crossCheckDigest(states: readonly FileState[], cacheKey: string, protectedPaths: readonly string[], before?: CacheData): string | undefined {
  const code = sourceDigest(import.meta.url, CHECK_SOURCES);
  if (code === null) return undefined;
  // One string hashed once: the same bytes as an update per file, at a fifth of the CPU for 10,000.
  let text = JSON.stringify([code, cacheKey, protectedPaths]);
  for (const s of states) {
    // A hit, or a file this run finished cleanly: so a cold run records it too, and the first warm run
    // after it need not check again (and rewrite the whole cache to say so).
    const rows = s.rows || s.rowSpecs || s.rowsHit;
    let sha = rows ? rowsCheckId(s) : (s.hit?.sha256 ?? (s.spec ? s.sha256 : undefined));
    if (sha === undefined) return undefined;
    if (before && !rows && !s.hit) sha = checkedAs(s, sha, before);
    text += `\n${s.rel}\0${sha}`;
  }
  return createHash('sha256').update(text).digest('hex');
}
