/**
 * Sweeping temp files a killed process left behind (a crash, SIGKILL, a power cut): our atomic
 * writes and downloads name their temps after the writing pid (see tempPathFor), so a temp is
 * stale when that process no longer runs here, or when it has not been touched for an hour (a
 * pid reused by another process, or a temp from another host on a shared disk).
 */
import * as fsp from 'node:fs/promises';
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

async function isStale(file: string, pid: string, now: number): Promise<boolean> {
  if (pid !== '' && !isAlive(Number(pid))) return true;
  const st = await fsp.lstat(file).catch(() => undefined);
  return st !== undefined && st.isFile() && now - st.mtimeMs > HOUR_MS;
}

/**
 * Removes stale temps in `dir`, and in its subfolders down to `depth` levels. With `scratch`,
 * every file there is a temp (`.heygen/tmp/`), stale once untouched for an hour. Returns what it removed.
 */
export async function sweepDir(dir: string, depth = 0, now = Date.now(), scratch = false): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0 && entry.name !== 'node_modules' && entry.name !== '.git') removed.push(...(await sweepDir(full, depth - 1, now, scratch)));
      continue;
    }
    const pid = scratch ? (tempOwner(entry.name) ?? '') : tempOwner(entry.name);
    if (pid === undefined || !(await isStale(full, pid, now))) continue;
    await fsp.unlink(full).then(
      () => removed.push(full),
      () => undefined,
    );
  }
  return removed;
}

/**
 * Removes stale temp files of ours from the project: `root` itself (the lockfile), `.heygen/`
 * and its subfolders (anything in `.heygen/tmp/` untouched for an hour), and each of `dirs` (relative to root, e.g. the out folder) with its
 * subfolders. Best effort: what cannot be read or removed is left. Returns the removed paths.
 */
export async function sweepStaleTemps(root: string, dirs: readonly string[] = []): Promise<string[]> {
  const now = Date.now();
  const removed = [...(await sweepDir(root, 0, now)), ...(await sweepDir(join(root, '.heygen'), 3, now))];
  // Where drafts are rendered before they enter the cache: a killed render's file has no pid in its name.
  removed.push(...(await sweepDir(join(root, '.heygen', 'tmp'), 0, now, true)));
  for (const d of dirs) removed.push(...(await sweepDir(resolve(root, d), 6, now)));
  return removed;
}
