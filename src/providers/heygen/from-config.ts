/** The one way the tool makes a HeyGen client: from the resolved config, whose key came from the environment. */
import { HeygenBuildError } from '../../errors.js';
import type { ResolvedConfig } from '../../model/config.js';
import { createHeygenClient, type HeygenClient, type HeygenClientOptions } from './client.js';

export type ClientTuning = Partial<Omit<HeygenClientOptions, 'apiKey' | 'api' | 'baseUrl' | 'uploadBaseUrl'>>;

export function heygenClientFromConfig(config: ResolvedConfig, tuning: ClientTuning = {}): HeygenClient {
  const apiKey = config.heygen.apiKey;
  if (!apiKey) {
    throw new HeygenBuildError('E_NO_API_KEY', 'rendering with HeyGen needs an API key, and HEYGEN_API_KEY is not set', {
      hint: 'export HEYGEN_API_KEY=... (or put it in .env), or build drafts with --provider local',
    });
  }
  return createHeygenClient({
    ...tuning,
    apiKey,
    api: config.heygen.api,
    baseUrl: config.heygen.baseUrl,
    uploadBaseUrl: config.heygen.uploadBaseUrl,
  });
}
