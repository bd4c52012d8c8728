/** The one way the tool makes a HeyGen client: from the resolved config, whose key came from the environment. */
import { HeygenBuildError } from '../../errors.js';
import type { ResolvedConfig } from '../../model/config.js';
import { createHeygenClient, type HeygenClientOptions } from './client.js';
import type { HeygenClient } from './client-types.js';

/** Client options a caller may tune (timeouts, retries, hooks); the key and endpoints always come from the config. */
export type ClientTuning = Partial<Omit<HeygenClientOptions, 'apiKey' | 'api' | 'baseUrl' | 'uploadBaseUrl'>>;

/** Builds the HeyGen client from the resolved config; throws E_NO_API_KEY when HEYGEN_API_KEY is not set. */
export function heygenClientFromConfig(config: ResolvedConfig, tuning: ClientTuning = {}): HeygenClient {
  const apiKey = config.heygen.apiKey;
  if (!apiKey) {
    throw new HeygenBuildError('E_NO_API_KEY', 'rendering with HeyGen needs an API key, and HEYGEN_API_KEY is not set', {
      hint: 'export HEYGEN_API_KEY=... (or put it in .env; find your key at app.heygen.com > Settings > API), or build drafts with --provider local',
    });
  }
  return createHeygenClient({
    ...tuning,
    apiKey,
    api: config.heygen.api,
    baseUrl: config.heygen.baseUrl,
    uploadBaseUrl: config.heygen.uploadBaseUrl,
    ...(config.webhook ? { callbackUrl: config.webhook.url } : {}),
  });
}
