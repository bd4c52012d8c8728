/**
 * The plan snapshot: `<root>/.heygen/plan/snapshot.json`, the exact output (stdout and stderr, in
 * order) and exit code of the last `plan`, kept with the stamp (stamp.ts) of every input it read.
 * When every input still has its stamp, `plan` prints the kept output without loading the manifest
 * cache, resolving or planning: git's index applied to a whole command.
 *
 * Keyed by: the request (arguments, working folder, whether stdout/stderr are terminals and their
 * width, Node's version and platform, the tool's folder), every environment variable the plan looked up (by a salted
 * digest: no value is ever written), the stamp of every path it read or listed (trace.ts: manifests,
 * assets, data files, the lockfile and its copies, outputs, `.heygen/` caches, `.env`, the config),
 * and the stamp of the tool's own code and its installed dependencies.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRacy, sameStamp, stampOf, type Stamp } from './stamp.js';

const FORMAT = 1;

/** Project-relative path of the snapshot. Its own folder: writing it changes no folder a plan lists. */
export const SNAPSHOT_FILE = join('.heygen', 'plan', 'snapshot.json');

/** One write the plan made: 1 stdout, 2 stderr. */
export type Write = [1 | 2, string];

/** What is kept. */
export interface SnapshotData {
  format: number;
  /** sha256 of the request (see `requestKey`). */
  request: string;
  salt: string;
  /** [name, salted digest of the value or null when unset]. */
  env: [string, string | null][];
  /** [absolute path, stamp] of every input, the tool's code included. */
  files: [string, Stamp][];
  writes: Write[];
  exit: number;
  /** The plan as it was asked, so that a build can run it again at its end (after-build.ts). */
  ask?: Ask;
}

/**
 * How the kept plan was asked: the process's working folder, and what `runPlan` was given (the
 * manifest paths and the parsed flags). No value from the environment: flags carry no secret.
 */
export interface Ask {
  /** The process's working folder, against which relative paths and flags were resolved. */
  dir: string;
  /** The project's folder as `plan` was given it (`--cwd`, resolved). */
  cwd: string;
  /** `--config`, as given. */
  configFile?: string;
  /** `{ paths, opts }`: the manifest paths and the parsed flags of `plan`. */
  request: Record<string, unknown>;
}

/** The folder of the tool's code this module was loaded from (dist/, or src/ under the test runner). */
const TOOL_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The request a snapshot answers: everything about the invocation that may change its output. */
export function requestKey(parts: Record<string, unknown>): string {
  const tty = [process.stdout.isTTY === true, process.stderr.isTTY === true, process.stdout.columns ?? 0];
  // The tool's own folder: the snapshot's stamps are those of the installation that wrote it, so another
  // installation (a global one beside the project's, another checkout) must not replay its output.
  const all = { ...parts, tty, node: process.version, platform: process.platform, arch: process.arch, exec: process.execPath, tool: TOOL_DIR };
  return createHash('sha256').update(JSON.stringify(all)).digest('hex');
}

/** The salted digest a snapshot keeps of an environment variable's value (null: unset). */
export function envDigest(salt: string, value: string | undefined): string | null {
  return value === undefined ? null : createHash('sha256').update(salt).update('\0').update(value).digest('hex').slice(0, 32);
}

/**
 * The tool's own code: every file of the folder this module was loaded from (dist/, or src/ under
 * the test runner), its package.json, and npm's record of the installed dependencies.
 */
export function toolInputs(): string[] {
  const code = TOOL_DIR;
  const pkg = dirname(code.replace(/\/$/, ''));
  const out = [join(pkg, 'package.json')];
  for (const e of readdirSync(code, { recursive: true, withFileTypes: true })) out.push(join(e.parentPath, e.name));
  // npm rewrites node_modules/.package-lock.json on every install: the nearest one above the package.
  for (let dir = pkg; ; dir = dirname(dir)) {
    out.push(join(dir, 'node_modules', '.package-lock.json'));
    if (dirname(dir) === dir) break;
  }
  return out;
}

/** The kept snapshot at `file`, or undefined when missing or unreadable. */
export function readSnapshot(file: string): SnapshotData | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as SnapshotData;
    return data.format === FORMAT && Array.isArray(data.files) && Array.isArray(data.writes) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Why `data` does not answer this request now, or undefined when every input is unchanged. */
export function staleReason(data: SnapshotData, request: string, env: NodeJS.ProcessEnv): string | undefined {
  if (data.request !== request) return 'the command line changed';
  for (const [name, digest] of data.env) if (envDigest(data.salt, env[name]) !== digest) return `${name} changed`;
  for (const [p, stamp] of data.files) if (!sameStamp(stampOf(p), stamp)) return `${p} changed`;
  return undefined;
}

/** What a traced plan gives for keeping: its inputs, its output, and when it started. */
export interface Recorded {
  request: string;
  /** Date.now() before the plan read anything. */
  since: number;
  paths: Iterable<string>;
  /** Stamps the plan's own stats and failed reads gave (any stamp taken after `since` serves, see stamp.ts). */
  stamps?: ReadonlyMap<string, Stamp>;
  /** Paths the plan wrote. */
  written?: ReadonlySet<string>;
  /** Folders the plan listed: only their stamps cover their entries. */
  dirs?: ReadonlySet<string>;
  /** Inputs to check first whatever their age (the lockfile, which every build rewrites). */
  first?: readonly string[];
  env: Iterable<string>;
  writes: Write[];
  exit: number;
  ask?: Ask;
}

