/** Which provider a build uses. `auto`: HeyGen with a key, drafts without one (never silently in CI). */
import { HeygenBuildError } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';

export interface ProviderChoice {
  provider: 'heygen' | 'local';
  /** One line for the user when auto picked drafts. */
  notice?: string;
}

export function chooseProvider(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env): ProviderChoice {
  const hasKey = Boolean(config.heygen.apiKey);
  switch (config.provider) {
    case 'local':
      return { provider: 'local' };
    case 'heygen':
      if (!hasKey) {
        throw new HeygenBuildError('E_NO_API_KEY', 'provider heygen needs an API key, and HEYGEN_API_KEY is not set', {
          hint: 'export HEYGEN_API_KEY=... (or put it in .env), or build drafts with --provider local',
        });
      }
      return { provider: 'heygen' };
    case 'auto':
      if (hasKey) return { provider: 'heygen' };
      if (isCi(env)) {
        throw new HeygenBuildError('E_CI_NO_API_KEY', 'CI=true and HEYGEN_API_KEY is not set: refusing to ship drafts from a pipeline', {
          hint: 'set the HEYGEN_API_KEY secret in CI, or pass --provider local to build drafts on purpose',
        });
      }
      return {
        provider: 'local',
        notice: 'No HEYGEN_API_KEY: building offline drafts (<id>.draft.mp4). Set HEYGEN_API_KEY to render with HeyGen.',
      };
  }
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
