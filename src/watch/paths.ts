/**
 * Which paths a watch looks at, and which events it must never react to. Pure path arithmetic, so it
 * can be tested without a file system.
 */
import { basename, dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';

/** What the filters need to know about the project; `outDir` and `lockfile` change with the config. */
export interface ProjectPaths {
  root: string;
  outDir: string;
  lockfile: string;
}

/** A native path with POSIX separators, the form the watch keys files by. */
export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** `abs` relative to the root, POSIX-style; `../...` when outside it. */
export function projectRelative(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}

function under(rel: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '');
  return d === '' || d === '.' ? true : rel === d || rel.startsWith(`${d}/`);
}

/** Editors' and our own temporary files: never a manifest, never an asset. */
const TEMP_NAME = [
  /\.(part|tmp|temp|swp|swx|swo|crdownload|bak|orig)$/i,
  /~$/,
  /^#.*#$/,
  /^4913$/, // vim probes whether it may write a folder with this name
  /^\.DS_Store$/,
];

/**
 * Paths whose events a watch ignores: what builds write (the out folder, `.heygen/`, the lockfile and
 * every temp file), hidden files (editor swap and backup files) and dependency folders. The watch would
 * otherwise trigger itself: each draft it writes would start another run.
 */
export function isIgnoredPath(p: ProjectPaths, abs: string): boolean {
  const rel = projectRelative(p.root, abs);
  if (rel === '') return false;
  const name = basename(abs);
  if (TEMP_NAME.some((re) => re.test(name))) return true;
  if (rel.startsWith('../') || isAbsolute(rel)) return false; // an asset outside the project
  const segments = rel.split('/');
  if (segments.includes('node_modules')) return true;
  // Hidden files and folders: `.git`, `.heygen`, `.alpha.yaml.swp`, `.#alpha.yaml`. `.env` holds the API key.
  if (segments.some((s) => s.startsWith('.')) && rel !== '.env') return true;
  const out = projectRelative(p.root, resolve(p.root, p.outDir));
  if (out !== '' && !out.startsWith('../') && under(rel, out)) return true;
  const lock = projectRelative(p.root, resolve(p.root, p.lockfile));
  return rel === lock;
}

/** The fixed folder a glob starts from: `videos/**\/*.yaml` -> `videos`, `**\/*.yaml` -> ``. */
export function globBase(pattern: string): string {
  const parts = toPosix(pattern).split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  // The last part is a base only when the whole pattern is static (a plain path).
  if (fixed.length === parts.length - 1 && parts.length > 0 && !isDynamicPattern(parts[parts.length - 1] ?? '')) {
    return posix.dirname(parts.join('/'));
  }
  return fixed.join('/').replace(/^\.\/?/, '');
}

/**
 * Folders to watch recursively for manifests: the fixed part of each glob, or the folders/globs/files
 * given on the command line (a single file is watched through its folder: editors that save by
 * renaming a new file over the old one would otherwise lose a file watch).
 */
export function manifestFolders(root: string, cwd: string, globs: string[], paths: string[]): string[] {
  const folders = new Set<string>();
  if (paths.length === 0) for (const g of globs) folders.add(resolve(root, globBase(g)));
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (isDynamicPattern(p)) folders.add(resolve(cwd, globBase(p)));
    else if (/\.ya?ml$/i.test(p)) folders.add(dirname(abs));
    else folders.add(abs);
  }
  return minimalFolders([...folders]);
}

/** Drop folders inside another one of the list: a recursive watch of the outer one covers them. */
export function minimalFolders(folders: string[]): string[] {
  const sorted = [...new Set(folders)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const f of sorted) if (!kept.some((k) => isInside(k, f))) kept.push(f);
  return kept.sort();
}

/** True when `child` is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The asset path in an `E_ASSET_MISSING` message ("... (looked for videos/bg.png)"), so its return can be seen. */
export function missingAssetPath(message: string): string | undefined {
  return /\(looked for ([^)]+)\)/.exec(message)?.[1];
}
