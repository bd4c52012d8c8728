/** The library's synchronous `createProvider` (the commands use `loadProvider`, which imports only the one chosen). */
import type { ResolvedConfig } from '../model/config.js';
import { HeygenProvider, type HeygenProviderOptions } from './heygen/provider.js';
import { LocalProvider } from './local/provider.js';
import type { Provider, ProviderKind } from './provider.js';

/** The provider behind a choice. */
export function createProvider(kind: ProviderKind, config: ResolvedConfig, opts: HeygenProviderOptions = {}): Provider {
  return kind === 'heygen' ? new HeygenProvider(config, opts) : new LocalProvider(config);
}
