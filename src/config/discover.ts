/** Which manifest files a run reads: the config's globs, or the paths given on the command line. */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { HeygenBuildError } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import { walkManifests } from './walk.js';
import { didYouMean } from '../util/suggest.js';

/**
 * tinyglobby's `isDynamicPattern`, without loading tinyglobby and picomatch for the usual path (a
 * plain folder name has none of the characters a glob is made of).
 */
function isDynamicPattern(p: string): boolean {
  if (/^[\w./ -]*$/.test(p)) return false;
  // An unescaped `*` or `?` always makes a glob (picomatch's scan says so at the first one).
  if (!p.includes('\\') && /[*?]/.test(p)) return true;
  const tg = createRequire(import.meta.url)('tinyglobby') as typeof import('tinyglobby');
  return tg.isDynamicPattern(p);
}

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.heygen/**'];

/**
 * The folder default ids are relative to: the static part of the first manifest glob
 * (`videos/**\/*.yaml` -> `videos`). It comes from the config, never from command-line paths,
 * so `plan videos/a.yaml` and `plan` give a video the same id.
 */
export function manifestsRoot(config: ResolvedConfig): string {
  const first = config.manifests[0] ?? '';
  const parts = first.split('/');
  const fixed: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (isDynamicPattern(p)) break;
    fixed.push(p);
  }
  return fixed.join('/').replace(/^\.\/?/, '');
}

/** The names in `dir`, or none when it cannot be listed. */
function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A native path with POSIX separators, the form manifest paths take in output. */
export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * The globs a run reads manifests with, relative to the project root: the config's, or one per
 * command-line path (a folder becomes `<folder>/**\/*.{yaml,yml}`). Throws E_PATH_NOT_FOUND for a
 * path that names nothing.
 */
export function manifestPatterns(config: ResolvedConfig, paths: string[] = [], cwd = process.cwd()): string[] {
  const patterns: string[] = [];
  if (paths.length === 0) patterns.push(...config.manifests);
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const rel = toPosix(relative(config.root, abs));
    // Outside the root, a folder such as `..` would be walked whole (other projects, their lockfiles).
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
      throw new HeygenBuildError('E_PATH_OUTSIDE', `${p} is outside the project (${config.root}): manifests are read inside it only`, {
        hint: `give paths inside ${config.root}, or run in the other project (-C <dir>)`,
      });
    }
    if (isDynamicPattern(p)) {
      patterns.push(rel);
      continue;
    }
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw pathNotFound(config, p, abs, cwd);
    }
    patterns.push(st.isDirectory() ? `${rel === '' ? '.' : rel}/**/*.{yaml,yml}` : rel);
  }
  return patterns;
}

/**
 * The manifest a video id names (`welcome` -> `videos/welcome.yaml`), as `cwd` would write it: a
 * newcomer from terraform's `-target` or turbo's `--filter` gives the id where a path goes.
 */
function manifestOfId(config: ResolvedConfig, p: string, cwd: string): string | undefined {
  if (/\.ya?ml$/i.test(p)) return undefined;
  const bases = [resolve(cwd, p), resolve(config.root, manifestsRoot(config), p)];
  for (const base of bases) {
    for (const ext of ['.yaml', '.yml']) {
      if (statSync(base + ext, { throwIfNoEntry: false })?.isFile()) return toPosix(relative(resolve(cwd), base + ext));
    }
  }
  return undefined;
}

/** E_PATH_NOT_FOUND for a path given on the command line, with the path most likely meant. */
function pathNotFound(config: ResolvedConfig, p: string, abs: string, cwd: string): HeygenBuildError {
  const manifest = manifestOfId(config, p, cwd);
  if (manifest !== undefined) {
    return new HeygenBuildError('E_PATH_NOT_FOUND', `no such file or folder: ${p}; did you mean ${JSON.stringify(manifest)}?`, {
      hint: `paths name manifest files, folders or globs, not video ids: the manifest of video ${JSON.stringify(p)} is ${manifest}`,
    });
  }
  // `welcome.yml` for `welcome.yaml`, `video/` for `videos/`: the nearest name in the same folder.
  const near = didYouMean(basename(abs), listNames(dirname(abs)));
  const mean = near ? `; did you mean ${JSON.stringify(toPosix(join(dirname(p), near)))}?` : '';
  return new HeygenBuildError('E_PATH_NOT_FOUND', `no such file or folder: ${p}${mean}`, {
    hint: 'give manifest files, folders or globs (quote globs so the shell does not expand them)',
  });
}

/** Absolute paths of the manifests, sorted. `paths` (files, folders or globs) replace the config's globs. */
export async function discoverManifests(config: ResolvedConfig, paths: string[] = [], cwd = process.cwd()): Promise<string[]> {
  const patterns = manifestPatterns(config, paths, cwd);
  // Never our own files: outputs, and the lockfile (a `**/*.yaml` glob would match it).
  const walked = walkManifests(config.root, patterns, config.outDir, config.lockfile);
  if (walked) return walked;
  const ignore = [...IGNORE, `${config.outDir.replace(/\/$/, '')}/**`, config.lockfile];
  const { glob } = await import('tinyglobby');
  const files = await glob(patterns, { cwd: config.root, absolute: true, ignore, expandDirectories: false, dot: false });
  return [...new Set(files)].sort();
}

/**
 * `validate` and `build` with nothing to read are a mistake (a typo in a path or a glob), not a
 * success: "0 manifests valid" would let CI pass without checking anything. `plan` only warns
 * (`W_NO_MANIFESTS`, from `noManifestsError`'s message and hint): with every manifest deleted, its
 * plan still lists the lockfile's videos as orphans.
 */
export function requireManifests(files: readonly string[], globs: readonly string[], hasConfig = true, configFolder = ''): void {
  if (files.length > 0) return;
  throw noManifestsError(globs, hasConfig, configFolder);
}

/** E_NO_MANIFESTS, naming the globs tried (and the folder they are relative to, when not the working one). */
export function noManifestsError(globs: readonly string[], hasConfig = true, configFolder = ''): HeygenBuildError {
  // Globs are relative to the config's folder, which `--config other/heygen.config.ts` moves away from the working folder.
  const where = configFolder ? ` (relative to ${configFolder}/, the config's folder)` : '';
  const tried = (globs.length > 0 ? globs.join(', ') : '(no globs: the config\'s `manifests` is empty)') + where;
  // No config and nothing to read: most likely a folder that is not a project yet.
  const start = hasConfig ? '' : 'no heygen.config.ts here either: `heygen-build init` starts a project (or use -C <dir>); otherwise ';
  return new HeygenBuildError('E_NO_MANIFESTS', `no manifests matched ${tried}`, {
    hint: `${start}manifests are .yaml or .yml files: check the paths given, or the \`manifests\` globs in the config (quote globs so the shell does not expand them)`,
  });
}

/** The config's folder relative to `cwd` when a `--config` elsewhere made it the project root, else ''. */
export function configFolder(config: ResolvedConfig, cwd: string): string {
  const rel = toPosix(relative(resolve(cwd), config.root));
  return rel === '' ? '' : rel;
}
