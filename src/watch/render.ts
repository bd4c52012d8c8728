/**
 * The render step of a run, through the same Provider as `build`. Drafts execute the watch's plan
 * directly; HeyGen goes through `build()` with the project this run loaded, limited to the changed
 * videos, so its plan against the lockfile (under the build lock) decides what is paid for.
 */
import { build } from '../api/build.js';
import type { Project } from '../api/project.js';
import type { EventSink } from '../execute/events.js';
import type { Provider, ProviderState } from '../execute/provider.js';
import type { Plan } from '../model/plan.js';
import { planTotals } from '../plan/plan.js';
import type { WatchJob } from './jobs.js';

/** Which items a watch run's render step rendered, took from the cache, or failed. */
export interface RenderOutcome {
  rendered: string[];
  cached: string[];
  failed: string[];
  interrupted: boolean;
}

/** Collects per-item outcomes from the build events while passing them on. */
export function outcomeTap(emit: EventSink): { sink: EventSink; outcome: RenderOutcome } {
  const outcome: RenderOutcome = { rendered: [], cached: [], failed: [], interrupted: false };
  const add = (list: string[], id: string): void => {
    if (!list.includes(id)) list.push(id);
  };
  const sink: EventSink = (e) => {
    // A video and its caption file are two downloads of one item.
    if (e.type === 'downloaded') add(e.cached ? outcome.cached : outcome.rendered, e.id);
    else if (e.type === 'failed') add(outcome.failed, e.id);
    emit(e);
  };
  return { sink, outcome };
}

/** Drafts: exactly the jobs that need work, as a plan of their own. */
export async function renderDrafts(
  provider: Provider,
  project: Project,
  state: ProviderState,
  work: readonly WatchJob[],
  emit: EventSink,
  signal: AbortSignal,
): Promise<RenderOutcome> {
  const { sink, outcome } = outcomeTap(emit);
  const items = work.map((j) => j.item);
  const plan: Plan = { items, totals: planTotals(items) };
  sink({ type: 'plan', provider: provider.name, plan });
  const r = await provider.execute(plan, project.specs, state, { emit: sink, signal, failFast: false, partial: true, facts: {} });
  outcome.interrupted = r.interrupted;
  return outcome;
}

/** HeyGen: a build of the videos with work (all of them on a full run), from the loaded project. */
export async function renderHeygen(project: Project, emit: EventSink, signal: AbortSignal, env?: NodeJS.ProcessEnv): Promise<RenderOutcome> {
  const { sink, outcome } = outcomeTap(emit);
  const r = await build({ project, provider: 'heygen', signal, emit: sink, ...(env ? { env } : {}) });
  outcome.interrupted = r.interrupted;
  return outcome;
}
