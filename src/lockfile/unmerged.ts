/**
 * A build's records while the lockfile has git merge-conflict markers: a `git pull`, `merge` or
 * `stash pop` in the checkout while the build runs. The conflicted file is the user's (they need both
 * sides to resolve it), so the build never writes it. It records every state change in its own journal
 * beside it instead, `heygen.lock.unmerged.yaml`: the build's whole state, as a lockfile, written the
 * same atomic way. Once the conflict is resolved (either side taken whole will do), the next save of
 * this build or the next `build` joins the journal into the lockfile and removes it, and `plan` reads it
 * too: nothing paid is lost, and nothing recorded there is paid again.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HeygenBuildError, isHeygenBuildError } from '../errors.js';
import type { Lockfile } from '../model/lock.js';

/** The journal beside a lockfile (a path, absolute or as shown): `heygen.lock.yaml` -> `heygen.lock.unmerged.yaml`. */
export function unmergedPath(lockfile: string): string {
  const file = `${basename(lockfile).replace(/\.ya?ml$/, '')}.unmerged.yaml`;
  return dirname(lockfile) === '.' ? file : join(dirname(lockfile), file);
}

/** Whether `e` is the lockfile parser's refusal of merge-conflict markers. */
export function isConflict(e: unknown): boolean {
  return isHeygenBuildError(e) && e.code === 'E_LOCKFILE_CONFLICT';
}

/** The journal's records, or undefined when there is none. A journal that does not parse is refused, never ignored. */
export async function readUnmerged(lockAbs: string, lockDisplay: string): Promise<Lockfile | undefined> {
  const display = unmergedPath(lockDisplay);
  let text: string;
  try {
    text = await readFile(unmergedPath(lockAbs), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HeygenBuildError('E_LOCKFILE_UNREADABLE', `cannot read ${display} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { hint: 'check the file permissions' });
  }
  try {
    return (await import('./parse.js')).parseLockfile(text, display);
  } catch (e) {
    // The parser's hint restores the lockfile from git, which has never held this file.
    if (!isHeygenBuildError(e) || e.code === 'E_LOCKFILE_NEWER') throw e;
    throw new HeygenBuildError(e.code, e.message, {
      hint:
        `${display} holds the records of a build that ran while ${lockDisplay} had merge-conflict markers, and git has no copy of it: ` +
        `if it was edited, undo the edit; otherwise move it away and build again (renders it recorded are found again by their Idempotency-Keys within 24 hours)`,
      ...(e.location ? { location: e.location } : {}),
    });
  }
}

/** The lockfile with the journal's records joined in: no record of either is dropped, and the journal's (the build's latest) stay primary. */
export async function joinUnmerged(lock: Readonly<Lockfile>, unmerged: Readonly<Lockfile>): Promise<Lockfile> {
  // Loaded only when there is a journal: a plan's start does without the merge code.
  const { unionLockfiles } = await import('./merge.js');
  const joined = unionLockfiles(unmerged, lock);
  joined.version = lock.version;
  if (lock.base !== undefined) joined.base = lock.base;
  return joined;
}

/**
 * Reads the lockfile (with `read`) and joins the journal into it when there is one (`joined`). A lockfile
 * still conflicted is refused as before, its hint saying where the records of the build went.
 */
export async function readWithUnmerged(read: () => Promise<Lockfile>, lockAbs: string, lockDisplay: string): Promise<{ lock: Lockfile; joined: boolean }> {
  let lock: Lockfile;
  try {
    lock = await read();
  } catch (e) {
    if (!isConflict(e) || !isHeygenBuildError(e)) throw e;
    if ((await readUnmerged(lockAbs, lockDisplay).catch(() => undefined)) === undefined) throw e;
    throw new HeygenBuildError(e.code, e.message, {
      hint: `${e.hint ?? ''} ${unmergedNote(lockDisplay)}`.trim(),
      ...(e.location ? { location: e.location } : {}),
    });
  }
  const unmerged = await readUnmerged(lockAbs, lockDisplay);
  return unmerged ? { lock: await joinUnmerged(lock, unmerged), joined: true } : { lock, joined: false };
}

/** Where a build's records went while the lockfile was conflicted, and what brings them back. */
export function unmergedNote(lockDisplay: string): string {
  return (
    `The renders of the build that ran while it was conflicted are recorded in ${unmergedPath(lockDisplay)}: once the conflict is resolved ` +
    `(taking one side whole, \`git checkout --theirs -- ${lockDisplay}\`, will do), the next \`heygen-build build\` joins them in and pays for none of them again.`
  );
}

/** The build's one warning when it finds the lockfile conflicted at a save. */
export function heldWarning(lockDisplay: string): string {
  const journal = unmergedPath(lockDisplay);
  return (
    `${lockDisplay} has git merge-conflict markers (a git pull, merge or stash pop while this build runs?). It is left as it is for you to resolve: ` +
    `this build records its state in ${journal} instead, and submits nothing new (its plan was read from the lockfile before the change); ` +
    `renders already sent are finished and recorded there. Resolve the conflict (taking one side whole, \`git checkout --theirs -- ${lockDisplay}\`, will do), ` +
    `then run \`heygen-build build\`: it joins ${journal} in and pays for none of its renders again.`
  );
}
