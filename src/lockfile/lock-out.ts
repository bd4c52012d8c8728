/**
 * `build --shard i/n --lock-out <path>`: where the shard's partial lockfile goes, checked before
 * anything is rendered. A bad path used to surface only at the first journal write, after a paid
 * render (a missing folder was a crash), and the project's own lockfile was overwritten by a partial.
 * The path is relative to the working folder (`-C`, else the current one), as every path given on the
 * command line is; the files it must not be are compared by where they really are (`..`, an absolute
 * path or a symlinked folder naming the lockfile are refused alike).
 */

import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { HeygenBuildError } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';

/** `file` with its folder's symlinks resolved (as written when the folder does not exist). */
async function realLocation(file: string): Promise<string> {
  const folder = await realpath(dirname(file)).catch(() => undefined);
  return folder === undefined ? file : join(folder, basename(file));
}

/**
 * Throws E_LOCK_OUT when `display` (relative to `cwd`, the working folder; default the project root)
 * cannot be the shard's partial lockfile. `defaultName` is the default partial, relative to the root.
 */
export async function checkLockOut(config: ResolvedConfig, display: string, manifests: readonly string[], defaultName: string, cwd = config.root): Promise<void> {
  const abs = resolve(cwd, display);
  const refuse = (why: string, hint: string): never => {
    throw new HeygenBuildError('E_LOCK_OUT', `--lock-out ${display} ${why}`, { hint });
  };
  const shown = (p: string): string => relative(cwd, p) || '.';
  const elsewhere = `name a file of its own, e.g. --lock-out ${shown(resolve(config.root, defaultName))} (the default), and merge the partials with \`heygen-build lock merge\``;
  const target = await realLocation(abs);
  const is = async (file: string): Promise<boolean> => (await realLocation(resolve(config.root, file))) === target;
  if (await is(config.lockfile)) refuse('is the project lockfile: a shard writes only its part of the build, and would replace the whole lockfile with it', elsewhere);
  if (config.configFile !== undefined && (await is(config.configFile))) refuse('is the config file', elsewhere);
  // Only a manifest of the same name can be it: the others are not looked up (a project may hold thousands).
  for (const m of manifests) if (basename(m) === basename(target) && (await is(m))) refuse('is a manifest', elsewhere);
  const folder = dirname(abs);
  const inFolder = await stat(folder).catch(() => undefined);
  if (!inFolder) refuse(`is in a folder that does not exist (${shown(folder)})`, `create the folder first (mkdir -p ${shown(folder)}), or pick a path in an existing folder`);
  if (!inFolder!.isDirectory()) refuse(`is inside ${shown(folder)}, which is a file, not a folder`, 'pick a path in an existing folder');
  const there = await stat(abs).catch(() => undefined);
  if (there?.isDirectory()) refuse('is a folder', `name a file in it, e.g. --lock-out ${shown(resolve(abs, basename(defaultName)))}`);
}
