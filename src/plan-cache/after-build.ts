/**
 * The plan after a build, kept by the build. A build rewrites the lockfile and the outputs, so the
 * snapshot of the plan before it is stale and the first `plan` after it would plan in full (~1.2 s
 * for 10,000 videos). Where the user plans (a snapshot exists), the build's last step runs that same
 * plan, as it was asked then (its flags, its folder, the environment it saw), in this process,
 * through the snapshot's trace, printing nothing: the snapshot it keeps is the one a plan run now
 * would keep, with every input it read stamped. Nothing is trusted of what the build itself
 * loaded: the plan reads everything again, which is what makes it as safe as a plan of its own.
 */
import { join, resolve } from 'node:path';
import { projectRoot } from '../config/find.js';
import { planWithSnapshot, type FullPlan } from './index.js';
import { envDigest, readSnapshot, requestKey, SNAPSHOT_FILE, staleReason, type Ask, type SnapshotData } from './snapshot.js';

/** How a build keeps the next plan's snapshot. */
export interface AfterBuildOptions {
  /** The build's `--cwd` (default: the process's working folder). */
  cwd?: string;
  /** The build's `--config`, as given. */
  configFile?: string;
  /** The plan in full, as `plan` runs it (cli/plan-full.ts), for these paths and flags. */
  run: (paths: string[], flags: Record<string, unknown>) => Promise<FullPlan>;
  /** The clock the racy-stamp rule uses (tests). */
  now?: () => number;
  /** Waits out the racy window after the build's last write (tests pass one that does not wait). */
  settle?: () => Promise<void>;
}

/**
 * A stamp within 50 ms of a change is not trusted (stamp.ts): the lockfile the build saved a moment
 * ago would make the plan unkeepable. A file system with whole-second times (2 s) is not waited for:
 * that plan is simply not kept.
 */
const SETTLE_MS = 60;

/**
 * Keeps the snapshot the next `plan` will hit, as described above; resolves to why it did not, or
 * undefined when it did (or the snapshot was still fresh). Never throws: it only costs the build time.
 */
export async function keepPlanAfterBuild(opts: AfterBuildOptions): Promise<string | undefined> {
  try {
    const cwd = resolve(opts.cwd ?? process.cwd());
    const root = projectRoot(cwd, opts.configFile);
    const kept = readSnapshot(join(root, SNAPSHOT_FILE));
    if (!kept?.ask) return 'no snapshot: this project is not planned here';
    const ask = kept.ask;
    const asked = replayable(ask);
    if (typeof asked === 'string') return asked;
    // A step summary would be written again (and such a plan is never kept); likewise a catalog fetch.
    if (process.env.GITHUB_STEP_SUMMARY || asked.flags.refreshCatalog === true) return 'the plan writes or fetches';
    const env = envAsPlanned(kept);
    if (typeof env === 'string') return env;
    const undo = env();
    let why: string | undefined;
    try {
      const request = requestKey({ ...ask.request, cwd: ask.cwd });
      // Output to a terminal where the plan's went to a pipe (or another width, or another Node): a plan
      // kept here would answer no plan asked the way the last one was, and would replace its snapshot.
      if (request !== kept.request) return 'the build does not print where the last plan printed';
      // A build that changed nothing the plan read (every video unchanged) leaves it as it was.
      if (staleReason(kept, request, process.env) === undefined) return undefined;
      await (opts.settle ?? (() => new Promise<void>((r) => setTimeout(r, SETTLE_MS))))();
      await planWithSnapshot({
        cwd: ask.cwd,
        ...(ask.configFile !== undefined ? { configFile: ask.configFile } : {}),
        request: ask.request,
        run: () => opts.run(asked.paths, asked.flags),
        quiet: true,
        ...(opts.now ? { now: opts.now } : {}),
        onMiss: (w) => {
          if (w.startsWith('not kept')) why = w;
        },
      });
    } finally {
      undo();
    }
    return why;
  } catch (e) {
    // A plan that fails is not kept: the next `plan` says why, in full.
    return `the plan failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The kept plan's paths and flags, when this process can ask it as it was asked (same working folder). */
function replayable(ask: Ask): { paths: string[]; flags: Record<string, unknown> } | string {
  // Relative paths, `--cwd` and `--config` were resolved against the process's folder then.
  if (resolve(process.cwd()) !== ask.dir) return 'the plan was run from another folder';
  const { paths, opts } = ask.request as { paths?: unknown; opts?: unknown };
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return 'unreadable request';
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) return 'unreadable request';
  return { paths: paths, flags: opts as Record<string, unknown> };
}

/**
 * The environment the kept plan saw, where this one differs from it in a way that can be undone:
 * a variable it saw unset (or empty) and the build has (HEYGEN_API_KEY, which the build needed and
 * the plan was run without) is unset (or emptied) for the plan: returns what does that and
 * gives its undo. Any other
 * difference says the next plan will not be asked as the last one was: nothing is kept.
 */
function envAsPlanned(kept: SnapshotData): (() => () => void) | string {
  const changes: [string, string | undefined][] = [];
  for (const [name, digest] of kept.env) {
    const now = process.env[name];
    if (envDigest(kept.salt, now) === digest) continue;
    if (digest === null) changes.push([name, undefined]);
    else if (digest === envDigest(kept.salt, '')) changes.push([name, '']);
    else return `${name} is not what the last plan saw`;
  }
  const before = changes.map(([name]) => [name, process.env[name]] as const);
  const set = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  return () => {
    for (const [name, value] of changes) set(name, value);
    return () => {
      for (const [name, value] of before) set(name, value);
    };
  };
}
