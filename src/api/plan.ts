/** `plan` as a library call: everything `heygen-build plan` does, minus printing. */
import { HeygenBuildError, type Diagnostic } from '../errors.js';
import { didYouMeanText } from '../util/suggest.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Lockfile } from '../model/lock.js';
import type { Plan } from '../model/plan.js';
import type { VideoSpec } from '../model/spec.js';
import type { Engine } from '../plan/estimate.js';
import { plan as planPure } from '../plan/plan.js';
import { openProject, readProjectLock, statOutputs, type Project, type ProjectOptions } from './project.js';

export interface PlanResult {
  config: ResolvedConfig;
  specs: VideoSpec[];
  lock: Lockfile;
  /** Errors mean no plan: fix the manifests first. */
  diagnostics: Diagnostic[];
  plan?: Plan;
  timings: Project['timings'] & { lock: number; outputs: number; plan: number };
  cacheHits: number;
  partial: boolean;
  replace: Set<string>;
}

/** `--replace` ids, checked against what the manifests declare. */
export function replaceSet(ids: string[] | undefined, specs: VideoSpec[]): Set<string> {
  const known = new Set(specs.flatMap((s) => [s.id, ...s.translations.map((t) => `${s.id}@${t.language}`)]));
  const unknown = (ids ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new HeygenBuildError('E_REPLACE_UNKNOWN', `--replace names no video of this project: ${unknown.join(', ')}${didYouMeanText(unknown[0]!, known)}`, {
      hint: 'use a video id (as plan lists it), or <id>@<language> for a translation',
    });
  }
  return new Set(ids);
}

/** Credits are estimated at HeyGen's rates (Avatar IV, the v3 default) whatever the provider will be. */
export const PLAN_ENGINE: Engine = 'avatar_iv';

export async function planProject(opts: ProjectOptions = {}, config?: ResolvedConfig): Promise<PlanResult> {
  const project = await openProject(opts, config);
  let t = performance.now();
  const lock = await readProjectLock(project.config);
  const lockMs = performance.now() - t;
  const errors = project.diagnostics.some((d) => d.severity === 'error');
  t = performance.now();
  const outputs = errors ? new Map<string, number>() : statOutputs(project.config, project.specs);
  const outputsMs = performance.now() - t;
  t = performance.now();
  const replace = errors ? new Set<string>() : replaceSet(opts.replace, project.specs);
  const result = errors
    ? undefined
    : planPure({ specs: project.specs, lock, outputs, engine: PLAN_ENGINE, partial: project.partial, replace });
  const planMs = performance.now() - t;
  return {
    config: project.config,
    specs: project.specs,
    lock,
    diagnostics: project.diagnostics,
    plan: result,
    timings: { ...project.timings, lock: lockMs, outputs: outputsMs, plan: planMs },
    cacheHits: project.cacheHits,
    partial: project.partial,
    replace,
  };
}
