/**
 * `heygen-build gc` as a library call: removes from `.heygen/` the drafts, scene clips, base
 * compositions, translated videos, export cuts and rows caches that neither the lockfile nor today's
 * manifests ask for (like `dvc gc --workspace`). It needs the whole project: with a manifest in error
 * it cannot tell what is still wanted, so it removes nothing. It holds the build lock while it
 * removes, so no build journals a clip it is deleting, and removes (and reports) the temps killed
 * processes left, as the lock's own sweep would. A dry run lists the very files a run removes.
 */
import { relative, sep } from 'node:path';
import { loadConfig, type LoadConfigOptions } from '../config/index.js';
import { lockfilePath } from '../execute/heygen/provider.js';
import { keepSet } from '../gc/keep.js';
import { sweep, type GcFile, type GcResult } from '../gc/sweep.js';
import { staleTemps } from '../fsx/sweep.js';
import { acquireBuildLock, type BuildLock } from '../lockfile/buildlock.js';
import { readLockfileWithJournal } from '../lockfile/store.js';
import { invalidManifestsError } from './validate.js';
import { hasErrors, openProject } from './project.js';

/** Options of `gc()`. */
export interface GcOptions extends LoadConfigOptions {
  /** List what would go, remove nothing (and take no lock). */
  dryRun?: boolean;
  /** Keep unreferenced files changed less than this long ago, in ms (default `GC_GRACE_MS`). */
  olderThanMs?: number;
}

/** The default grace: a draft build or `watch` writing a new draft right now is never swept from under it. */
export const GC_GRACE_MS = 2 * 60_000;

const projectPath = (root: string, abs: string): string => relative(root, abs).split(sep).join('/');

/** The stale temps a killed process left (the build lock's sweep), as gc files: removed with `remove`, else listed. */
async function tempFiles(root: string, remove: boolean): Promise<GcFile[]> {
  const temps = await staleTemps(root, [], remove);
  return temps.map((t) => ({ path: projectPath(root, t.path), area: 'temp' as const, bytes: t.bytes })).sort((a, b) => a.path.localeCompare(b.path));
}

/** Sweeps the project's `.heygen/` of what nothing asks for; see the module comment. */
export async function gc(opts: GcOptions = {}): Promise<GcResult & { dryRun: boolean; warning?: string }> {
  const config = await loadConfig(opts);
  const project = await openProject({ ...opts, cache: true }, config);
  if (hasErrors(project)) throw invalidManifestsError(project.diagnostics, 'nothing was removed (gc needs every manifest to know what is still wanted)');
  const dryRun = opts.dryRun ?? false;
  let lock: BuildLock | undefined;
  try {
    // The lock's own sweep of what killed processes left is done here, to report each file it removes;
    // a dry run lists the same files (the one function, only listing).
    if (!dryRun) lock = await acquireBuildLock(config.root, { command: 'gc', sweep: false });
    const temps = await tempFiles(config.root, !dryRun);
    const lockfile = await readLockfileWithJournal(lockfilePath(config), { displayPath: config.lockfile });
    const files = project.files.map((f) => projectPath(config.root, f));
    const keep = await keepSet(config, project.specs, lockfile, files);
    const skip = new Set(temps.map((t) => t.path));
    const swept = await sweep(config.root, keep, { dryRun, graceMs: opts.olderThanMs ?? GC_GRACE_MS, skip });
    const removed = [...swept.removed, ...temps];
    const result = { ...swept, removed, bytes: removed.reduce((n, f) => n + f.bytes, 0) };
    return { ...result, dryRun, ...(lock?.warning ? { warning: lock.warning } : {}) };
  } finally {
    await lock?.release();
  }
}
