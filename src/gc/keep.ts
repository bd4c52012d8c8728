/**
 * What `heygen-build gc` must keep under `.heygen/`: everything the lockfile records (scene clips by
 * key, translations by key, every file path), and every draft, base composition, rows cache and URL
 * asset copy the project's manifests ask for today. Keeping too much is harmless; keeping too little costs a render
 * (drafts: ffmpeg time) or a download (a recorded clip is fetched again from HeyGen, never paid again).
 */
import { join, sep } from 'node:path';
import { CLIP_DIR } from '../execute/heygen/clip-job.js';
import { BASE_DIR, RAW_DIR } from '../execute/heygen/translation-layer.js';
import { draftWork } from '../execute/local/provider.js';
import { isUrlCopyName, URL_COPY_DIR, urlCopyStem } from '../execute/url-copy-path.js';
import { CUTS } from '../export/media.js';
import { baseKey } from '../hash/index.js';
import { chunksNamedBy, ROWS_CACHE_DIR, rowsCacheStem } from '../manifest/rows/cache.js';
import { DRAFTS_DIR } from '../providers/local/cache.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Lockfile } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';

/** The names (file stems: the name up to its first dot) each area keeps, and the project-relative paths the lockfile records. */
export interface Keep {
  /** By area (a folder under `.heygen/`, POSIX): the stems it keeps. */
  stems: Map<string, Set<string>>;
  /** Project-relative POSIX paths the lockfile records (kept wherever they are). */
  paths: Set<string>;
}

/** The areas `gc` sweeps, in the order it reports them. */
export const AREAS = ['drafts', 'clips', 'base', 'translations', 'cuts', 'cache/rows', 'remote'] as const;
/** One of `AREAS`. */
export type Area = (typeof AREAS)[number];

const posix = (p: string): string => p.split(sep).join('/');
/** Each area's folder, project-relative (POSIX), as the modules that write there name it. */
export const AREA_DIRS: Record<Area, string> = {
  drafts: posix(DRAFTS_DIR),
  clips: posix(CLIP_DIR),
  base: posix(BASE_DIR),
  translations: posix(RAW_DIR),
  cuts: posix(CUTS),
  'cache/rows': posix(ROWS_CACHE_DIR),
  remote: posix(URL_COPY_DIR),
};

/**
 * The names an area holds that are ours to remove, where the folder may hold others: `.heygen/remote/`
 * has only URL copies and their validators today, but a `file://.heygen/remote` store (or a user) may
 * put files there, and those are never swept.
 */
export const AREA_OWNS: Partial<Record<Area, (name: string) => boolean>> = {
  remote: isUrlCopyName,
};

/** What `gc` keeps for a project whose manifests loaded cleanly (`files`: their project-relative POSIX paths). */
export async function keepSet(config: ResolvedConfig, specs: readonly VideoSpec[], lock: Lockfile, files: readonly string[]): Promise<Keep> {
  const recorded = lockReferences(lock);
  const { work } = await draftWork(config, specs);
  const stems = new Map<string, Set<string>>([
    ['drafts', new Set(work.map((w) => w.key))],
    ['clips', new Set(Object.keys(lock.clips ?? {}))],
    ['base', new Set(specs.filter((s) => s.translations.length > 0).map((s) => baseKey(s)))],
    ['translations', recorded.keys],
    // Cuts are made again by the next export (ffmpeg only): nothing records them.
    ['cuts', new Set()],
    ['cache/rows', new Set(files.map(rowsCacheStem))],
    // A copy's `.json` validators share its stem, so they go with it (src/execute/url-copies.ts).
    ['remote', new Set(urlsOf(specs).map(urlCopyStem))],
  ]);
  // A rows cache's chunks are kept by name, only those its index names: a chunk no index names
  // (a run killed between its chunks and its index) is never read again.
  const rows = AREA_DIRS['cache/rows'];
  for (const stem of stems.get('cache/rows')!) {
    for (const name of await chunksNamedBy(join(config.root, rows), stem)) recorded.paths.add(`${rows}/${name}`);
  }
  return { stems, paths: recorded.paths };
}

/**
 * Every URL asset the specs name (backgrounds, audio, photos, a dub's video, a prompt's files), found
 * by its shape (`{kind: 'url', url}`) wherever it sits, so a field added later is kept too. A row is a
 * spec of its own, and a translation is composed from its video's assets.
 */
export function urlsOf(specs: readonly VideoSpec[]): string[] {
  const urls = new Set<string>();
  eachObject(specs, (o) => {
    if (o.kind !== 'url' || typeof o.url !== 'string') return true;
    urls.add(o.url);
    return false;
  });
  return [...urls];
}

/** Every `key` and every file `path` anywhere in the lockfile (entries, translations, proofreads, alternates, assets). */
export function lockReferences(lock: Lockfile): { keys: Set<string>; paths: Set<string> } {
  const keys = new Set<string>();
  const paths = new Set<string>();
  eachObject([lock.videos, lock.assets, lock.clips], (o) => {
    if (typeof o.key === 'string') keys.add(o.key);
    if (typeof o.path === 'string') paths.add(o.path);
    return true;
  });
  return { keys, paths };
}

/** Calls `visit` on every object (not array) in `v`, depth first; `visit` returning false skips what is inside that one. */
function eachObject(v: unknown, visit: (o: Record<string, unknown>) => boolean): void {
  if (Array.isArray(v)) {
    for (const x of v) eachObject(x, visit);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  if (visit(o)) for (const x of Object.values(o)) eachObject(x, visit);
}
