/**
 * What a plan read, found by watching it rather than by listing it: every path given to a reading
 * `node:fs` call (file reads, stats, existence checks, folder listings), every environment variable
 * looked up, and anything the snapshot cannot key (a worker thread, a child process, a network
 * request) as a "taint". A list written by hand would be out of date the day someone adds an input
 * (a new cache under `.heygen/`, a data file); a trace cannot forget one that goes through `fs`.
 *
 * It patches the `node:fs`, `node:fs/promises`, `node:child_process`, `node:http(s)` and
 * `node:worker_threads` module objects and `process.env` for the length of one plan, and
 * `syncBuiltinESMExports` makes ESM named imports see the patches. `stop()` puts everything back.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import childProcess from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import workers from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { stampOfStats, type Stamp } from './stamp.js';
import { feedsTrace, setCurrentTrace, type TraceDelta, type TraceSink } from './active.js';
import { fileURLToPath } from 'node:url';

/** What one traced plan read, and why (if at all) its result cannot be kept. */
export interface Trace {
  /** Absolute paths given to a reading `fs` call: files, folders (listed), missing paths. */
  readonly paths: Set<string>;
  /** Folders listed (their stat then covers entries added and removed). */
  readonly dirs: Set<string>;
  /** The stamps of the paths the plan itself stat'ed, as it saw them (saves a stat each when keeping). */
  readonly stamps: Map<string, Stamp>;
  /** Paths the plan wrote (its caches): kept with their stamp after the plan, see snapshot.ts. */
  readonly written: Set<string>;
  /** Environment variable names looked up. */
  readonly env: Set<string>;
  /** Why the plan depends on something a snapshot cannot key; empty when it can be kept. */
  readonly taints: string[];
  /** Puts every patched function back; call once. */
  stop(): void;
}

type Fn = (...args: unknown[]) => unknown;
type Patchable = Record<string, unknown>;

const FS_READS = ['readFile', 'stat', 'lstat', 'access', 'exists', 'open', 'readdir', 'opendir', 'realpath', 'readlink', 'createReadStream', 'statfs'];
const FSP_READS = ['readFile', 'stat', 'lstat', 'access', 'open', 'readdir', 'opendir', 'realpath', 'readlink', 'statfs'];
const CHILD = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'];
const NET = ['request', 'get'];

/** `.`/`..` segments, doubled or trailing separators: a path `resolve` would change. */
const NOT_NORMAL = /[\\/]\.{1,2}(?=[\\/]|$)|[\\/]{2}|[\\/]$/;

function toPath(p: unknown, cwd: string): string | undefined {
  // The usual case (absolute, normalized) without path.resolve: a 10k plan makes ~30k calls.
  if (typeof p === 'string') return isAbsolute(p) && !NOT_NORMAL.test(p) ? p : resolve(cwd, p);
  if (Buffer.isBuffer(p)) return resolve(cwd, p.toString('utf8'));
  if (p instanceof URL) return p.protocol === 'file:' ? fileURLToPath(p) : undefined;
  return undefined; // a file descriptor: its `open` was traced
}

/** A dot segment or node_modules in a path below a listed folder. */
const HIDDEN = /\/(?:\.|node_modules(?:\/|$))/;

type Kind = 'read' | 'list' | 'open' | 'stat' | 'exists';

