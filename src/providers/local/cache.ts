/**
 * A content-addressed cache of drafts under `<root>/.heygen/drafts/`: `<key>.mp4`, `<key>.srt`
 * and `<key>.json`. The JSON (size, sha256, captions or not) is written last, so an entry
 * counts only once everything it names is in place; a torn or truncated entry reads as a miss.
 * The key is the caller's content key: an unchanged draft is never rendered twice.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { constants, copyFile, link, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { HeygenBuildError } from '../../errors.js';
import { mkdirp, removeQuietly, syncPath, tempPathFor, withTempFile, writeFileAtomic } from '../../fsx/atomic.js';
import { sha256File } from '../../fsx/digest.js';
import { fsError } from '../../fsx/errors.js';
import { captionsPathFor } from '../../model/outputs.js';
import type { RenderedDraft } from './render.js';

const META_VERSION = 1;

/** Where drafts are kept, relative to the project root: `<key>.mp4`, `.srt` and `.json`. */
export const DRAFTS_DIR = path.join('.heygen', 'drafts');

interface Meta {
  version: number;
  size: number;
  sha256: string;
  captions: boolean;
  seconds?: number;
  /** Frames per scene and the frame rate (absent in entries written before they were recorded). */
  scenes?: number[];
  fps?: number;
}

/** A complete draft cache entry: the MP4, its optional sidecar captions, and the digest recorded for it. */
export interface CachedDraft {
  /** Absolute path of the cached MP4. */
  path: string;
  captions?: string;
  size: number;
  sha256: string;
  seconds?: number;
  /** Each scene's length in frames at `fps`, when recorded (see src/export/). */
  scenes?: number[];
  fps?: number;
}

/** A cached draft placed at its output path, with the digest to record in the lockfile. */
export interface MaterializedDraft {
  path: string;
  captions?: string;
  size: number;
  sha256: string;
  seconds?: number;
}

/** What is known of a draft besides its bytes: its length, and where its scenes fall. */
export type DraftInfo = Pick<CachedDraft, 'seconds' | 'scenes' | 'fps'>;

/** The content-addressed draft cache: look up, store and place drafts by content key. */
export interface DraftCache {
  dir: string;
  /** The cached MP4's absolute path, when a complete entry exists. */
  get(key: string): Promise<string | undefined>;
  /** The complete entry (MP4, its sidecar, size, digest), if any. */
  entry(key: string): Promise<CachedDraft | undefined>;
  /**
   * The complete entries among `keys`, by key, as `entry` finds them: one listing of the folder, then
   * only the entries it holds are read (a plan of 10,000 videos with no drafts opens no file), with
   * the size of each sidecar. Synchronous, like the plan's other bulk reads.
   */
  entries(keys: Iterable<string>): Map<string, CachedDraft & { captionsSize?: number }>;
  /**
   * Move a rendered draft (and its captions) into the cache. The files are taken over: renamed
   * when on the same filesystem, else copied and removed.
   */
  put(key: string, renderedFile: string, captions?: string, info?: DraftInfo): Promise<CachedDraft>;
  /** Place the cached draft (and sidecar) at `outFile` atomically: a hard link when possible, else a copy. */
  materialize(key: string, outFile: string): Promise<MaterializedDraft>;
}

/** The draft cache of a project, under `<root>/.heygen/drafts/`. */
export function draftCache(root: string): DraftCache {
  const dir = path.join(root, DRAFTS_DIR);
  const entry = (key: string): Promise<CachedDraft | undefined> => readEntry(dir, key);
  return {
    dir,
    entry,
    entries: (keys) => readEntries(dir, keys),
    async get(key) {
      return (await entry(key))?.path;
    },
    put: (key, renderedFile, captions, info = {}) => putEntry(dir, key, renderedFile, captions, info),
    materialize: (key, outFile) => materializeEntry(dir, key, outFile),
  };
}

/** The three files of an entry. */
interface EntryFiles {
  mp4: string;
  srt: string;
  meta: string;
}

function entryFiles(dir: string, key: string): EntryFiles {
  checkKey(key);
  return { mp4: path.join(dir, `${key}.mp4`), srt: path.join(dir, `${key}.srt`), meta: path.join(dir, `${key}.json`) };
}

/** The complete entry of `key`, or undefined: a missing, torn or outdated meta, or a file it names gone or cut short. */
async function readEntry(dir: string, key: string): Promise<CachedDraft | undefined> {
  const f = entryFiles(dir, key);
  let meta: Meta;
  try {
    meta = JSON.parse(await readFile(f.meta, 'utf8')) as Meta;
  } catch {
    return undefined;
  }
  if (meta.version !== META_VERSION) return undefined;
  try {
    if ((await stat(f.mp4)).size !== meta.size) return undefined;
    if (meta.captions) await stat(f.srt);
  } catch {
    return undefined;
  }
  return asDraft(f, meta);
}

/** `DraftCache.entries`: one listing of the folder, then only the entries it holds are read. */
function readEntries(dir: string, keys: Iterable<string>): Map<string, CachedDraft & { captionsSize?: number }> {
  const found = new Map<string, CachedDraft & { captionsSize?: number }>();
  let names: Set<string>;
  try {
    // Listed, not probed: the plan snapshot keys the folder's stamp (plan-cache/trace.ts), so a
    // draft added or removed still changes what the plan read.
    names = new Set(readdirSync(dir));
  } catch {
    return found; // no folder: no drafts
  }
  for (const key of keys) {
    if (found.has(key) || !names.has(`${key}.json`)) continue;
    const f = entryFiles(dir, key);
    try {
      const meta = JSON.parse(readFileSync(f.meta, 'utf8')) as Meta;
      if (meta.version !== META_VERSION || statSync(f.mp4).size !== meta.size) continue;
      const captionsSize = meta.captions ? statSync(f.srt).size : undefined;
      found.set(key, { ...asDraft(f, meta), ...(captionsSize !== undefined ? { captionsSize } : {}) });
    } catch {
      // torn meta, a file gone since the listing: a miss, as with `entry`
    }
  }
  return found;
}

