/**
 * The sweep of `heygen-build gc`: each area's files whose stem the project no longer asks for, older
 * than the grace period (a draft build or watch may be writing a new one right now: they take no build
 * lock), removed or, with `dryRun`, only listed. Dot files are temps of a writer and are left alone
 * (the build lock's sweep removes those of dead processes), and so are folders, and names an area does
 * not own (AREA_OWNS).
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AREA_DIRS, AREA_OWNS, AREAS, type Area, type Keep } from './keep.js';
import { isRowsChunk } from '../manifest/rows/cache.js';

/**
 * One file `gc` removes (or would remove). `temp`: a temp file a killed process left, anywhere the build
 * lock's sweep looks (the project root, `.heygen/` and its subfolders), removed by `gc` while it holds it.
 */
export interface GcFile {
  /** Project-relative POSIX path. */
  path: string;
  area: Area | 'temp';
  bytes: number;
}

/** What a sweep found: the files removed (or to remove), and the unreferenced ones kept for being recent. */
export interface GcResult {
  removed: GcFile[];
  bytes: number;
  /** Unreferenced files changed within the grace period, kept. */
  recent: number;
  recentBytes: number;
}

/** How to sweep. */
export interface SweepOptions {
  dryRun: boolean;
  /** Files changed less than this long ago are kept (ms). */
  graceMs: number;
  now?: number;
  /** Project-relative paths already accounted for (the stale temps gc removes first): neither listed nor removed here. */
  skip?: ReadonlySet<string>;
}

/** Sweeps every area under `<root>/.heygen/` against `keep`. */
export async function sweep(root: string, keep: Keep, opts: SweepOptions): Promise<GcResult> {
  const now = opts.now ?? Date.now();
  const result: GcResult = { removed: [], bytes: 0, recent: 0, recentBytes: 0 };
  for (const area of AREAS) {
    const rel = AREA_DIRS[area];
    const names = await readdir(join(root, rel)).catch(() => [] as string[]);
    const stems = keep.stems.get(area) ?? new Set<string>();
    const owns = AREA_OWNS[area] ?? ((): boolean => true);
    for (const name of names.sort()) {
      if (name.startsWith('.') || !owns(name)) continue;
      const path = `${rel}/${name}`;
      if (keep.paths.has(path) || opts.skip?.has(path)) continue;
      // A rows cache chunk is kept by name only (its stem is its manifest's, whatever index names it).
      if (stems.has(stemOf(name)) && !(area === 'cache/rows' && isRowsChunk(name))) continue;
      const st = await lstat(join(root, path)).catch(() => undefined);
      if (!st?.isFile()) continue;
      if (now - st.mtimeMs < opts.graceMs) {
        result.recent++;
        result.recentBytes += st.size;
        continue;
      }
      if (!opts.dryRun) await rm(join(root, path), { force: true });
      result.removed.push({ path, area, bytes: st.size });
      result.bytes += st.size;
    }
  }
  return result;
}

/** A file's stem: its name up to the first dot (`<key>.mp4`, `<key>.srt` and `<key>.json` share one). */
function stemOf(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? name : name.slice(0, dot);
}
