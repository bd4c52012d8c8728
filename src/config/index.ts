export { defineConfig } from './define.js';
export { loadConfig, resolveConfig, findConfigFile, type ConfigOverrides, type LoadConfigOptions } from './load.js';
export { discoverManifests, manifestsRoot } from './discover.js';
