/**
 * Probed media lengths, kept under `.heygen/cache/durations.json` by the sha256 of the file's bytes,
 * so a plan does not start ffmpeg and ffprobe again for a dub source it has measured before (three
 * processes, ~100 ms, on every plan of a project with a dub). Same bytes, same length: a copy under
 * another name is a hit too. Like every cache here it is only a copy: missing, damaged or unwritable
 * means measuring again, never an error.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fsx/atomic.js';

/** Project-relative path of the probed-length cache. */
export const DURATIONS_CACHE_FILE = path.join('.heygen', 'cache', 'durations.json');

const HEX64 = /^[0-9a-f]{64}$/;

/** Seconds by sha256, as last written; empty when the file is missing or unreadable. */
export async function readDurations(root: string): Promise<Map<string, number>> {
  try {
    const data: unknown = JSON.parse(await readFile(path.join(root, DURATIONS_CACHE_FILE), 'utf8'));
    const out = new Map<string, number>();
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return out;
    for (const [k, v] of Object.entries(data)) if (HEX64.test(k) && typeof v === 'number' && Number.isFinite(v) && v >= 0) out.set(k, v);
    return out;
  } catch {
    return new Map();
  }
}

/** Keeps `known` for the next plan (best effort, atomic). */
export async function writeDurations(root: string, known: ReadonlyMap<string, number>): Promise<void> {
  const file = path.join(root, DURATIONS_CACHE_FILE);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(Object.fromEntries([...known].sort(([a], [b]) => (a < b ? -1 : 1)))));
  } catch {
    // A read-only checkout: the next plan probes again.
  }
}
