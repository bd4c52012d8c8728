import type { HeygenBuildConfig } from '../model/config.js';

/** Typed identity for `heygen.config.ts`: `export default defineConfig({ ... })`. */
export function defineConfig(config: HeygenBuildConfig): HeygenBuildConfig {
  return config;
}
