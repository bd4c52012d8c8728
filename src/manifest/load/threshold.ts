/** The size of a load worth worker threads; a module of its own so that a warm load need not import parallel.ts. */

/** Below this many manifests to analyze, a worker's start-up (~0.1 s of module loading) costs more than it saves. */
export const PARALLEL_MIN_FILES = 1000;
