/**
 * Sweeping temp files a killed process left behind (a crash, SIGKILL, a power cut): our atomic
 * writes and downloads name their temps after the writing pid (see tempPathFor), so a temp is
 * stale when that process no longer runs here, or when it has not been touched for an hour (a
 * pid reused by another process, or a temp from another host on a shared disk).
 */
import * as fsp from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAlive } from './process.js';

const HOUR_MS = 60 * 60 * 1000;

/** Names tempPathFor makes: `.<name>.<pid>.<12 hex>.tmp|part[.ext]`. Group 1 is the pid. */
const OURS = /^\..+\.(\d+)\.[0-9a-f]{12}\.(?:tmp|part)(?:\.[a-z0-9]{1,4})?$/;

/** Names earlier versions used, so their leftovers go too; group 1 is the pid where the name has one. */
const LEGACY: readonly RegExp[] = [
  /^(?:build\.lock|languages-v[23]\.json|manifests\.json)\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/,
  /^\.render-.+-(\d+)-\d+\.(?:mp4|srt)$/,
  /^()\..+\.[0-9a-f]{12}\.part$/,
  /^().+\.(?:mp4|srt)\.part$/,
];

/** The pid a temp name carries ('' when it carries none), or undefined when it is not one of ours. */
export function tempOwner(name: string): string | undefined {
  // Most names in a big out/ or drafts folder are outputs: rule them out without a regex.
  if (!name.endsWith('.tmp') && !name.endsWith('.part') && !name.startsWith('.')) return undefined;
  for (const re of [OURS, ...LEGACY]) {
    const m = re.exec(name);
    if (m) return m[1] ?? '';
  }
  return undefined;
}

/** A temp file a killed process left: its absolute path and size. */
export interface StaleTemp {
  path: string;
  bytes: number;
}

/** Whether a temp of `pid` ('' for a name without one) is stale: its process is gone, or it sat untouched an hour. */
function isStale(st: Stats | undefined, pid: string, now: number): boolean {
  if (pid !== '' && !isAlive(Number(pid))) return true;
  return st !== undefined && st.isFile() && now - st.mtimeMs > HOUR_MS;
}

/** How to look for stale temps: `remove` them (else only list them), from `now`. */
interface TempScan {
  remove: boolean;
  now: number;
}

/**
 * The stale temps in `dir` and its subfolders down to `depth` levels, removed with `scan.remove` (then
 * only those that could be). With `scratch`, every file there is a temp (`.heygen/tmp/`).
 */
async function staleIn(dir: string, depth: number, scan: TempScan, scratch: boolean): Promise<StaleTemp[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: StaleTemp[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0 && entry.name !== 'node_modules' && entry.name !== '.git') found.push(...(await staleIn(full, depth - 1, scan, scratch)));
      continue;
    }
    const pid = scratch ? (tempOwner(entry.name) ?? '') : tempOwner(entry.name);
    if (pid === undefined) continue;
    const st = await fsp.lstat(full).catch(() => undefined);
    if (!isStale(st, pid, scan.now)) continue;
    if (scan.remove && !(await fsp.unlink(full).then(() => true, () => false))) continue;
    found.push({ path: full, bytes: st?.size ?? 0 });
  }
  return found;
}

/**
 * Removes stale temps in `dir`, and in its subfolders down to `depth` levels. With `scratch`,
 * every file there is a temp (`.heygen/tmp/`), stale once untouched for an hour. Returns what it removed.
 */
export async function sweepDir(dir: string, depth = 0, now = Date.now(), scratch = false): Promise<string[]> {
  return (await staleIn(dir, depth, { remove: true, now }, scratch)).map((t) => t.path);
}

/**
 * The stale temp files of ours in the project, removed unless `remove` is false (`gc --dry-run` lists
 * what `gc` removes): `root` itself (the lockfile), `.heygen/` and its subfolders (anything in
 * `.heygen/tmp/` untouched for an hour), and each of `dirs` (relative to root, e.g. the out folder)
 * with its subfolders. Best effort: what cannot be read or removed is left (and not returned).
 */
export async function staleTemps(root: string, dirs: readonly string[] = [], remove = true): Promise<StaleTemp[]> {
  const scan: TempScan = { remove, now: Date.now() };
  const found = [...(await staleIn(root, 0, scan, false)), ...(await staleIn(join(root, '.heygen'), 3, scan, false))];
  // Where drafts are rendered before they enter the cache: a killed render's file has no pid in its name.
  found.push(...(await staleIn(join(root, '.heygen', 'tmp'), 0, scan, true)));
  for (const d of dirs) found.push(...(await staleIn(resolve(root, d), 6, scan, false)));
  // A file two scans reach (`.heygen/tmp/` is inside `.heygen/`) is listed once, as it is removed once.
  return [...new Map(found.map((t) => [t.path, t])).values()];
}

/** Removes stale temp files of ours from the project (see `staleTemps`). Returns the removed paths. */
export async function sweepStaleTemps(root: string, dirs: readonly string[] = []): Promise<string[]> {
  return (await staleTemps(root, dirs)).map((t) => t.path);
}
