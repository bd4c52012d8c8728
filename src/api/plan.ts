/** `plan` as a library call: everything `heygen-build plan` does, minus printing. */
import type { Diagnostic } from '../errors.js';
import { chooseProvider, loadProvider } from '../execute/choose.js';
import type { Problem, ProviderKind } from '../execute/provider.js';
import type { ProviderName, ResolvedConfig } from '../model/config.js';
import { emptyLockfile, type Lockfile } from '../model/lock.js';
import type { Plan } from '../model/plan.js';
import type { VideoSpec } from '../model/spec.js';
import { configFolder, loadConfig, manifestPatterns, noManifestsError } from '../config/index.js';
import { planWith, problemError, stops } from './pipeline.js';
import { hasErrors, openProject, type Project, type ProjectOptions } from './project.js';

/** Options of `plan()`: the project and which provider to plan for. */
export interface PlanOptions extends ProjectOptions {
  /** `heygen` plans against the lockfile (no key needed), `local` against the draft cache; default from the config (`auto`). */
  provider?: ProviderName;
  env?: NodeJS.ProcessEnv;
  /** A project already loaded (watch): nothing is read again. */
  project?: Project;
}

/**
 * What `plan()` returns: the config and provider, the specs, what is recorded, and the plan or the diagnostics that
 * prevent one.
 */
export interface PlanResult {
  config: ResolvedConfig;
  /** The provider the plan is for. */
  provider: ProviderKind;
  /** One line when the provider choice may surprise (no key: drafts). */
  notice?: string;
  specs: readonly VideoSpec[];
  /** What is recorded: lockfile entries (HeyGen) or draft-cache hits (drafts), in the lockfile's shape. */
  lock: Readonly<Lockfile>;
  /** Errors mean no plan: fix the manifests first. */
  diagnostics: Diagnostic[];
  plan?: Plan;
  /** What a build would refuse, as warnings (what the API cannot express, the budget). */
  warnings: string[];
  /** What will happen that the manifests do not say (the avatar's default voice speaks a scene). */
  notes: string[];
  /** All the checks found, warnings included. */
  problems: Problem[];
  timings: Project['timings'] & { state: number; plan: number; checks: number };
  cacheHits: number;
  partial: boolean;
}

/**
 * Loads the project and plans it for the chosen provider, with the same checks as `build`. Throws when
 * a check says the input is wrong (an unknown translation language); invalid manifests give no `plan`
 * and their `diagnostics`.
 */
export async function planProject(opts: PlanOptions = {}, config?: ResolvedConfig): Promise<PlanResult> {
  const project =
    opts.project ?? (await openProject(opts, config ?? (await loadConfig({ ...opts, overrides: { ...opts.overrides, provider: opts.provider } }))));
  const choice = chooseProvider(project.config, opts.env ?? process.env, 'plan');
  const base = {
    config: project.config,
    provider: choice.provider,
    ...(choice.notice ? { notice: choice.notice } : {}),
    specs: project.specs,
    diagnostics: project.diagnostics,
    cacheHits: project.cacheHits,
    partial: project.partial,
  };
  if (hasErrors(project)) {
    const timings = { ...project.timings, state: 0, plan: 0, checks: 0 };
    return { ...base, lock: emptyLockfile(), warnings: [], notes: [], problems: [], timings };
  }
  const provider = await loadProvider(choice.provider, project.config, { refreshCatalog: opts.refreshCatalog ?? false });
  try {
    const planned = await planWith(provider, project, { mode: 'plan', ...(opts.replace ? { replace: opts.replace } : {}) });
    const stop = planned.problems.find((p) => stops(p, 'plan'));
    if (stop) throw problemError(stop, planned.problems.filter((p) => stops(p, 'plan')), project.config.root);
    const problems = project.files.length === 0 ? [noManifestsWarning(project.config, opts), ...planned.problems] : planned.problems;
    return {
      ...base,
      lock: planned.state.lock,
      plan: planned.plan,
      warnings: problems.filter((p) => p.effect !== 'note').flatMap((p) => p.details),
      notes: problems.filter((p) => p.effect === 'note').flatMap((p) => p.details),
      problems,
      timings: { ...project.timings, ...planned.timings },
    };
  } finally {
    await provider.close();
  }
}

/**
 * `plan` over no manifest at all: a warning where `validate` and `build` stop (E_NO_MANIFESTS), so a typo in a
 * path or glob is not a silent "No changes" in CI; the plan itself (orphans of a lockfile, if any) is still shown.
 */
function noManifestsWarning(config: ResolvedConfig, opts: PlanOptions): Problem {
  const cwd = opts.cwd ?? process.cwd();
  const e = noManifestsError(manifestPatterns(config, opts.paths ?? [], cwd), config.configFile !== undefined, configFolder(config, cwd));
  return { code: 'W_NO_MANIFESTS', effect: 'warning', message: e.message, details: [e.message], ...(e.hint ? { hint: e.hint } : {}) };
}
