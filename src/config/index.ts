export { defineConfig } from './define.js';
export { checkConcurrency, loadConfig, resolveConfig, findConfigFile, type ConfigOverrides, type LoadConfigOptions } from './load.js';
export { configFolder, discoverManifests, manifestPatterns, manifestsRoot, requireManifests } from './discover.js';
