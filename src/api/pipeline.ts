/**
 * The one pipeline under `plan`, `build` and `watch`: a provider's state read once, the pure planner
 * called once, and the provider's checks run on its result. `build` then executes exactly this plan.
 */
import { relative, sep } from 'node:path';
import { ERROR_CODES, HeygenBuildError, isErrorCode } from '../errors.js';
import type { Plan, Shard } from '../model/plan.js';
import { shardPlan, shardSlots } from '../plan/shard.js';
import { emptyLockfile, type ShardStamp } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';
import type { PlanInput } from '../plan/input.js';
import { plan as planPure } from '../plan/plan.js';
import type { Facts, Problem, Provider, ProviderState, StateMode } from '../execute/provider.js';
import { locateTranslation } from '../manifest/index.js';
import { didYouMeanText } from '../util/suggest.js';
import { probeDubSources } from '../execute/dub-sources.js';
import { placeProblems } from './place.js';
import type { Project } from './project.js';

/** A plan with the provider state it was made from and the facts behind it, ready for a build to execute. */
export interface Planned<S extends ProviderState = ProviderState> {
  state: S;
  plan: Plan;
  facts: Facts;
  /** What the checks found, cheapest first (see `ProblemEffect`). */
  problems: Problem[];
  timings: { state: number; plan: number; checks: number };
  /** `--shard`: what this shard was dealt from, stamped on its partial lockfile. */
  dealt?: ShardStamp;
}

/** How to plan: for `plan` or `build`, which videos to force, and an abort signal. */
export interface PipelineOptions {
  mode: StateMode;
  replace?: readonly string[];
  signal?: AbortSignal;
  /** Plan only this shard's part (`build --shard`): the checks, the report and the build see that part. */
  shard?: Shard;
  /** The account's job cap the HeyGen shards split (`heygen.concurrency`); absent (`--concurrency`): equal shares. */
  shardCap?: number;
  /** Called with the plan before the checks that may cost I/O (a build reports the plan first). */
  onPlan?: (plan: Plan) => void;
}

/** Reads the provider's state once, plans, and runs the provider's checks, as described above. */
export async function planWith<S extends ProviderState>(provider: Provider<S>, project: Project, opts: PipelineOptions): Promise<Planned<S>> {
  const specs = project.specs;
  const replace = replaceSet(opts.replace, specs);
  let t = performance.now();
  const state = await provider.readState(specs, opts.mode);
  const stateMs = performance.now() - t;
  t = performance.now();
  const durations = await probeDubSources(project.config.root, specs);
  const input: PlanInput = {
    ...provider.planOptions,
    specs,
    lock: state.lock,
    outputs: state.outputs,
    partial: project.partial,
    durations,
    ...(state.templates ? { templates: state.templates } : {}),
  };
  const whole = planPure({ ...input, replace, ...(project.config.remote ? { remote: true } : {}) });
  const basis = opts.shard ? { stable: stablePlan(provider, state, input, replace.size > 0 ? undefined : whole), ...shardBasisSlots(provider, opts) } : undefined;
  const sliced = opts.shard ? shardPlan(whole, opts.shard, basis) : whole;
  // What this shard was dealt from, for its partial lockfile (`lock merge` checks the shards agree).
  const dealt = opts.shard ? (await import('../plan/shard-dealt.js')).shardStamp(whole, opts.shard, basis) : undefined;
  // Keys another machine already rendered are free restores (src/remote/plan-records.ts); no I/O without a remote.
  const remote = provider.name === 'heygen' && project.config.remote ? await (await import('../remote/plan-records.js')).planWithRemote(sliced, project.config, opts.signal, { claims: opts.mode === 'plan' }) : undefined;
  const plan = remote?.plan ?? sliced;
  const planMs = performance.now() - t;
  opts.onPlan?.(plan);
  t = performance.now();
  // The pure checks first: a plan over budget must not cost even a free request.
  let problems = provider.check(plan, specs, {});
  let facts: Facts = {};
  if (!problems.some((p) => stops(p, opts.mode)) || opts.mode === 'plan') {
    facts = await provider.facts(plan, opts.mode, opts.signal, specs, project.assets);
    problems = provider.check(plan, specs, facts);
  }
  const cfg = project.config;
  const configFile = cfg.configFile ? relative(cfg.root, cfg.configFile).split(sep).join('/') : undefined;
  if (remote) problems = [...problems, ...remote.problems];
  problems = await placeProblems(problems, cfg.root, configFile);
  return { state, plan, facts, problems, timings: { state: stateMs, plan: planMs, checks: performance.now() - t }, ...(dealt ? { dealt } : {}) };
}

