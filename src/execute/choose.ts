/**
 * Which provider a command uses. `auto`: HeyGen with a key, drafts without one, and never drafts
 * silently from CI. Planning needs no key: `plan` against HeyGen reads the lockfile alone.
 */
import { HeygenBuildError } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import type { HeygenProviderOptions } from './heygen/provider.js';
import type { Provider, ProviderKind } from './provider.js';

/** What `loadProvider` passes on: the HeyGen provider's options, and drafts' ffmpeg jobs at once (`build --concurrency`). */
export type ProviderOptions = HeygenProviderOptions & { draftJobs?: number };

/** The provider a command runs with, and a notice when the choice might surprise the user. */
export interface ProviderChoice {
  provider: ProviderKind;
  /** One line for the user when the choice may surprise (auto picked drafts, or a keyless CI plan). */
  notice?: string;
}

/** Which command is choosing: `plan` may go ahead without an API key where `build` must refuse. */
export type Purpose = 'plan' | 'build';

/**
 * Picks heygen or local drafts from the config, the API key and CI; throws E_NO_API_KEY or E_CI_NO_API_KEY rather than
 * silently shipping drafts.
 */
export function chooseProvider(config: ResolvedConfig, env: NodeJS.ProcessEnv = process.env, purpose: Purpose = 'build'): ProviderChoice {
  const hasKey = Boolean(config.heygen.apiKey);
  switch (config.provider) {
    case 'local':
      return { provider: 'local' };
    case 'heygen':
      if (!hasKey && purpose === 'build') {
        throw new HeygenBuildError('E_NO_API_KEY', 'provider heygen needs an API key, and HEYGEN_API_KEY is not set', {
          hint: 'export HEYGEN_API_KEY=... (or put it in .env; find your key at app.heygen.com > Settings > API), or build drafts with --provider local',
        });
      }
      return { provider: 'heygen' };
    case 'auto':
      if (hasKey) return { provider: 'heygen' };
      if (isCi(env)) {
        // A pull-request job without the secret still gets the plan a merge build would follow.
        if (purpose === 'plan') return { provider: 'heygen', notice: 'CI=true and no HEYGEN_API_KEY: planning against the lockfile (a build needs the key)' };
        throw new HeygenBuildError('E_CI_NO_API_KEY', 'CI=true and HEYGEN_API_KEY is not set: refusing to ship drafts from a pipeline', {
          hint: 'set the HEYGEN_API_KEY secret in CI, or pass --provider local to build drafts on purpose',
        });
      }
      return {
        provider: 'local',
        notice:
          purpose === 'plan'
            ? 'No HEYGEN_API_KEY: planning offline drafts. Set HEYGEN_API_KEY (or pass --provider heygen) to plan HeyGen renders.'
            : 'No HEYGEN_API_KEY: building offline drafts (<name>.draft.mp4 beside each output). Set HEYGEN_API_KEY to render with HeyGen.',
      };
  }
}

/** Whether the environment says this is a CI run (`CI` set to anything but empty, 0 or false). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * The provider behind a choice, as `createProvider` gives it, but each provider's code is imported
 * only when chosen: a plan of drafts loads none of the HeyGen provider's checks, catalog and
 * lockfile code (~25 modules of a no-op plan's start). The commands use this one.
 */
export async function loadProvider(kind: ProviderKind, config: ResolvedConfig, opts: ProviderOptions = {}): Promise<Provider> {
  const { draftJobs, ...heygen } = opts;
  if (kind === 'heygen') {
    const { HeygenProvider } = await import('./heygen/provider.js');
    return new HeygenProvider(config, heygen);
  }
  const { LocalProvider } = await import('./local/provider.js');
  return new LocalProvider(config, draftJobs);
}
