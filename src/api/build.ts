/**
 * `build` as a library call. Loads the project once, takes the build lock (when the provider journals
 * to the lockfile), reads the provider's state once, plans once, checks, and executes exactly that plan.
 */
import { HeygenBuildError, type Diagnostic } from '../errors.js';
import { checkConcurrency, configFolder, loadConfig, manifestPatterns, requireManifests } from '../config/index.js';
import { chooseProvider, loadProvider } from '../execute/choose.js';
import type { BuildCounts, EventSink } from '../execute/events.js';
import type { Provider, ProviderKind } from '../execute/provider.js';
import { acquireBuildLock, type BuildLock } from '../lockfile/buildlock.js';
import { sweepDir, sweepStaleTemps } from '../fsx/sweep.js';
import { resolve } from 'node:path';
import type { ProviderName } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import { locateVideo } from '../manifest/place.js';
import type { Plan, Shard } from '../model/plan.js';
import type { ResolvedConfig } from '../model/config.js';
import { shardConcurrency } from '../plan/shard.js';
import type { JournalTarget } from '../execute/heygen/provider.js';
import { planWith, problemError, stops } from './pipeline.js';
import { hasErrors, openProject, type Project, type ProjectOptions } from './project.js';
import { invalidManifestsError } from './validate.js';
import { checkStateDir } from '../fsx/state-dir.js';
import type { SavedItem, SavedPlan } from '../plan/saved.js';

/** Options of `build()`: the project, provider, parallelism, credit budget, event sink and abort signal. */
export interface BuildOptions extends ProjectOptions {
  provider?: ProviderName;
  concurrency?: number;
  maxCredits?: number;
  failFast?: boolean;
  /** Abort = Ctrl-C: stop submitting, record what is in flight, return. */
  signal?: AbortSignal;
  emit?: EventSink;
  env?: NodeJS.ProcessEnv;
  /** A project already loaded (watch passes its own): nothing is read again. */
  project?: Project;
  /**
   * Build only this static shard of the plan (see plan/shard.ts). Its lockfile changes go to `lockOut`
   * (default: the partial lockfile beside the lockfile), and without `concurrency` it takes
   * its share of heygen.concurrency (plan/shard.ts `shardConcurrency`: ⌊cap / count⌋, the remainder
   * to the last shards), since HeyGen's cap is per account.
   */
  shard?: Shard;
  /**
   * Where a shard writes its partial lockfile: absolute, or relative to `cwd` (the working folder, like
   * every path given on the command line: the manifest paths, `--config`, `export`'s folder), not to the project root.
   */
  lockOut?: string;
  /**
   * `submit` (`build --detach`): submit as usual, then return without waiting for renders; a later build
   * collects them. `collect` (the webhook receiver): submit nothing, finish only what is done at HeyGen.
   */
  detach?: 'submit' | 'collect';
  /** `build --take-over-stale`: take over stale remote-store claims with their holder's Idempotency-Key (src/remote/claims.ts). */
  takeOverStale?: boolean;
  /**
   * `build --plan <file>`: a `plan --json` document (`plan --out`), absolute or relative to `cwd`. The build
   * refuses (E_PLAN_STALE, nothing sent) when it would do anything that plan did not show, and spends at
   * most its total (src/plan/saved.ts).
   */
  savedPlan?: string;
}

/** What `build()` did: the provider and plan it ran, whether every item succeeded, and the counts. */
export interface BuildResult {
  provider: ProviderKind;
  plan: Plan;
  ok: boolean;
  interrupted: boolean;
  counts: BuildCounts;
  /** The lockfile had merge-conflict markers at the end: where this build's records are instead (see ExecuteResult). */
  unmerged?: string;
}

/** The error `build()` throws when manifests have errors, saying nothing was built. */
export function invalidManifests(diagnostics: Diagnostic[]): HeygenBuildError {
  return invalidManifestsError(diagnostics, 'nothing was built');
}

/**
 * Plans and builds a project exactly once per content change, reporting progress as events; stops submitting on abort.
 */