/**
 * What every shard of a matrix plans alike, whenever it starts: the manifests against the lockfile as
 * committed. Not this shard's own partial lockfile (a shard run again after a kill holds what it
 * recorded), not `--replace`, and for drafts not the draft cache (shards in one checkout fill it as
 * they go): every unit placed by it counts its jobs as if nothing were built. Outputs on disk only
 * tell a restore from an unchanged video, and neither needs a job. `whole`: this plan, when it is that.
 */
function stablePlan(provider: Provider, state: ProviderState, input: PlanInput, whole: Plan | undefined): Plan {
  if (!provider.journals) return planPure({ ...input, lock: emptyLockfile() });
  if (state.shardBase) return planPure({ ...input, lock: state.shardBase });
  // `whole` is that plan already, unless --replace changed it.
  return whole ?? planPure(input);
}

/** Each shard's jobs at once, which weigh the partition: HeyGen shards split the account's cap, drafts are alike. */
function shardBasisSlots(provider: Provider, opts: PipelineOptions): { slots?: number[] } {
  return provider.name === 'heygen' && opts.shard && opts.shardCap !== undefined ? { slots: shardSlots(opts.shardCap, opts.shard.count) } : {};
}

/** Whether `p` stops `mode`: errors stop both, refusals only a build. */
export function stops(p: Problem, mode: StateMode): boolean {
  return p.effect === 'error' || (p.effect === 'refusal' && mode === 'build');
}

/**
 * A problem as the error a build or a plan stops with. With `also` (the other problems that stop the
 * command), the error lists their placed findings too, so one run shows every place to fix, and its
 * hint says each one's fix. With the project's root, a translation problem is placed at its language
 * in the manifest.
 */
export function problemError(p: Problem, also: readonly Problem[] = [], root?: string): HeygenBuildError {
  // Only a problem that stops a command becomes an error, and those carry E_ codes (see `stops`).
  if (!isErrorCode(p.code)) throw new Error(`bug: warning ${p.code} raised as an error`);
  const placed = [p, ...also.filter((o) => o !== p)].filter((o) => o.diagnostics);
  const diagnostics = placed.flatMap((o) => o.diagnostics ?? []);
  const others = placed.filter((o) => o !== p);
  const message = [p.message, ...others.map((o) => o.message)].join('\n');
  const location =
    p.diagnostics?.find((d) => d.location)?.location ??
    (root !== undefined && p.translation ? locateTranslation(root, p.translation.source, p.translation.language) : undefined);
  const hint = listedHint(p, others);
  return new HeygenBuildError(p.code, message, {
    ...(hint === undefined ? {} : { hint }),
    ...(location ? { location } : {}),
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
  });
}

/**
 * The hint of an error that lists `others` after `p`: each listed problem's fix once, in the order
 * listed (a problem without a hint of its own by its code's advice), so an unknown avatar listed with
 * an unknown voice names both `heygen-build avatars` and `heygen-build voices`, not the first alone.
 * Alone, `p`'s own hint (or none: the reporters then print its code's advice).
 */
function listedHint(p: Problem, others: readonly Problem[]): string | undefined {
  if (others.length === 0) return p.hint;
  return [...new Set([p, ...others].map((o) => o.hint ?? ERROR_CODES[o.code]))].join('; ');
}

/** `--replace` ids, checked against what the manifests declare. */
export function replaceSet(ids: readonly string[] | undefined, specs: readonly VideoSpec[]): Set<string> {
  if (!ids || ids.length === 0) return new Set();
  const known = new Set(specs.flatMap((s) => [s.id, ...s.translations.map((t) => `${s.id}@${t.language}`)]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    // `--replace` takes every word after it: paths written after it were read as ids.
    const paths = unknown.filter((id) => /[\\/]|\.ya?ml$/i.test(id));
    throw new HeygenBuildError('E_REPLACE_UNKNOWN', `--replace names no video of this project: ${unknown.join(', ')}${paths.length > 0 ? '' : didYouMeanText(unknown[0]!, known)}`, {
      hint:
        paths.length > 0
          ? `--replace takes every word after it, so ${paths.join(', ')} was read as a video id: put the paths first (heygen-build plan ${paths[0]} --replace <id>)`
          : 'use a video id (as plan lists it), or <id>@<language> for a translation',
    });
  }
  return new Set(ids);
}
