/**
 * Re-seals a lockfile the user has checked is complete but that lacks its end line (the line was
 * deleted by hand, or a YAML tool rewrote the file without comments). Everything else is checked
 * as usual: conflict markers, broken YAML and unknown fields are still refused.
 *
 * Not for a file refused as cut short by a disk or a copy: restore that one from git, since
 * resealing it would record the lost videos as never rendered.
 */
import { readFile } from 'node:fs/promises';
import { HeygenBuildError } from '../errors.js';
import { parseLockfile } from './parse.js';
import { serializeLockfile } from './serialize.js';
import { writeLockfile, type LockfileIoOptions } from './store.js';

/** What resealing did: whether the file changed, and how many videos it holds. */
export interface ResealResult {
  /** False when the file was already sealed and canonical (nothing written). */
  changed: boolean;
  videos: number;
  assets: number;
}

/**
 * Rewrites a lockfile that lacks its end line, once the user has checked it is complete; every other check still
 * applies.
 */
export async function resealLockfile(absPath: string, opts: LockfileIoOptions = {}): Promise<ResealResult> {
  const display = opts.displayPath ?? absPath;
  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HeygenBuildError('E_LOCKFILE_UNREADABLE', `cannot read the lockfile ${display} (${code ?? String(e)})`, {
      hint: code === 'ENOENT' ? 'there is no lockfile to reseal: `heygen-build build` writes one' : 'check the file permissions',
    });
  }
  const lock = parseLockfile(text, display, { allowUnsealed: true });
  const changed = serializeLockfile(lock) !== text;
  if (changed) await writeLockfile(absPath, lock, opts.fs ? { fs: opts.fs } : {});
  return { changed, videos: Object.keys(lock.videos).length, assets: Object.keys(lock.assets).length };
}
