/** The size of a load worth worker threads; a module of its own so that a warm load need not import parallel.ts. */

/** Below this many manifests to analyze, a worker's start-up (~0.1 s of module loading) costs more than it saves. */
export const PARALLEL_MIN_FILES = 1000;

/**
 * Worker threads for a cold load of `misses` manifests on `cores` cores: one fewer than the cores,
 * at most 3; none below PARALLEL_MIN_FILES, and none on one core. On 2 cores, one worker: measured
 * on this repository's 2-core machine (whole cold `plan` processes of 10,000 manifests, alternating
 * pairs) it took less CPU than none (2.34 against 2.75 s, 12 pairs; 2.31 against 2.91 s with two
 * busy loops beside it) and 3% less wall time. (It had cost 1.15-1.35x the CPU before the analysis got
 * cheaper; and until its reads fed the plan trace, a cold plan with a worker kept no plan snapshot.)
 */
export function defaultThreads(misses: number, cores: number): number {
  if (misses < PARALLEL_MIN_FILES || cores < 2) return 0;
  return Math.min(3, cores - 1);
}
