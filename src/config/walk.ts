/**
 * The usual manifest globs (`videos/**\/*.yaml`, `examples/**\/*.{yaml,yml}`, `videos/*.yaml`) answered
 * by one `readdirSync` (recursive for `**`) instead of tinyglobby: for 10,000 manifests the glob costs ~60 ms of CPU,
 * plus ~15 ms to load tinyglobby and picomatch at every start, where the walk costs ~13 ms.
 *
 * It answers only what it can answer exactly as the glob would (same files, same ignores): every
 * pattern a plain folder followed by `*.<ext>` or `*.{<ext>,...}`, with or without `**\/` before
 * it, plain ignore paths, POSIX
 * paths, no symbolic link met on the way (tinyglobby follows them) and no folder it cannot read.
 * Anything else returns undefined, and the caller globs as before.
 */
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';

/** A folder (or none), then `**\/*.` or `*.` and one extension or a `{a,b}` list of them. */
const SIMPLE = /^((?:[\w-][\w.-]*\/)*)(\*\*\/)?\*\.(?:([\w-]+)|\{([\w-]+(?:,[\w-]+)*)\})$/;
/** A project-relative path with no glob character, no `.`/`..` segment and no leading `/` or `./`. */
const PLAIN = /^(?:[\w-][\w.-]*\/)*[\w-][\w.-]*$/;

interface Simple {
  dir: string;
  /** `**\/` (every folder under `dir`), not only `dir` itself. */
  deep: boolean;
  exts: string[];
}

function simple(pattern: string): Simple | undefined {
  const m = SIMPLE.exec(pattern);
  if (!m) return undefined;
  return { dir: (m[1] ?? '').replace(/\/$/, ''), deep: m[2] !== undefined, exts: (m[3] ?? m[4] ?? '').split(',').map((e) => `.${e}`) };
}

/**
 * Absolute paths of the files the patterns match under `root`, sorted, with the glob's rules:
 * no dot file or dot folder, nothing under `node_modules`, `outDir` or at `lockfile`. Undefined when
 * the patterns or the tree are not ones this walk answers exactly (see above).
 */
export function walkManifests(root: string, patterns: readonly string[], outDir: string, lockfile: string): string[] | undefined {
  if (sep !== '/') return undefined;
  const out = outDir.replace(/\/$/, '');
  if (!PLAIN.test(out) || !PLAIN.test(lockfile)) return undefined;
  const specs = patterns.map(simple);
  if (specs.length === 0 || specs.some((s) => s === undefined)) return undefined;
  const base = root.endsWith('/') ? root : `${root}/`;
  const found = new Set<string>();
  const outPrefix = `${out}/`;
  for (const { dir, deep, exts } of specs as Simple[]) {
    const top = dir === '' ? root : base + dir;
    let entries;
    try {
      entries = readdirSync(top, { recursive: deep, withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // No such folder matches nothing, as the glob says; any other failure is the glob's to handle.
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return undefined;
    }
    for (const e of entries) {
      if (e.isSymbolicLink()) return undefined;
      if (!e.isFile() || !hasExt(e.name, exts)) continue;
      const abs = `${e.parentPath}/${e.name}`;
      if (ignored(abs.slice(base.length), outPrefix, lockfile)) continue;
      found.add(abs);
    }
  }
  return [...found].sort();
}

/** Whether `name` is more than one of the extensions `exts` (each with its dot). */
function hasExt(name: string, exts: readonly string[]): boolean {
  for (const x of exts) if (name.length > x.length && name.endsWith(x)) return true;
  return false;
}

/** A segment that starts with a dot, or is `node_modules`. */
const HIDDEN_SEGMENT = /(?:^|\/)(?:\.|node_modules(?:\/|$))/;

/** A dot segment (dot: false), `node_modules` (and `.git`, `.heygen`: dot folders), the outputs, the lockfile. */
function ignored(rel: string, outPrefix: string, lockfile: string): boolean {
  // One regular expression, not a split: 10,000 arrays of segments were a third of the walk.
  return rel === lockfile || rel.startsWith(outPrefix) || HIDDEN_SEGMENT.test(rel);
}
