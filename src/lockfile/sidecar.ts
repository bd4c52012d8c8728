/**
 * The parsed lockfile, kept as JSON under `.heygen/cache/lockfile.json` and keyed by the sha256 of
 * the lockfile's bytes: a plan of an unchanged 10,000-video lockfile reads it with one JSON.parse
 * (~25 ms, part digests left as text until used) instead of parsing and checking the YAML (~350 ms).
 *
 * It is only ever a copy of what `parseLockfile` returned for exactly those bytes, by the same code
 * (the key holds a digest of the reader's source, util/source-digest.ts): so a hit returns what a
 * parse would, and the lockfile stays the only truth. Anything wrong with the copy (missing,
 * damaged, another digest) makes it a miss, never an error; a copy that cannot be written only
 * costs speed next time.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fsx/atomic.js';
import type { Lockfile } from '../model/lock.js';
import { sourceDigest } from '../util/source-digest.js';

/** Project-relative path of the parsed-lockfile cache. */
export const LOCK_CACHE_FILE = path.join('.heygen', 'cache', 'lockfile.json');

/** What the parse depends on: the reader and its checks, the migration, the model. */
const SOURCES = ['./parse', './parts', './fastread', './scalar', './shape', './seal', './serialize', './compact', '../model/lock', './sidecar', '../hash/key', '../hash/template', '../hash/idempotency'];

interface Sidecar {
  code: string;
  sha256: string;
  /** The lockfile, each video's `parts` kept as its JSON text (see `lazyParts`). */
  lock: Lockfile;
}

type Entry = Record<string, unknown>;

/**
 * Each video's part digests (~20 per video) explain an update; a plan of unchanged videos never
 * reads them. Kept as JSON text, they are parsed on first use: a 10,000-video sidecar then parses
 * as 10,000 strings instead of 200,000 properties. Reading or writing `parts` makes it a plain
 * property again, so spreads, clones and serializing see the object.
 */
function lazyParts(entry: Entry, text: string, file: string): void {
  const settle = (value: unknown): void => {
    Object.defineProperty(entry, 'parts', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(entry, 'parts', {
    enumerable: true,
    configurable: true,
    get(): unknown {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // Only an edit of the cache by hand gets here (it is written atomically, as JSON of an object).
        throw new Error(`the parsed-lockfile cache ${file} is damaged: delete it and run the command again`);
      }
      settle(value);
      return value;
    },
    set: settle,
  });
}

/** The lock with each video's `parts` as JSON text; entries are copied, `lock` is not changed. */
function packParts(lock: Lockfile): Lockfile {
  const videos: Record<string, unknown> = {};
  for (const [id, e] of Object.entries(lock.videos)) videos[id] = { ...e, parts: JSON.stringify(e.parts) };
  return { ...lock, videos } as Lockfile;
}

/** The lock as written by `packParts`, or undefined when an entry does not look like it. */
function unpackParts(lock: Lockfile, file: string): Lockfile | undefined {
  if (typeof lock.videos !== 'object' || lock.videos === null) return undefined;
  for (const e of Object.values(lock.videos) as unknown[]) {
    const parts = (e as Entry | null)?.parts;
    // JSON.stringify of an object: anything else was not written here.
    if (typeof parts !== 'string' || !parts.startsWith('{') || !parts.endsWith('}')) return undefined;
    lazyParts(e as Entry, parts, file);
  }
  return lock;
}

/** The parsed lockfile whose bytes have this sha256, if the cache holds it; undefined otherwise. */
export function readLockCache(file: string, sha256: string): Lockfile | undefined {
  const code = sourceDigest(import.meta.url, SOURCES);
  if (code === null) return undefined;
  try {
    // Synchronous: decoded natively in one piece (the promise API reads 512 KB chunks through a StringDecoder).
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Sidecar> | null;
    if (data?.code !== code || data.sha256 !== sha256 || typeof data.lock !== 'object' || data.lock === null) return undefined;
    return unpackParts(data.lock, file);
  } catch {
    return undefined;
  }
}

/** Keeps `lock`, just parsed from bytes with this sha256, for the next read (best effort, atomic). */
export async function writeLockCache(file: string, sha256: string, lock: Lockfile): Promise<void> {
  const code = sourceDigest(import.meta.url, SOURCES);
  if (code === null) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const data: Sidecar = { code, sha256, lock: packParts(lock) };
    await writeFileAtomic(file, JSON.stringify(data));
  } catch {
    // A read-only checkout or a full disk: the next plan parses the YAML again.
  }
}
