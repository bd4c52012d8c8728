/**
 * `heygen-build plan`: through the plan snapshot (src/plan-cache/) unless `--no-snapshot`. Nothing
 * of the planner is imported here: an unchanged project's plan loads only the snapshot's module.
 */
import type { PlanFlags } from './plan-flags.js';

export type { PlanFlags } from './plan-flags.js';

/** Runs `heygen-build plan`, printing the plan for people or as JSON; resolves to the exit code. */
export async function runPlan(paths: string[], opts: PlanFlags): Promise<number> {
  const full = async () => (await import('./plan-full.js')).runPlanFull(paths, opts);
  // A snapshot replays what a plan printed, not the files it wrote: a saved plan is always planned in full.
  if (opts.snapshot === false || opts.out !== undefined) return (await full()).code;
  const { planWithSnapshot } = await import('../plan-cache/index.js');
  return planWithSnapshot({
    cwd: opts.cwd ?? process.cwd(),
    ...(opts.config ? { configFile: opts.config } : {}),
    request: { paths, opts },
    run: full,
    // Why the snapshot was not used or kept, for someone wondering why a plan is slow.
    ...(process.env.HEYGEN_DEBUG_SNAPSHOT ? { onMiss: (why: string) => process.stderr.write(`snapshot: ${why}\n`) } : {}),
  });
}
