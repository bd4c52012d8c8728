/**
 * Where a project's config is, without loading it: light (node:fs and node:path only), so the plan
 * snapshot's hit path can find the project root the same way the commands do.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as D from './defaults.js';

/** The first config file found in a folder, or undefined when there is none. */
function configIn(dir: string): string | undefined {
  for (const name of D.CONFIG_FILES) {
    const p = resolve(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * The project's config file: the first found in `cwd`, else in the nearest folder above it, as git and npm
 * find theirs (`cd videos && heygen-build plan intro.yaml` plans against the project's config, lockfile and
 * outputs, instead of a config-less project of its own that would render everything again). The search
 * stops at the repository's root (a folder holding `.git`) and at the file system's root. Undefined when
 * there is none.
 */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; ) {
    const found = configIn(dir);
    if (found !== undefined) return found;
    const parent = dirname(dir);
    if (parent === dir || existsSync(resolve(dir, '.git'))) return undefined;
    dir = parent;
  }
}

/** The config a command run in `cwd` uses: `--config`'s file (relative to `cwd`), else the one found as above. */
export function configFileFor(cwd: string, configFile?: string): string | undefined {
  return configFile !== undefined ? resolve(cwd, configFile) : findConfigFile(cwd);
}

/** The project root a command run in `cwd` works in: its config's folder (configFileFor), else `cwd`. */
export function projectRoot(cwd: string, configFile?: string): string {
  const file = configFileFor(cwd, configFile);
  return file !== undefined ? dirname(file) : resolve(cwd);
}
