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
    // cores keeps the CPUs busy meanwhile (2 cores: 3 workers, ~40% less wall time than 1).
    // `--maxWorkers=N` on the command line overrides it.
    maxWorkers: availableParallelism() + 1,
  },
});
