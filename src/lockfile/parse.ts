/**
 * `heygen.lock.yaml` reader. Anything it cannot read exactly is an error with a code, never a
 * guess: a lockfile read wrong forgets remote ids, and a forgotten id is a video paid for twice.
 */
import type { Document, LineCounter } from 'yaml';
import { newLineCounter, parseDocument } from '../util/yaml.js';
import { HeygenBuildError } from '../errors.js';
import { LOCKFILE_NEWEST, LOCKFILE_VERSION, type Lockfile } from '../model/lock.js';
import { readCanonical } from './fastread.js';
import { shortenParts } from './parts.js';
import { declaresVersion1, isSealed, looksGenerated, truncated } from './seal.js';
import { checkLockfile, ShapeError, type ShapePath } from './shape.js';

/** Options for parsing a lockfile. */
export interface ParseOptions {
  /**
   * Read a file that lacks its end line as if it had one. Only for resealing a file the user has
   * checked is complete (resealLockfile): a cut-short file would otherwise be blessed as whole.
   */
  allowUnsealed?: boolean;
}

/**
 * `file` is only used in messages: pass the path the user knows (usually project-relative).
 * Returns the state in the current format (a format-1 file is migrated: same fields, new version;
 * part digests written longer by older versions are shortened, see parts.ts).
 */
export function parseLockfile(text: string, file: string, opts: ParseOptions = {}): Lockfile {
  checkConflictMarkers(text, file);
  const sealed = opts.allowUnsealed === true || isSealed(text);
  let lock: Lockfile;
  try {
    lock = parseBody(text, file);
  } catch (e) {
    // A generated file cut in the middle of an entry is usually broken YAML or a broken entry: the
    // cut is the cause to report. A format-1 file has no end line, so its errors stay as they are.
    const corrupt = e instanceof HeygenBuildError && e.code === 'E_LOCKFILE_CORRUPT';
    if (corrupt && !sealed && looksGenerated(text) && !declaresVersion1(text)) throw truncated(text, file);
    throw e;
  }
  // Format 1 had no end line: it cannot be checked, and is read as before.
  if (!sealed && lock.version !== 1) throw truncated(text, file, lock);
  lock.version = LOCKFILE_VERSION;
  shortenParts(lock);
  return lock;
}

function parseBody(text: string, file: string): Lockfile {
  // Fast path for files as heygen-build writes them; anything else (or any problem, so that the
  // error can name a line) goes through the full YAML parser.
  const fast = readCanonical(text);
  if (fast) {
    checkVersion(fast, file);
    try {
      return checkLockfile(fast);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
    }
  }
  const lineCounter = newLineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    throw corrupt(file, `invalid YAML: ${firstLine(yamlError.message)}`, pos);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw corrupt(file, `unreadable YAML: ${(e as Error).message}`);
  }
  if (raw === null || raw === undefined) throw corrupt(file, 'the file is empty');

  checkVersion(raw, file);
  try {
    return checkLockfile(raw);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const where = e.path.length > 0 ? `${formatPath(e.path)}: ` : '';
    throw corrupt(file, `${where}${e.message}`, locate(doc, lineCounter, e.path));
  }
}

/** Checked before the shape: a newer format may have any shape, and the fix is to upgrade. */
function checkVersion(raw: unknown, file: string): void {
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && Number.isInteger(version) && version > LOCKFILE_NEWEST) {
    throw new HeygenBuildError(
      'E_LOCKFILE_NEWER',
      `${file} was written by a newer heygen-build (lockfile format ${version}; this version reads formats up to ${LOCKFILE_NEWEST})`,
      { hint: 'Upgrade heygen-build (for example `npm install -D heygen-build@latest`). This version will not touch the file.' },
    );
  }
}

function corrupt(file: string, detail: string, pos?: { line: number; col: number }): HeygenBuildError {
  const at = pos ? `${file}:${pos.line}:${pos.col}` : file;
  return new HeygenBuildError('E_LOCKFILE_CORRUPT', `${at}: the lockfile is corrupt: ${detail}`, {
    hint:
      `Restore it from git, e.g. \`git checkout -- ${file}\`, or fix it by hand. ` +
      'heygen-build never overwrites a lockfile it cannot read: it holds the ids of videos already paid for.',
    location: pos ? { file, line: pos.line, column: pos.col } : undefined,
  });
}

const CONFLICT_MARKER = /^(?:<{7}|>{7}|\|{7})(?: |$)|^={7}$/m;

function checkConflictMarkers(text: string, file: string): void {
  const m = CONFLICT_MARKER.exec(text);
  if (!m) return;
  const line = text.slice(0, m.index).split('\n').length;
  throw new HeygenBuildError('E_LOCKFILE_CONFLICT', `${file}:${line}:1: the lockfile has unresolved merge-conflict markers`, {
    hint:
      'Resolve the conflict keeping every video entry from both sides (for a video present on both, keep the side ' +
      'with status completed or with a remoteId), remove the markers, then run `heygen-build plan` to check. ' +
      `Taking one side whole (\`git checkout --theirs -- ${file}\`) also works but forgets the other side's renders. ` +
      'To have git merge it for you next time, set up the lockfile\'s merge driver (`heygen-build lock merge-driver`, README "Teams and CI").',
    location: { file, line, column: 1 },
  });
}

/** The line of the deepest node on `path` that exists in the document. */
function locate(doc: Document, lc: LineCounter, path: ShapePath): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // For a bad key, point at the key itself (the pair's value node starts after it).
      const keyNode = n > 0 && n === path.length ? findKey(doc, path) : undefined;
      return lc.linePos(keyNode?.range?.[0] ?? range[0]);
    }
  }
  return undefined;
}

function findKey(doc: Document, path: ShapePath): { range?: [number, number, number] } | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined)?.items;
  const name = path[path.length - 1];
  return items?.find((pair) => pair.key?.value === name)?.key;
}

function formatPath(path: ShapePath): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(p) ? (i ? `.${p}` : p) : `[${JSON.stringify(p)}]`))
    .join('');
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
