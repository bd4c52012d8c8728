/**
 * The HeyGen side of `build`: checks that spend nothing (budget, what the API can express, languages,
 * credits), then the build lock, then the run, then pruning orphans from the lockfile.
 */
import { HeygenBuildError } from '../errors.js';
import { acquireBuildLock } from '../lockfile/buildlock.js';
import { LockStore } from '../lockfile/store.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Plan } from '../model/plan.js';
import type { VideoSpec } from '../model/spec.js';
import { createHeygenClient, type HeygenClient } from '../providers/heygen/index.js';
import { resolveLanguages } from './languages.js';
import type { EventSink } from '../execute/events.js';
import { runHeygen } from '../execute/heygen/run.js';
import type { BuildResult } from './build.js';
import { apiProblems, UNSUPPORTED_HINT } from './expressible.js';
import { plan as planPure } from '../plan/plan.js';
import { lockfilePath, statOutputs } from './project.js';
import { PLAN_ENGINE, type PlanResult } from './plan.js';


function checkBudget(plan: Plan, config: ResolvedConfig): void {
  const max = config.budget.maxCredits;
  if (max !== undefined && plan.totals.credits > max) {
    throw new HeygenBuildError(
      'E_BUDGET',
      `the plan is estimated at ${plan.totals.credits} credits, over the budget of ${max}: nothing was submitted`,
      { hint: 'raise --max-credits (or budget.maxCredits in heygen.config.ts), or build fewer videos by naming their manifests' },
    );
  }
}

function checkExpressible(plan: Plan, specs: VideoSpec[], config: ResolvedConfig): void {
  const api = config.heygen.api;
  const problems = apiProblems(plan, specs, api);
  if (problems.length > 0) {
    throw new HeygenBuildError('E_UNSUPPORTED', `HeyGen API ${api} cannot express:\n  - ${problems.join('\n  - ')}`, {
      hint: UNSUPPORTED_HINT[api],
    });
  }
}

async function checkCredits(plan: Plan, client: HeygenClient, signal: AbortSignal): Promise<void> {
  if (plan.totals.credits <= 0) return;
  const remaining = await client.remainingCredits(signal);
  if (remaining !== undefined && remaining < plan.totals.credits) {
    throw new HeygenBuildError(
      'E_HEYGEN_CREDITS',
      `the plan needs about ${plan.totals.credits} credits and the account has ${remaining}: nothing was submitted`,
      { hint: 'add credits to the HeyGen account, or build fewer videos' },
    );
  }
}

export async function buildHeygen(args: {
  config: ResolvedConfig;
  planned: PlanResult;
  emit: EventSink;
  signal: AbortSignal;
  failFast: boolean;
}): Promise<BuildResult> {
  const { config, planned, emit, signal } = args;
  const lock = await acquireBuildLock(config.root, { command: 'build' });
  if (lock.warning) emit({ type: 'warning', message: lock.warning });
  let client: HeygenClient | undefined;
  try {
    // Plan again under the build lock: another build may have finished since the first plan was read.
    const store = await LockStore.open(lockfilePath(config), { displayPath: config.lockfile });
    const outputs = statOutputs(config, planned.specs);
    const plan = planPure({ specs: planned.specs, lock: store.lock, outputs, engine: PLAN_ENGINE, partial: planned.partial, replace: planned.replace });
    emit({ type: 'plan', provider: 'heygen', plan });
    checkBudget(plan, config);
    checkExpressible(plan, planned.specs, config);
    client = createHeygenClient({
      apiKey: config.heygen.apiKey!,
      api: config.heygen.api,
      baseUrl: config.heygen.baseUrl,
      uploadBaseUrl: config.heygen.uploadBaseUrl,
    });
    const languageNames = await resolveLanguages(plan, config, () => client!.listLanguages(signal));
    await checkCredits(plan, client, signal);
    const run = await runHeygen({ config, specs: planned.specs, plan, store, client, emit, languageNames, signal, failFast: args.failFast });
    const unchanged = plan.items.filter((i) => i.action === 'unchanged').length;
    const ok = run.failed === 0 && !run.interrupted;
    if (ok && !planned.partial) await pruneOrphans(store, plan, emit);
    return { provider: 'heygen', plan, ok, interrupted: run.interrupted, counts: { done: run.done, failed: run.failed, skipped: run.skipped, unchanged } };
  } finally {
    await client?.close();
    await lock.release();
  }
}

/** Entries whose manifest is gone leave the lockfile; their files stay where they are. */
async function pruneOrphans(store: LockStore, plan: Plan, emit: EventSink): Promise<void> {
  const orphans = plan.items.filter((i) => i.action === 'orphan');
  if (orphans.length === 0) return;
  await store.update((l) => {
    for (const o of orphans) {
      if (o.kind === 'video') delete l.videos[o.videoId];
      else delete l.videos[o.videoId]?.translations[o.language!];
    }
  });
  emit({ type: 'warning', message: `removed ${orphans.length} orphaned entr${orphans.length === 1 ? 'y' : 'ies'} from the lockfile (files left in place: ${orphans.map((o) => o.output).filter(Boolean).join(', ') || 'none'})` });
}

