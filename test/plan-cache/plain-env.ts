/** The environment of a plain local `plan` for the snapshot tests: no API key, no CI, no colour, no GitHub. */
import { afterEach, beforeEach, vi } from 'vitest';

/** Registers hooks that give each test of the file that environment, and put the real one back after it. */
export function usePlainPlanEnv(): void {
  beforeEach(() => {
    vi.stubEnv('HEYGEN_API_KEY', '');
    vi.stubEnv('CI', '');
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    vi.stubEnv('GITHUB_ACTIONS', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}
