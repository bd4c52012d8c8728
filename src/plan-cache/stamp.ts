/**
 * A file's stamp: what its stat says, compared exactly. Two stamps are equal only when the file is
 * the same file (inode) with the same size, mtime and ctime. ctime is the reason this is safe: no
 * user-level call can set it (a write, a rename, a chmod, a `touch -d` all set it to the clock), so
 * a file rewritten with the same size and a restored mtime still gets a new stamp. A missing path
 * has a stamp too ("absent"), so a file that appears is seen.
 *
 * The one gap is git's "racy" case: a file changed again within the timestamp granularity after its
 * stamp was taken keeps the same stamp. A snapshot therefore never keeps a stamp taken less than
 * `racyMs(stamp)` after its time: see `isRacy`.
 */
import { statSync, type Stats } from 'node:fs';

/**
 * [kind, size, mtimeMs, ctimeMs, ino]; kind 'f' file, 'd' folder, 'o' anything else, 'x' absent, 'D' a
 * folder whose entries were not read (stat'ed or opened to fsync it): only that it is a folder counts.
 */
export type Stamp = ['f' | 'd' | 'o', number, number, number, number] | ['x'] | ['D'];

/** The stamp of `abs` now (stat follows links, as the reads did). */
export function stampOf(abs: string): Stamp {
  let st;
  try {
    st = statSync(abs, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR (a parent is a file) and the like: nothing can be read there, as with a missing path.
    return ['x'];
  }
  return st ? stampOfStats(st) : ['x'];
}

/** The stamp a stat result says. */
export function stampOfStats(st: Stats): Stamp {
  return [st.isFile() ? 'f' : st.isDirectory() ? 'd' : 'o', st.size, st.mtimeMs, st.ctimeMs, st.ino];
}

/** Whether two stamps say the same file in the same state. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  if (b[0] === 'D') return a[0] === 'd';
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A file system with whole-second timestamps (FAT: 2 s, HFS+: 1 s) writes whole seconds; Linux,
 * APFS and NTFS write nanoseconds, stepped at worst by a kernel tick (exFAT: 10 ms). Whole seconds,
 * not whole milliseconds: about one nanosecond time in 4,096 is a whole millisecond as a double, so
 * among 10,000 outputs a few always are, and a plan right after a build could never be kept.
 */
function racyMs(ms: number): number {
  return ms % 1000 === 0 ? 2_000 : 50;
}

/**
 * Whether the file may have changed after `since` (ms since the epoch, taken before the plan read
 * anything) without its stamp showing it: then the stamp taken now may not describe what was read.
 */
export function isRacy(s: Stamp, since: number): boolean {
  if (s[0] === 'x' || s[0] === 'D') return false;
  const changed = Math.max(s[2], s[3]);
  return changed >= since - racyMs(changed);
}
