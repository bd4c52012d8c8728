/**
 * The last step of `heygen-build build`: keep the snapshot of the plan the user runs (see
 * src/plan-cache/after-build.ts), so the first `plan` after a build prints it instead of planning in
 * full. Loaded only when a build ends.
 */
import { keepPlanAfterBuild } from '../plan-cache/after-build.js';

/** Keeps the next plan's snapshot after a build run with `cwd`/`configFile`; never throws. */
export async function keepPlanAfter(cwd: string | undefined, configFile: string | undefined): Promise<void> {
  const why = await keepPlanAfterBuild({
    ...(cwd !== undefined ? { cwd } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
    // The flags `plan` parsed then, replayed as they were (after-build.ts checks their shape).
    // Imported only when there is a plan to keep: a build where nobody plans loads nothing more.
    run: async (paths, flags) => (await import('./plan-full.js')).runPlanFull(paths, flags),
  });
  if (why !== undefined && process.env.HEYGEN_DEBUG_SNAPSHOT) process.stderr.write(`snapshot after the build: ${why}\n`);
}
