/**
 * `plan` through its snapshot (snapshot.ts): answered from the kept output when no input changed,
 * else planned in full under a trace (trace.ts), and kept for next time when the trace shows the
 * plan depended only on what a snapshot can key. This module loads only Node's built-ins: a hit
 * imports nothing of the planner, nor the trace.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../config/find.js';
import { readSnapshot, requestKey, type Ask, snapshotOf, SNAPSHOT_FILE, staleReason, writeSnapshot, type Write } from './snapshot.js';

/** What a full plan reports back: its exit code, and whether its output may be kept at all. */
export interface FullPlan {
  code: number;
  /** False when the plan may have used the network or the clock (an API key, a remote store, a step summary). */
  keep: boolean;
  /** The config file it loaded, if any. */
  configFile?: string;
  /** Inputs that change with every build (the lockfile): the check of the next snapshot starts with them. */
  first?: readonly string[];
}

/** How to run `plan` through the snapshot. */
export interface SnapshotOptions {
  cwd: string;
  /** `--config`, as given. */
  configFile?: string;
  /** Everything of the command line that may change the output (paths and flags). */
  request: Record<string, unknown>;
  /** The plan in full, printing as usual. */
  run: () => Promise<FullPlan>;
  /** The clock the racy-stamp rule uses (tests move it to keep a snapshot of files written a moment ago). */
  now?: () => number;
  /** Told why the snapshot was not used or not kept (tests, debugging). */
  onMiss?: (why: string) => void;
  /** Print nothing (a build keeping the next plan's snapshot, after-build.ts): only keep. */
  quiet?: boolean;
}

/** Runs `plan` as described above; resolves to its exit code. */
export async function planWithSnapshot(opts: SnapshotOptions): Promise<number> {
  const cwd = resolve(opts.cwd);
  const root = projectRoot(cwd, opts.configFile);
  const file = join(root, SNAPSHOT_FILE);
  const request = requestKey({ ...opts.request, cwd });
  const kept = readSnapshot(file);
  const why = kept ? staleReason(kept, request, process.env) : 'no snapshot';
  if (kept && why === undefined) {
    if (opts.quiet) return kept.exit;
    for (const [fd, text] of kept.writes) (fd === 1 ? process.stdout : process.stderr).write(text);
    return kept.exit;
  }
  opts.onMiss?.(why ?? '');
  const since = (opts.now ?? Date.now)();
  const writes: Write[] = [];
  // Loaded on a miss only: the trace patches node:http, node:https (and so loads tls) and
  // node:worker_threads, ~10 ms of CPU a hit has no use for.
  const { startTrace } = await import('./trace.js');
  const restore = capture(writes, opts.quiet ?? false);
  const trace = startTrace();
  let full: FullPlan;
  try {
    full = await opts.run();
  } finally {
    trace.stop();
    restore();
  }
  const refuse = refusal(full, trace.taints);
  if (refuse) {
    opts.onMiss?.(`not kept: ${refuse}`);
    return full.code;
  }
  const rec = { request, since, paths: [...trace.paths, ...(full.configFile ? [full.configFile] : [])], env: trace.env, stamps: trace.stamps, written: trace.written, dirs: trace.dirs, writes, exit: full.code, ...(full.first ? { first: full.first } : {}), ask: askOf(opts, cwd) };
  const data = snapshotOf(rec, process.env, file);
  if (typeof data === 'string') opts.onMiss?.(`not kept: ${data}`);
  else await writeSnapshot(file, data);
  return full.code;
}

function askOf(opts: SnapshotOptions, cwd: string): Ask {
  return { dir: process.cwd(), cwd, ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}), request: opts.request };
}

function refusal(full: FullPlan, taints: readonly string[]): string | undefined {
  if (full.code !== 0 && full.code !== 2) return `exit code ${full.code}`;
  if (!full.keep) return 'the plan may depend on the network';
  if (taints.length > 0) return taints[0];
  if (full.configFile && !importsOnlyKnown(full.configFile)) return 'the config imports other modules';
  return undefined;
}

/**
 * A config is loaded by `import()`, which the trace does not see: a config that imports a file of
 * the project could change through it. Kept only when it imports nothing but heygen-build and
 * Node's built-ins (what `defineConfig` configs do).
 */
export function importsOnlyKnown(configFile: string): boolean {
  let source: string;
  try {
    // Whole-line and block comments say "import" too; a `//` after code stays (it may be in a string).
    source = readFileSync(configFile, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  } catch {
    return false;
  }
  const uses = source.match(/\bimport\b|\brequire\b/g)?.length ?? 0;
  const known = source.match(/\bimport\s+(?:type\s+)?(?:[\w$*{},\s]+\s+from\s+)?(['"])(?:heygen-build(?:\/[^'"]*)?|node:[\w/]+)\1/g)?.length ?? 0;
  return uses === known;
}

/** Copies what the plan writes to stdout and stderr into `writes`, still writing it unless `quiet`; returns the undo. */
function capture(writes: Write[], quiet: boolean): () => void {
  // Unbound on purpose: the wrappers call them with the stream as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const out = process.stdout.write;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const err = process.stderr.write;
  const wrap = (fd: 1 | 2, orig: typeof out) =>
    function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      writes.push([fd, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')]);
      if (quiet) {
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        if (done) process.nextTick(done);
        return true;
      }
      return (orig as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof out;
  process.stdout.write = wrap(1, out);
  process.stderr.write = wrap(2, err);
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}