export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  // Checked here too: with `project` given, no config load checks it, and a NaN would start no draft at all.
  if (opts.concurrency !== undefined) checkConcurrency(opts.concurrency);
  const started = performance.now();
  const emit: EventSink = opts.emit ?? (() => undefined);
  const signal = opts.signal ?? new AbortController().signal;
  // Read first: a missing or damaged plan file fails before anything else is read.
  const saved = opts.savedPlan === undefined ? undefined : await readSaved(opts.savedPlan, opts.cwd);
  const opened = opts.project ?? (await openProject(opts, await loadConfig({
    ...opts,
    overrides: {
      ...opts.overrides,
      ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.maxCredits !== undefined ? { maxCredits: opts.maxCredits } : {}),
    },
  })));
  const project = saved ? withBudget(opened, saved.plan.credits) : opened;
  // openProject checked it; a project the caller opened (watch, the API) may be older than a file named .heygen.
  if (opts.project) await checkStateDir(project.config.root);
  const choice = chooseProvider(project.config, opts.env ?? process.env, 'build');
  if (hasErrors(project)) throw invalidManifests(project.diagnostics);
  if (choice.notice) emit({ type: 'warning', message: choice.notice });

  const journal = opts.shard ? await shardJournal(project, opts.shard, opts.lockOut, resolve(opts.cwd ?? process.cwd())) : undefined;
  const provider = await loadProvider(choice.provider, shareConcurrency(project.config, opts), {
    refreshCatalog: opts.refreshCatalog ?? false,
    ...(journal ? { journal } : {}),
    ...(opts.concurrency !== undefined ? { draftJobs: opts.concurrency } : {}),
  });
  let lock: BuildLock | undefined;
  let result: BuildResult;
  try {
    const { root, outDir } = project.config;
    if (provider.journals) {
      // Taking the lock also sweeps what a killed build left in the root and .heygen/.
      // The receiver holds the lock for one item at a time (briefly): a build waits for it to finish.
      lock = await acquireBuildLock(root, { command: opts.detach === 'collect' ? 'webhooks listen (collecting)' : 'build', brief: opts.detach === 'collect', waitForBrief: true });
      if (lock.warning) emit({ type: 'warning', message: lock.warning });
      await sweepDir(resolve(root, outDir), 6);
    } else {
      await sweepStaleTemps(root, [outDir]);
    }
    result = await run(provider, project, opts, emit, signal, journal, saved?.check);
  } finally {
    await provider.close();
    await lock?.release();
  }
  // The exports read what the build recorded (not under the build lock: they only read it). Watch's
  // rebuilds are drafts in flux: it exports nothing.
  if (project.config.exports && !opts.project && !result.interrupted) {
    const { configuredExports } = await import('../export/after-build.js');
    if (!(await configuredExports(project, emit, signal))) result = { ...result, ok: false };
  }
  // Last: when `done` is seen, the lock is released and every connection closed.
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  emit({ type: 'done', ok: result.ok, interrupted: result.interrupted, counts: result.counts, seconds, ...(result.unmerged !== undefined ? { unmerged: result.unmerged } : {}) });
  return result;
}

/** A saved plan, and the check of a plan against it (loaded only for `--plan`). */
interface Saved {
  plan: SavedPlan;
  check: (plan: Plan, provider: string) => void;
}

async function readSaved(file: string, cwd: string | undefined): Promise<Saved> {
  const [{ readSavedPlan, checkSavedPlan }, { planToJson }] = await Promise.all([import('../plan/saved.js'), import('../reporters/plan.js')]);
  const plan = await readSavedPlan(resolve(cwd ?? process.cwd(), file), file);
  // Compared as `plan --json` shows it, the document the saved plan is.
  return { plan, check: (now, provider) => checkSavedPlan(plan, provider, (planToJson(now) as { items: SavedItem[] }).items) };
}

/** `project` with its budget at most `credits`: the saved plan's total is the most a build with it spends. */
function withBudget(project: Project, credits: number): Project {
  const own = project.config.budget.maxCredits;
  // The saved total is the sum of the same estimates: a hair of float slack, never a credit more.
  const maxCredits = Math.min(own ?? Infinity, credits + 1e-9);
  return { ...project, config: { ...project.config, budget: { ...project.config.budget, maxCredits } } };
}

