/** `plan` as a library call: everything `heygen-build plan` does, minus printing. */
import type { Diagnostic } from '../errors.js';
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
  const result = errors
    ? undefined
    : planPure({ specs: project.specs, lock, outputs, engine: PLAN_ENGINE, partial: project.partial });
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
  };
}
