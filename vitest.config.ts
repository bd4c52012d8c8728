import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default (cores - 1) is one worker on a 2-core CI machine, and the e2e files spend most of
    // their time waiting on loopback HTTP, emulated renders and child processes: one more worker than
    // cores keeps the CPUs busy meanwhile: 3 on 2 cores. The whole suite needs ~11 CPU-minutes, so 2 cores
    // cannot go below ~5.5 min; 1 worker took 11+ min. `--maxWorkers=N` on the command line overrides it.
    maxWorkers: availableParallelism() + 1,
  },
});