async function run(provider: Provider, project: Project, opts: BuildOptions, emit: EventSink, signal: AbortSignal, journal: JournalTarget | undefined, checkSaved?: Saved['check']): Promise<BuildResult> {
  const shard = opts.shard && { ...opts.shard, ...(provider.journals && journal ? { lockOut: journal.display } : {}) };
  // No manifest matched and nothing to prune: a wrong path or glob, not a success. (With every manifest
  // deleted, the build still runs: it drops their entries from the lockfile.) Watch builds what it has.
  const matchedNothing = (plan: Plan): boolean => !opts.project && project.files.length === 0 && !plan.items.some((i) => i.action === 'orphan');
  const planned = await planWith(provider, project, {
    mode: 'build',
    signal,
    ...(opts.replace ? { replace: opts.replace } : {}),
    // An empty plan is not shown before the error that says no manifest matched.
    onPlan: (plan) => matchedNothing(plan) || emit({ type: 'plan', provider: provider.name, plan, ...(shard ? { shard } : {}) }),
    ...(opts.shard ? { shard: opts.shard, ...(opts.concurrency === undefined ? { shardCap: project.config.heygen.concurrency } : {}) } : {}),
  });
  if (matchedNothing(planned.plan)) {
    const cwd = opts.cwd ?? process.cwd();
    requireManifests(project.files, manifestPatterns(project.config, opts.paths ?? [], cwd), project.config.configFile !== undefined, configFolder(project.config, cwd));
  }
  // Before the checks: a plan that grew since it was saved is stale, not over a budget it never had.
  checkSaved?.(planned.plan, provider.name);
  const problem = planned.problems.find((p) => stops(p, 'build'));
  if (problem) throw problemError(problem, planned.problems.filter((p) => stops(p, 'build')), project.config.root);
  for (const p of planned.problems.filter((x) => x.effect !== 'note')) emit({ type: 'warning', message: p.hint ? `${p.message} (hint: ${p.hint})` : p.message });
  if (opts.takeOverStale && !project.config.remote) {
    // Claims live in the remote store: without one there is nothing to take over, and silence would read as done.
    emit({ type: 'warning', message: '--take-over-stale does nothing here: no remote store is configured, and claims live in one (hint: set remote in heygen.config.ts, or drop the flag)' });
  }
  // A shard's partial lockfile, written now (also with nothing to build) and stamped with what it was dealt from.
  if (planned.dealt) await (await import('../lockfile/merge-shard.js')).stampShard(planned.state, planned.dealt);
  // A shard sees every manifest but builds its slice only: it must not prune the others' entries.
  const ctx = {
    emit,
    signal,
    failFast: opts.failFast ?? false,
    partial: project.partial || opts.shard !== undefined,
    facts: planned.facts,
    ...(project.assets ? { assets: project.assets } : {}),
    // A render HeyGen failed is reported where its manifest declares the video or scene.
    place: (spec: VideoSpec, scene?: number) => locateVideo(project.config.root, spec, scene),
    ...(opts.detach ? { detach: opts.detach } : {}),
    ...(opts.takeOverStale ? { takeOverStale: true } : {}),
  };
  const r = await provider.execute(planned.plan, project.specs, planned.state, ctx);
  // Records kept beside a conflicted lockfile are not in it yet: not a success, whatever was rendered.
  const ok = r.counts.failed === 0 && !r.interrupted && r.unmerged === undefined;
  return { provider: provider.name, plan: planned.plan, ok, interrupted: r.interrupted, counts: r.counts, ...(r.unmerged !== undefined ? { unmerged: r.unmerged } : {}) };
}

/** A shard's share of the account's concurrency, unless --concurrency said how many this job takes. */
function shareConcurrency(config: ResolvedConfig, opts: BuildOptions): ResolvedConfig {
  if (!opts.shard || opts.concurrency !== undefined) return config;
  const concurrency = shardConcurrency(config.heygen.concurrency, opts.shard);
  return { ...config, heygen: { ...config.heygen, concurrency } };
}

/**
 * Where a shard journals: its partial lockfile (see lockfile/merge-shard.ts, imported only for a shard:
 * it brings the lockfile's YAML reader, which a build reading the parsed cache never needs). `--lock-out`
 * is relative to the working folder `cwd`; the default sits beside the lockfile, in the project root.
 */
async function shardJournal(project: Project, shard: Shard, lockOut: string | undefined, cwd: string): Promise<JournalTarget> {
  const { config } = project;
  const fallback = (await import('../lockfile/merge-shard.js')).partialLockPath(config.lockfile, shard);
  if (lockOut === undefined) return { path: resolve(config.root, fallback), display: fallback };
  // Checked before anything is rendered: a bad path would otherwise fail the first journal write, after a paid render.
  await (await import('../lockfile/lock-out.js')).checkLockOut(config, lockOut, project.files, fallback, cwd);
  return { path: resolve(cwd, lockOut), display: lockOut };
}
