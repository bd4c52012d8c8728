/**
 * `<root>/.heygen` is heygen-build's own folder (caches, scene clips, drafts, temp files, the build
 * lock). A file of that name (a stray `touch`, a tool that wrote its own `.heygen` config) made every
 * write there fail deep inside a build as an internal error (EEXIST from mkdir, ENOTDIR below it):
 * say what it is and what to do before anything is read or written.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HeygenBuildError } from '../errors.js';

/** The project's own folder, relative to its root. */
export const STATE_DIR = '.heygen';

/**
 * Makes `<root>/.heygen` if it is missing (a plan or build writes there anyway) and throws
 * E_PATH_NOT_FOUND when something else holds its name. A mkdir rather than a stat: the plan cache
 * (plan-cache/trace.ts) keys a plan on every path it stats, and `.heygen` missing before a first plan
 * and there after it would make the next plan a miss. A folder it cannot make (read-only checkout)
 * is left to the writes that need it, which treat their caches as optional.
 */
export async function checkStateDir(root: string): Promise<void> {
  const path = join(root, STATE_DIR);
  try {
    await mkdir(path, { recursive: true });
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') return;
  }
  const what = await lstat(path).then(
    (st) => (st.isSymbolicLink() ? 'a link to no folder' : 'a file'),
    () => 'not a folder',
  );
  throw new HeygenBuildError('E_PATH_NOT_FOUND', `${path} is ${what}, not a folder: heygen-build keeps its caches, scene clips, drafts and build lock in the folder ${STATE_DIR}`, {
    hint: `remove or rename the file ${STATE_DIR} (e.g. \`mv ${STATE_DIR} ${STATE_DIR}.bak\`), then run again: heygen-build makes the folder as needed`,
  });
}
