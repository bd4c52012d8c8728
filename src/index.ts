/** The public API: everything the CLI can do, a program can do too. */
export { defineConfig } from './config/define.js';
export { loadConfig, resolveConfig, discoverManifests } from './config/index.js';
export { planProject, type PlanResult } from './api/plan.js';
export { build, type BuildOptions, type BuildResult } from './api/build.js';
export { watch, servePreview, type WatchOptions, type WatchHandle, type WatchEvent } from './watch/index.js';
export type { BuildEvent, EventSink } from './execute/events.js';
export { openProject, type Project, type ProjectOptions } from './api/project.js';
export { plan, hasChanges, type PlanInput } from './plan/plan.js';
export { HeygenBuildError, type Diagnostic, type SourceLocation } from './errors.js';
export type * from './model/index.js';