function kindOf(name: string): Kind {
  if (name === 'readdir' || name === 'opendir') return 'list';
  return name === 'open' || name === 'stat' || name === 'exists' ? name : 'read';
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function opensToWrite(flags: unknown): boolean {
  if (typeof flags === 'string') return !flags.startsWith('r') || flags.includes('+');
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;
  return false;
}

/** One trace's records, and the patches to undo when it stops. */
class Recorder {
  readonly paths = new Set<string>();
  readonly dirs = new Set<string>();
  readonly env = new Set<string>();
  readonly stamps = new Map<string, Stamp>();
  readonly written = new Set<string>();
  readonly taints: string[] = [];
  readonly cwd = process.cwd();
  private readonly undo: (() => void)[] = [];

  /** Puts every patched function back (once; later calls only clear the current trace). */
  stop(): void {
    setCurrentTrace(undefined);
    if (this.undo.length === 0) return;
    for (const u of this.undo.reverse()) u();
    this.undo.length = 0;
    syncBuiltinESMExports();
  }

  // The plan cannot be kept: stop tracing at once, so the rest of it (a cold load) runs untraced.
  taint(what: string): void {
    this.taints.push(what);
    this.stop();
  }

  /** Replaces `obj[name]` (if a function) by `wrap` of it until `stop()`. */
  patch(obj: Patchable, name: string, wrap: (orig: Fn) => Fn): void {
    const orig = obj[name];
    if (typeof orig !== 'function') return;
    const wrapped = wrap(orig as Fn);
    // realpathSync.native and friends: keep the properties callers use.
    for (const k of Object.keys(orig)) (wrapped as unknown as Patchable)[k] = (orig as unknown as Patchable)[k];
    obj[name] = wrapped;
    this.onStop(() => {
      obj[name] = orig;
    });
  }

  /** Runs `undo` when the trace stops (patches are undone last first). */
  onStop(undo: () => void): void {
    this.undo.push(undo);
  }

  /** A stat call's result as the plan saw it (`undefined`: nothing there, `throwIfNoEntry: false`). */
  keepStat(p: string, st: unknown): void {
    if (st === undefined) this.stamps.set(p, ['x']);
    else if (st instanceof fs.Stats) this.stamps.set(p, stampOfStats(st));
  }

  /** The folders below `top` in a recursive listing's entries, as listed folders. */
  addSubdirs(top: string, entries: unknown, opts: object): void {
    if (!(opts as { withFileTypes?: boolean }).withFileTypes || !Array.isArray(entries)) {
      this.taint('a recursive folder listing without file types');
      return;
    }
    for (const e of entries as fs.Dirent[]) {
      if (!e.isDirectory()) continue;
      const dir = join(e.parentPath, e.name);
      // The one recursive lister, the manifest walk (config/walk.ts), skips dot folders and
      // node_modules: their entries are no input, and `.heygen/` changes at every plan.
      if (HIDDEN.test(dir.slice(top.length))) continue;
      this.dirs.add(dir);
      this.paths.add(dir);
    }
  }
}

/** Wraps a reading `fs` function of `kind`: records its path, and the stamp of what it saw. */
function reader(rec: Recorder, kind: Kind) {
  const { paths, dirs, stamps, cwd } = rec;
  return (orig: Fn): Fn =>
    function traced(this: unknown, ...args: unknown[]): unknown {
      const p = toPath(args[0], cwd);
      // Opening to write is not reading: what a plan writes (its caches) is never its input.
      const reading = p !== undefined && !(kind === 'open' && opensToWrite(args[1]));
      if (reading) {
        paths.add(p);
        if (kind === 'list') dirs.add(p);
      }
      let out;
      try {
        out = orig.apply(this, args);
      } catch (e) {
        // What the plan saw: nothing there (kept as it saw it, not as it is when the snapshot is written).
        if (reading && isMissing(e)) stamps.set(p, ['x']);
        throw e;
      }
      if (reading && out instanceof Promise) {
        out.then(
          (st) => kind === 'stat' && rec.keepStat(p, st),
          (e: unknown) => isMissing(e) && stamps.set(p, ['x']),
        );
      } else if (reading && kind === 'stat' && typeof args[args.length - 1] !== 'function') rec.keepStat(p, out);
      else if (reading && kind === 'exists' && out === false) stamps.set(p, ['x']);
      const opts = args[1];
      if (kind === 'list' && p !== undefined && typeof opts === 'object' && opts !== null && (opts as { recursive?: boolean }).recursive) {
        // A recursive listing reads every folder below: each one's stat must be kept too.
        if (out instanceof Promise) out.then((r) => rec.addSubdirs(p, r, opts), () => undefined);
        else rec.addSubdirs(p, out, opts);
      }
      return out;
    };
}

// writeFile(target), rename(temp, target), unlink(target): the target is what the plan wrote.
function writer(rec: Recorder, at: 0 | 1) {
  return (orig: Fn): Fn =>
    function traced(this: unknown, ...args: unknown[]): unknown {
      const p = toPath(args[at], rec.cwd);
      if (p !== undefined) rec.written.add(p);
      return orig.apply(this, args);
    };
}

function tainting(rec: Recorder, what: string) {
  return (orig: Fn): Fn =>
    function tainted(this: unknown, ...args: unknown[]): unknown {
      rec.taint(what);
      return orig.apply(this, args);
    };
}

/** The reads (paths, listings, stamps) and writes of `node:fs` and `node:fs/promises`. */
function patchFs(rec: Recorder): void {
  const fsObj = fs as unknown as Patchable;
  for (const name of FS_READS) {
    rec.patch(fsObj, name, reader(rec, kindOf(name)));
    rec.patch(fsObj, `${name}Sync`, reader(rec, kindOf(name)));
  }
  for (const name of FSP_READS) rec.patch(fsp, name, reader(rec, kindOf(name)));
  // What the plan deletes (a cache's stale delta) is its own too, as what it writes.
  for (const [name, at] of [['writeFile', 0], ['rename', 1], ['copyFile', 1], ['unlink', 0]] as const) {
    rec.patch(fsObj, name, writer(rec, at));
    rec.patch(fsObj, `${name}Sync`, writer(rec, at));
    rec.patch(fsp, name, writer(rec, at));
  }
}

/** What a snapshot cannot key taints the trace: a child process, a network request, a worker thread. */
function patchUnkeyable(rec: Recorder): void {
  for (const name of CHILD) rec.patch(childProcess, name, tainting(rec, `a child process (${name})`));
  for (const name of NET) {
    rec.patch(http, name, tainting(rec, 'a network request'));
    rec.patch(https, name, tainting(rec, 'a network request'));
  }
  rec.patch(globalThis, 'fetch', tainting(rec, 'a network request'));
  const OrigWorker = workers.Worker;
  (workers as unknown as Patchable).Worker = class extends OrigWorker {
    constructor(...args: ConstructorParameters<typeof OrigWorker>) {
      // The cold load's own workers trace their reads and post them (active.ts); any other is unknown input.
      if (!feedsTrace(args[0])) rec.taint('a worker thread');
      super(...args);
    }
  };
  rec.onStop(() => {
    (workers as unknown as Patchable).Worker = OrigWorker;
  });
}

/** The environment variables looked up; listing them all taints the trace. */
function patchEnv(rec: Recorder): void {
  const { env } = rec;
  const realEnv = process.env;
  process.env = new Proxy(realEnv, {
    get(t, k) {
      if (typeof k === 'string') env.add(k);
      return Reflect.get(t, k) as unknown;
    },
    has(t, k) {
      if (typeof k === 'string') env.add(k);
      return Reflect.has(t, k);
    },
    getOwnPropertyDescriptor(t, k) {
      if (typeof k === 'string') env.add(k);
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
    ownKeys(t) {
      rec.taint('the whole environment was read');
      return Reflect.ownKeys(t);
    },
  });
  rec.onStop(() => {
    process.env = realEnv;
  });
}

/** Where the cold load's worker threads send their reads (active.ts). */
function workerSink(rec: Recorder): TraceSink {
  const { paths, dirs, stamps, env } = rec;
  return {
    add(d: TraceDelta): void {
      for (const p of d.paths) paths.add(p);
      for (const p of d.dirs) dirs.add(p);
      // As the worker saw it: the first stamp of a path is the one its read was made against.
      for (const [p, st] of d.stamps) if (!stamps.has(p)) stamps.set(p, st);
      for (const k of d.env) env.add(k);
      for (const t of d.taints) rec.taint(`${t} (in a worker thread)`);
    },
    readAs(p: string, st: fs.Stats): void {
      // Its open was traced (the path is in `paths`); as with a stat call, the first stamp stays.
      if (!stamps.has(p)) stamps.set(p, stampOfStats(st));
    },
  };
}

/** Starts tracing; `stop()` on the result ends it. */
export function startTrace(): Trace {
  const rec = new Recorder();
  patchFs(rec);
  patchUnkeyable(rec);
  patchEnv(rec);
  syncBuiltinESMExports();
  setCurrentTrace(workerSink(rec));
  const { taints, paths, dirs, stamps, written, env } = rec;
  return {
    taints,
    paths,
    dirs,
    stamps,
    written,
    env,
    stop: () => rec.stop(),
  };
}

/**
 * What `trace` recorded since the last drain, emptied from it (a worker's message to the main trace,
 * see active.ts). A path read again later is sent again; the main trace keeps a path's first stamp.
 */
export function drainTrace(trace: Trace): TraceDelta {
  const d: TraceDelta = { paths: [...trace.paths], dirs: [...trace.dirs], stamps: [...trace.stamps], env: [...trace.env], taints: trace.taints.splice(0) };
  trace.paths.clear();
  trace.dirs.clear();
  trace.stamps.clear();
  trace.env.clear();
  return d;
}