/**
 * The snapshot of a finished plan, or why it cannot be kept: an input changed while the plan ran
 * (or too recently for its stamp to show a change: stamp.ts), so its output may not match it.
 */
export function snapshotOf(rec: Recorded, env: NodeJS.ProcessEnv, exclude: string): SnapshotData | string {
  const salt = randomBytes(16).toString('hex');
  const files: [string, Stamp][] = [];
  const paths = new Set(rec.paths);
  paths.delete(exclude);
  for (const p of paths) {
    // What the plan wrote is its own (a cache derived from what it read): kept as it is now.
    if (rec.written?.has(p)) {
      files.push([p, stampOf(p)]);
      continue;
    }
    const seen = rec.stamps?.get(p);
    let s = seen ?? stampOf(p);
    // A folder stat'ed or opened (to fsync a write in it), never listed: its entries are not an input.
    if (s[0] === 'd' && !rec.dirs?.has(p)) s = ['D'];
    // Read while there (a missing read is seen as such, in `stamps`), and gone now.
    if (seen === undefined && s[0] === 'x') return `${p} was deleted during the plan`;
    if (isRacy(s, rec.since)) return `${p} changed during the plan or just before it`;
    files.push([p, s]);
  }
  // The tool's code, which the plan did not read through `fs` (a missing one is simply missing).
  for (const p of toolInputs()) {
    if (paths.has(p)) continue;
    const s = stampOf(p);
    if (isRacy(s, rec.since)) return `${p} changed during the plan or just before it`;
    files.push([p, s]);
  }
  const names = [...new Set(rec.env)].sort();
  return { format: FORMAT, request: rec.request, salt, env: names.map((n) => [n, envDigest(salt, env[n])]), files: byRecency(files, rec.first), writes: rec.writes, exit: rec.exit, ...(rec.ask ? { ask: rec.ask } : {}) };
}

/** How many of the most recently changed inputs `staleReason` checks first. */
const RECENT = 64;

/**
 * The inputs in the order `staleReason` checks them, so that the usual miss stops after a few stats
 * instead of ~25,000: `first` (the lockfile, which every build rewrites, however many files changed
 * since the last one), then the RECENT most recently changed, newest first (a manifest being edited
 * was edited last time too); then the others
 * in the order the plan read them (manifests before outputs); paths that were missing (5,000 caption
 * files not asked for in a 10,000-video project) and folders only stat'ed last. Not a full sort:
 * one pass, ~3 ms for 26,000 inputs where a sort took ~10-15.
 */
function byRecency(files: [string, Stamp][], first: readonly string[] = []): [string, Stamp][] {
  const lead = new Set(first);
  const top: number[] = [];
  const topAt: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const s = (files[i] as [string, Stamp])[1];
    if (s[0] === 'x' || s[0] === 'D') continue;
    const t = Math.max(s[2], s[3]);
    if (top.length === RECENT && t <= (topAt[RECENT - 1] as number)) continue;
    let j = top.length === RECENT ? RECENT - 1 : top.length;
    for (; j > 0 && (topAt[j - 1] as number) < t; j--) {
      top[j] = top[j - 1] as number;
      topAt[j] = topAt[j - 1] as number;
    }
    top[j] = i;
    topAt[j] = t;
  }
  const placed = new Uint8Array(files.length);
  const out: [string, Stamp][] = [];
  // From the end, where the plan read the lockfile (after manifests and outputs), until all are found.
  const leading: [string, Stamp][] = [];
  for (let i = files.length - 1; i >= 0 && leading.length < lead.size; i--) {
    if (!lead.has((files[i] as [string, Stamp])[0])) continue;
    placed[i] = 1;
    leading.unshift(files[i] as [string, Stamp]);
  }
  out.push(...leading);
  for (const i of top) {
    if (placed[i] === 1) continue;
    placed[i] = 1;
    out.push(files[i] as [string, Stamp]);
  }
  const last: [string, Stamp][] = [];
  for (let i = 0; i < files.length; i++) {
    if (placed[i] === 1) continue;
    const f = files[i] as [string, Stamp];
    (f[1][0] === 'x' || f[1][0] === 'D' ? last : out).push(f);
  }
  return out.concat(last);
}

/**
 * Writes the snapshot through the project's cache write (a temp file, whose name the stale-temp sweep
 * knows, renamed over it); loaded only here, after a full plan, so a hit imports nothing but built-ins.
 * Not fsynced: after a power cut an empty or torn snapshot fails `readSnapshot` (a miss), and an old
 * one is checked against every input's stamp like any other. A snapshot that cannot be written only
 * costs speed.
 */
export async function writeSnapshot(file: string, data: SnapshotData): Promise<void> {
  try {
    const { mkdirp, replaceCacheFile } = await import('../fsx/atomic.js');
    await mkdirp(dirname(file));
    await replaceCacheFile(file, JSON.stringify(data));
  } catch {
    // read-only checkout, full disk: the next plan plans in full
  }
}
