export { defineConfig } from './define.js';
export { checkConcurrency, loadConfig, resolveConfig, type ConfigOverrides, type LoadConfigOptions } from './load.js';
export { configFileFor, findConfigFile, projectRoot } from './find.js';
export { configFolder, discoverManifests, manifestPatterns, manifestsRoot, noManifestsError, requireManifests } from './discover.js';
