/** The public API: everything the CLI can do, a program can do too. */
export { defineConfig } from './config/define.js';
export { loadConfig, resolveConfig, discoverManifests } from './config/index.js';
export { planProject, type PlanOptions, type PlanResult } from './api/plan.js';
export { build, type BuildOptions, type BuildResult } from './api/build.js';
export { status, type JobStatus, type StatusOptions, type StatusReport } from './api/status.js';
export { gc, GC_GRACE_MS, type GcOptions } from './api/gc.js';
export type { GcFile, GcResult } from './gc/sweep.js';
export { planWith, replaceSet, type Planned, type PipelineOptions } from './api/pipeline.js';
export { watch, servePreview, type WatchOptions, type WatchHandle, type WatchEvent } from './watch/index.js';
export type { BuildCounts, BuildEvent, EventSink, ItemState } from './execute/events.js';
export { chooseProvider, type ProviderChoice } from './execute/choose.js';
export { createProvider } from './execute/create.js';
export type { ExecuteContext, ExecuteResult, Facts, Problem, Provider, ProviderKind, ProviderState, StateMode } from './execute/provider.js';
export { openProject, type Project, type ProjectOptions } from './api/project.js';
export { plan, hasChanges, PLAN_ENGINE } from './plan/plan.js';
export type { PlanInput } from './plan/input.js';
export { readLockfile, type ReadLockfileOptions } from './lockfile/store.js';
export { parseLockfile } from './lockfile/parse.js';
export { serializeLockfile } from './lockfile/serialize.js';
export { contentKey, translationKey, videoKey, videoParts } from './hash/index.js';
export { exportRemotion, exportOtio, type ExportFormat, type ExportOptions, type ExportResult, type PackData, type PackVideo, type PackScene } from './export/index.js';
export { validate, type ValidateOptions, type ValidateResult } from './api/validate.js';
export { getCatalog, filterLooks, filterVoices, type CatalogOptions, type CatalogResult, type LookFilter, type VoiceFilter } from './api/catalog.js';
export { formatDiagnostics, type DiagnosticFormat, type JsonDiagnostic, type JsonDiagnostics } from './reporters/diagnostics.js';
export { errorJson, errorDocument, type JsonError, type JsonErrorDocument } from './reporters/error-json.js';
export {
  HeygenBuildError,
  isHeygenBuildError,
  ERROR_CODES,
  type ErrorCode,
  type WarningCode,
  type DiagnosticCode,
  type Diagnostic,
  type SourceLocation,
} from './errors.js';
export type * from './model/index.js';
