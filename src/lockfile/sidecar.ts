/**
 * The parsed lockfile, kept as JSON under `.heygen/cache/lockfile.json` and keyed by the sha256 of
 * the lockfile's bytes: a plan of an unchanged 10,000-video lockfile reads it with one JSON.parse
 * (~50 ms) instead of parsing and checking the YAML (~350 ms).
 *
 * It is only ever a copy of what `parseLockfile` returned for exactly those bytes, by the same code
 * (the key holds a digest of the reader's source, util/source-digest.ts): so a hit returns what a
 * parse would, and the lockfile stays the only truth. Anything wrong with the copy (missing,
 * damaged, another digest) makes it a miss, never an error; a copy that cannot be written only
 * costs speed next time.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { replaceCacheFile } from '../fsx/atomic.js';
import type { Lockfile } from '../model/lock.js';
import { sourceDigest } from '../util/source-digest.js';

/** Project-relative path of the parsed-lockfile cache. */
export const LOCK_CACHE_FILE = path.join('.heygen', 'cache', 'lockfile.json');

/** What the parse depends on: the reader and its checks, the migration, the model. */
const SOURCES = ['./parse', './parts', './fastread', './scalar', './shape', './seal', './serialize', './compact', '../model/lock', './sidecar', '../hash/key', '../hash/template', '../hash/idempotency'];

interface Sidecar {
  code: string;
  sha256: string;
  lock: Lockfile;
}

/** The parsed lockfile whose bytes have this sha256, if the cache holds it; undefined otherwise. */
export async function readLockCache(file: string, sha256: string): Promise<Lockfile | undefined> {
  const code = sourceDigest(import.meta.url, SOURCES);
  if (code === null) return undefined;
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<Sidecar> | null;
    if (data?.code !== code || data.sha256 !== sha256 || typeof data.lock !== 'object' || data.lock === null) return undefined;
    return data.lock;
  } catch {
    return undefined;
  }
}

/** Keeps `lock`, just parsed from bytes with this sha256, for the next read (best effort, replaced whole). */
export async function writeLockCache(file: string, sha256: string, lock: Lockfile): Promise<void> {
  const code = sourceDigest(import.meta.url, SOURCES);
  if (code === null) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const data: Sidecar = { code, sha256, lock };
    // Replaced whole but not fsync'd (12-20 ms at the end of every build): a power cut leaves the old
    // copy (another digest: a miss), a torn one (not JSON: a miss) or this one.
    await replaceCacheFile(file, JSON.stringify(data));
  } catch {
    // A read-only checkout or a full disk: the next plan parses the YAML again.
  }
}
