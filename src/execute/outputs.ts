/** What a provider's outputs look like on disk: the one stat pass a plan needs. */
import { readdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/**
 * What makes a path not plain: a leading separator or drive, a `.`/`..` segment, a doubled
 * separator, a NUL. A plain path (relative, not empty, none of these; POSIX or Windows) is joined to
 * the root as it is. One scan per path, where a pattern of look-aheads over the whole path took three.
 */
const NOT_PLAIN = /^[\\/]|^[A-Za-z]:|(?:^|[\\/])\.{1,2}(?:[\\/]|$)|[\\/]{2}|\0/;

/**
 * Where a folder's listing can stand in for a stat of each name in it: names compare byte for byte
 * as the file system stores them (not on macOS or Windows, whose names may differ from the path
 * asked for in case or Unicode form and still be the same file).
 */
const LISTS = process.platform === 'linux';

/** A folder's names; `unlisted` when it cannot be listed (but may hold files: stat them one by one). */
type Listing = Set<string> | 'missing' | 'unlisted';

function listing(dir: string): Listing {
  try {
    return new Set(readdirSync(dir));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unlisted';
  }
}

/**
 * Sizes of the files among `paths` (project-relative) that exist now. Each folder holding outputs is
 * listed once and only the names in it are stat'ed: a cold plan of 10,000 videos checks ~100 folders,
 * not 20,000 missing videos and sidecars. (The plan snapshot keys a listing by the folder's stamp, so
 * an output added or removed is still seen: plan-cache/trace.ts.)
 */
export function statOutputs(root: string, paths: readonly string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  // Synchronous on purpose: 10,000 stats in a loop cost a third of the same with a promise each.
  const prefix = root.endsWith(sep) ? root : root + sep;
  const folders = new Map<string, Listing>();
  // The folder of the path before: a video's outputs and sidecars come one after another.
  let lastDir = '';
  let lastNames: Listing = 'unlisted';
  for (const p of paths) {
    // Outputs are plain relative paths: joining them is enough (path.resolve is a third of the cost).
    const abs = p !== '' && !NOT_PLAIN.test(p) ? prefix + p : resolve(root, p);
    if (LISTS) {
      const slash = abs.lastIndexOf('/');
      const dir = slash === 0 ? '/' : abs.slice(0, slash);
      if (dir !== lastDir) {
        let names = folders.get(dir);
        if (names === undefined) folders.set(dir, (names = listing(dir)));
        lastDir = dir;
        lastNames = names;
      }
      if (lastNames === 'missing' || (lastNames !== 'unlisted' && !lastNames.has(abs.slice(slash + 1)))) continue;
    }
    const s = statSync(abs, { throwIfNoEntry: false });
    if (s?.isFile()) sizes.set(p, s.size);
  }
  return sizes;
}
