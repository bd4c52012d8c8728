/**
 * Joining into a running build's lockfile what another writer put in the file meanwhile (a `git pull`,
 * `git checkout` or `lock merge` during the build): the build holds the lock against other builds, not
 * against git. Without this, the build's next save wrote its own state over the file, and the records
 * the other writer brought (renders paid on another machine or branch) were gone, to be paid again.
 * The join is merge.ts's: no record of a render is dropped; the build's entries stay primary.
 */
import { canonicalJson } from '../hash/canonical.js';
import type { Lockfile } from '../model/lock.js';
import { unionEntry } from './merge.js';

const same = (x: unknown, y: unknown): boolean => canonicalJson(x) === canonicalJson(y);

/**
 * Adds to `lock` (the store's tracked state, so each changed entry is saved) every record of `theirs`
 * it lacks: videos and their translations (another key of a video kept as an alternate), clips, assets.
 * Returns how many entries changed.
 */
export function absorbLockfile(lock: Lockfile, theirs: Readonly<Lockfile>): number {
  let changed = 0;
  for (const [id, entry] of Object.entries(theirs.videos)) {
    const ours = lock.videos[id];
    const joined = unionEntry(ours, entry)!;
    if (ours && same(joined, ours)) continue;
    lock.videos[id] = joined;
    changed++;
  }
  for (const [key, clip] of Object.entries(theirs.clips ?? {})) {
    if ((lock.clips ??= {})[key] !== undefined) continue;
    lock.clips[key] = clip;
    changed++;
  }
  for (const [key, asset] of Object.entries(theirs.assets)) {
    if (lock.assets[key] !== undefined) continue;
    lock.assets[key] = asset;
    changed++;
  }
  return changed;
}
