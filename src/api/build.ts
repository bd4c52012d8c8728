/** `build` as a library call: plan, then render what changed with HeyGen or as offline drafts. */
import { HeygenBuildError } from '../errors.js';
import { loadConfig } from '../config/index.js';
import type { ProviderName } from '../model/config.js';
import type { Plan } from '../model/plan.js';
import type { EventSink } from '../execute/events.js';
import { chooseProvider } from '../execute/provider.js';
import { buildLocal } from '../execute/local.js';
import { buildHeygen } from './build-heygen.js';
import { planProject, type PlanResult } from './plan.js';
import type { ProjectOptions } from './project.js';

export interface BuildOptions extends ProjectOptions {
  provider?: ProviderName;
  concurrency?: number;
  maxCredits?: number;
  failFast?: boolean;
  /** Abort = Ctrl-C: stop submitting, record what is in flight, return. */
  signal?: AbortSignal;
  emit?: EventSink;
  env?: NodeJS.ProcessEnv;
}

export interface BuildResult {
  provider: 'heygen' | 'local';
  plan: Plan;
  ok: boolean;
  interrupted: boolean;
  counts: { done: number; failed: number; skipped: number; unchanged: number };
}

export function invalidManifests(result: PlanResult): HeygenBuildError {
  const n = result.diagnostics.filter((d) => d.severity === 'error').length;
  return new HeygenBuildError('E_INVALID_MANIFESTS', `${n} error${n === 1 ? '' : 's'} in the manifests: nothing was built`, {
    hint: 'run heygen-build validate for details',
    diagnostics: result.diagnostics,
  });
}

export async function build(opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const emit: EventSink = opts.emit ?? (() => undefined);
  const signal = opts.signal ?? new AbortController().signal;
  const config = await loadConfig({
    ...opts,
    overrides: { provider: opts.provider, concurrency: opts.concurrency, maxCredits: opts.maxCredits },
  });
  const choice = chooseProvider(config, opts.env ?? process.env);
  const planned = await planProject(opts, config);
  if (!planned.plan) throw invalidManifests(planned);
  if (choice.notice) emit({ type: 'warning', message: choice.notice });

  let result: BuildResult;
  if (choice.provider === 'local') {
    const r = await buildLocal({ config, specs: planned.specs, emit, signal, failFast: opts.failFast });
    result = {
      provider: 'local',
      plan: r.plan,
      ok: r.failed.length === 0 && !r.interrupted,
      interrupted: r.interrupted,
      counts: { done: r.rendered.length, failed: r.failed.length, skipped: 0, unchanged: r.cached.length },
    };
  } else {
    result = await buildHeygen({ config, planned, emit, signal, failFast: opts.failFast ?? false });
  }
  emit({
    type: 'done',
    ok: result.ok,
    interrupted: result.interrupted,
    counts: result.counts,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  });
  return result;
}