/** `DraftCache.put`: the old meta removed first, the files moved in and synced, the new meta written last. */
async function putEntry(dir: string, key: string, renderedFile: string, captions: string | undefined, info: DraftInfo): Promise<CachedDraft> {
  const f = entryFiles(dir, key);
  await mkdirp(dir);
  // Invalidate first: from here until the new meta lands, the entry is a miss, never a mix.
  await removeQuietly(f.meta);
  const { size, sha256 } = await sha256File(renderedFile);
  if (captions) await moveInto(captions, f.srt);
  else await removeQuietly(f.srt);
  await moveInto(renderedFile, f.mp4);
  // The meta must never name bytes that are not yet on disk.
  await syncPath(f.mp4);
  await syncPath(dir);
  const meta: Meta = { version: META_VERSION, size, sha256, captions: Boolean(captions), ...info };
  await writeFileAtomic(f.meta, JSON.stringify(meta, null, 2) + '\n');
  return { path: f.mp4, ...(captions ? { captions: f.srt } : {}), size, sha256, ...info };
}

/** `DraftCache.materialize`: the sidecar, then the video, placed at `outFile`; a miss is E_DRAFT_CACHE_MISS. */
async function materializeEntry(dir: string, key: string, outFile: string): Promise<MaterializedDraft> {
  const hit = await readEntry(dir, key);
  if (!hit) {
    throw new HeygenBuildError('E_DRAFT_CACHE_MISS', `no complete cached draft for key ${key}`, {
      hint: 'render the draft again (it will be cached)',
    });
  }
  const out = path.resolve(outFile);
  await mkdirp(path.dirname(out));
  const srtOut = captionsPathFor(out);
  // Sidecar first, then the video, like renderDraft.
  if (hit.captions) await placeCopy(hit.captions, srtOut, { link: true });
  else await removeQuietly(srtOut);
  await placeCopy(hit.path, out, { link: true });
  return {
    path: out,
    ...(hit.captions ? { captions: srtOut } : {}),
    size: hit.size,
    sha256: hit.sha256,
    ...(hit.seconds !== undefined ? { seconds: hit.seconds } : {}),
  };
}

function asDraft(f: { mp4: string; srt: string }, meta: Meta): CachedDraft {
  return {
    path: f.mp4,
    ...(meta.captions ? { captions: f.srt } : {}),
    size: meta.size,
    sha256: meta.sha256,
    ...(meta.seconds !== undefined ? { seconds: meta.seconds } : {}),
    ...(meta.scenes !== undefined && meta.fps !== undefined ? { scenes: meta.scenes, fps: meta.fps } : {}),
  };
}

/**
 * Serve a draft from the cache, rendering (and caching) it first when it is not there.
 * `render` writes to the temp path it is given.
 */
export async function cachedDraft(
  cache: DraftCache,
  key: string,
  outFile: string,
  render: (tmpFile: string) => Promise<RenderedDraft>,
): Promise<MaterializedDraft & { cached: boolean }> {
  const cached = Boolean(await cache.get(key));
  if (!cached) {
    await mkdirp(cache.dir);
    // Named like every temp of ours (pid inside), so a killed render's leftover is swept.
    const tmp = tempPathFor(path.join(cache.dir, `${key}.mp4`), 'tmp.mp4');
    try {
      const r = await render(tmp);
      await cache.put(key, r.path, r.captions, draftInfo(r));
    } finally {
      await removeQuietly(tmp);
      await removeQuietly(captionsPathFor(tmp));
    }
  }
  return { ...(await cache.materialize(key, outFile)), cached };
}

/** The facts of a rendered draft the cache keeps beside it. */
export function draftInfo(r: RenderedDraft): DraftInfo {
  return { seconds: r.seconds, ...(r.scenes && r.fps ? { scenes: r.scenes, fps: r.fps } : {}) };
}

function checkKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(key)) {
    throw new HeygenBuildError('E_DRAFT_CACHE_KEY', `invalid draft cache key ${JSON.stringify(key)}`, {
      hint: 'cache keys are content hashes: letters, digits, dot, dash and underscore',
    });
  }
}

/** Rename into place, or copy + remove across filesystems (rename cannot cross them). */
async function moveInto(src: string, final: string): Promise<void> {
  try {
    await rename(src, final);
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw fsError(e, final);
  }
  await withTempFile(final, (tmp) => copyFile(src, tmp));
  await removeQuietly(src);
}

/**
 * Put a copy of `src` at `final` atomically: a hard link when `link` is set and the filesystem
 * allows it (no bytes copied), else a copy (a reflink where the filesystem supports it).
 */
export async function placeCopy(src: string, final: string, opts: { link?: boolean } = {}): Promise<void> {
  await withTempFile(final, async (tmp) => {
    if (opts.link) {
      try {
        await link(src, tmp);
        return;
      } catch {
        // EXDEV (another filesystem), EPERM (no hard links here): copy instead
      }
    }
    await copyFile(src, tmp, constants.COPYFILE_FICLONE);
  });
}
