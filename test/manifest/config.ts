/** A ResolvedConfig for tests (the real loader lives in src/config/). */

import type { ResolvedConfig } from '../../src/model/config.js';

export type TestConfigInput = Partial<Omit<ResolvedConfig, 'root'>>;

/** The aliases of the repo's own heygen.config.ts, which the examples use. */
export const EXAMPLE_ALIASES = {
  avatars: {
    presenter: { id: 'Daisy-inskirt-20220818', style: 'normal', voice: 'narrator' },
    host: { id: 'Tyler-incasualsuit-20220721' },
  },
  voices: {
    narrator: { id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', speed: 1 },
    upbeat: { id: '1bd001e7e50f421d891986aad5158bc8', emotion: 'Friendly' },
  },
} satisfies Pick<ResolvedConfig, 'avatars' | 'voices'>;

export function makeConfig(root: string, over: TestConfigInput = {}): ResolvedConfig {
  return {
    root,
    manifests: ['**/*.{yaml,yml}'],
    outDir: 'out',
    lockfile: 'heygen.lock.yaml',
    provider: 'auto',
    heygen: {
      api: 'v3',
      baseUrl: 'https://api.heygen.com',
      uploadBaseUrl: 'https://upload.heygen.com',
      concurrency: 10,
      poll: { minMs: 2_000, maxMs: 30_000, timeoutMs: 40 * 60_000 },
    },
    defaults: {},
    avatars: EXAMPLE_ALIASES.avatars,
    voices: EXAMPLE_ALIASES.voices,
    budget: {},
    fingerprint: 'test-fingerprint',
    ...over,
  };
}
