/** The size of a load worth worker threads; a module of its own so that a warm load need not import parallel.ts. */

/** Below this many manifests to analyze, a worker's start-up (~0.1 s of module loading) costs more than it saves. */
export const PARALLEL_MIN_FILES = 1000;

/**
 * Worker threads for a cold load of `misses` manifests on `cores` cores: one fewer than the cores,
 * at most 3; none below PARALLEL_MIN_FILES, and none on two cores or fewer. Measured on 2 cores
 * (10,000 manifests, whole `plan` processes in alternating pairs): the one worker cost 1.15-1.35x
 * the CPU of loading them all on the main thread (its own start-up, its compiler warming up again,
 * results copied back), and with any other work on the machine it finished later too (1.7x the wall
 * time at load 10); only on an idle machine could it save a little wall time.
 */
export function defaultThreads(misses: number, cores: number): number {
  if (misses < PARALLEL_MIN_FILES || cores <= 2) return 0;
  return Math.min(3, cores - 1);
}
