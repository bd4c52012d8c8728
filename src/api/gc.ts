/**
 * `heygen-build gc` as a library call: removes from `.heygen/` the drafts, scene clips, base
 * compositions, translated videos, export cuts and rows caches that neither the lockfile nor today's
 * manifests ask for (like `dvc gc --workspace`). It needs the whole project: with a manifest in error
 * it cannot tell what is still wanted, so it removes nothing. It holds the build lock while it
 * removes, so no build journals a clip it is deleting.
 */
import { relative, sep } from 'node:path';
import { loadConfig, type LoadConfigOptions } from '../config/index.js';
import { lockfilePath } from '../execute/heygen/provider.js';
import { keepSet } from '../gc/keep.js';
import { sweep, type GcResult } from '../gc/sweep.js';
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

/** Sweeps the project's `.heygen/` of what nothing asks for; see the module comment. */
export async function gc(opts: GcOptions = {}): Promise<GcResult & { dryRun: boolean; warning?: string }> {
  const config = await loadConfig(opts);
  const project = await openProject({ ...opts, cache: true }, config);
  if (hasErrors(project)) throw invalidManifestsError(project.diagnostics, 'nothing was removed (gc needs every manifest to know what is still wanted)');
  const dryRun = opts.dryRun ?? false;
  let lock: BuildLock | undefined;
  try {
    if (!dryRun) lock = await acquireBuildLock(config.root, { command: 'gc' });
    const lockfile = await readLockfileWithJournal(lockfilePath(config), { displayPath: config.lockfile });
    const files = project.files.map((f) => relative(config.root, f).split(sep).join('/'));
    const keep = await keepSet(config, project.specs, lockfile, files);
    const result = await sweep(config.root, keep, { dryRun, graceMs: opts.olderThanMs ?? GC_GRACE_MS });
    return { ...result, dryRun, ...(lock?.warning ? { warning: lock.warning } : {}) };
  } finally {
    await lock?.release();
  }
}
