/**
 * `build --shard i/n --lock-out <path>`: where the shard's partial lockfile goes, checked before
 * anything is rendered. A bad path used to surface only at the first journal write, after a paid
 * render (a missing folder was a crash), and the project's own lockfile was overwritten by a partial.
 */

import { stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { HeygenBuildError } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';

/** Throws E_LOCK_OUT when `display` (relative to the project root) cannot be the shard's partial lockfile. */
export async function checkLockOut(config: ResolvedConfig, display: string, manifests: readonly string[], defaultName: string): Promise<void> {
  const abs = resolve(config.root, display);
  const refuse = (why: string, hint: string): never => {
    throw new HeygenBuildError('E_LOCK_OUT', `--lock-out ${display} ${why}`, { hint });
  };
  const elsewhere = `name a file of its own, e.g. --lock-out ${defaultName} (the default), and merge the partials with \`heygen-build lock merge\``;
  if (abs === resolve(config.root, config.lockfile)) refuse('is the project lockfile: a shard writes only its part of the build, and would replace the whole lockfile with it', elsewhere);
  if (config.configFile !== undefined && abs === resolve(config.configFile)) refuse('is the config file', elsewhere);
  if (manifests.some((m) => resolve(config.root, m) === abs)) refuse('is a manifest', elsewhere);
  const folder = dirname(abs);
  const inFolder = await stat(folder).catch(() => undefined);
  if (!inFolder) refuse(`is in a folder that does not exist (${relative(config.root, folder) || '.'})`, `create the folder first (mkdir -p ${relative(config.root, folder)}), or pick a path in an existing folder`);
  if (!inFolder!.isDirectory()) refuse(`is inside ${relative(config.root, folder)}, which is a file, not a folder`, 'pick a path in an existing folder');
  const target = await stat(abs).catch(() => undefined);
  if (target?.isDirectory()) refuse('is a folder', `name a file in it, e.g. --lock-out ${relative(config.root, resolve(abs, defaultName))}`);
}
