/** What a provider's outputs look like on disk: the one stat pass a plan needs. */
import { readdirSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** A relative path with no `.`/`..` segment, no doubled or leading separator (POSIX or Windows). */
const PLAIN = /^(?![\\/])(?!.*(?:^|[\\/])\.{1,2}(?:[\\/]|$))(?!.*[\\/]{2})(?![A-Za-z]:)[^\0]+$/;

/**
 * Where a folder's listing can stand in for a stat of each name in it: names compare byte for byte
 * as the file system stores them (not on macOS or Windows, whose names may differ from the path
 * asked for in case or Unicode form and still be the same file).
 */
const LISTS = process.platform === 'linux';

/** A folder's names; `undefined` when it cannot be listed (but may hold files: stat them one by one). */
type Listing = Set<string> | 'missing' | undefined;

function listing(dir: string): Listing {
  try {
    return new Set(readdirSync(dir));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : undefined;
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
  for (const p of paths) {
    // Outputs are plain relative paths: joining them is enough (path.resolve is a third of the cost).
    const abs = PLAIN.test(p) ? prefix + p : resolve(root, p);
    if (LISTS) {
      const slash = abs.lastIndexOf('/');
      const dir = slash === 0 ? '/' : abs.slice(0, slash);
      let names = folders.get(dir);
      if (!folders.has(dir)) folders.set(dir, (names = listing(dir)));
      if (names === 'missing' || (names !== undefined && !names.has(abs.slice(slash + 1)))) continue;
    }
    const s = statSync(abs, { throwIfNoEntry: false });
    if (s?.isFile()) sizes.set(p, s.size);
  }
  return sizes;
}
