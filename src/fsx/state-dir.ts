/**
 * `<root>/.heygen` is heygen-build's own folder (caches, scene clips, drafts, temp files, the build
 * lock). A file of that name (a stray `touch`, a tool that wrote its own `.heygen` config) made every
 * write there fail deep inside a build as an internal error (EEXIST from mkdir, ENOTDIR below it):
 * say what it is and what to do before anything is read or written.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HeygenBuildError } from '../errors.js';

/** The project's own folder, relative to its root. */
export const STATE_DIR = '.heygen';

/** Throws E_PATH_NOT_FOUND when `<root>/.heygen` exists and is not a folder (a symlink to one is fine). */
export async function checkStateDir(root: string): Promise<void> {
  const path = join(root, STATE_DIR);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Absent (it is made when needed), or a dangling symlink: mkdir reports the latter clearly enough.
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw e;
  }
  if (isDir) return;
  throw new HeygenBuildError('E_PATH_NOT_FOUND', `${path} is a file, not a folder: heygen-build keeps its caches, scene clips, drafts and build lock in the folder ${STATE_DIR}`, {
    hint: `remove or rename the file ${STATE_DIR} (e.g. \`mv ${STATE_DIR} ${STATE_DIR}.bak\`), then run again: heygen-build makes the folder as needed`,
  });
}
