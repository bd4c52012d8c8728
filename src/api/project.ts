/**
 * A project, read once: the config, the manifests it names, and what they resolve to. `plan`, `build`
 * and `watch` all start here; the provider reads its own state (lockfile, draft cache) after.
 */
import { discoverManifests, loadConfig, manifestsRoot, type LoadConfigOptions } from '../config/index.js';
import type { Diagnostic } from '../errors.js';
import type { ResolvedConfig } from '../model/config.js';
import type { VideoSpec } from '../model/spec.js';
import { offlineLanguages } from '../execute/heygen/languages.js';
import { loadManifests, type LoadTimings } from '../manifest/index.js';
import type { AssetRecord } from '../manifest/assets.js';
import { derivedCache } from '../plan/derived.js';
import { checkStateDir } from '../fsx/state-dir.js';

/** Which project to open: config options, manifest paths and whether to use the manifest cache. */
export interface ProjectOptions extends LoadConfigOptions {
  /** Manifest files, folders or globs; they replace the config's globs. */
  paths?: string[];
  /** Use the manifest cache under `.heygen/` (default true). */
  cache?: boolean;
  /** Videos (`id`) or translations (`id@lang`) to render again although unchanged. */
  replace?: string[];
  /** Fetch the account's avatar and voice catalog now, whatever the age of `.heygen/catalog.json` (needs a key). */
  refreshCatalog?: boolean;
}

/**
 * An opened project: its config, manifest files, loaded specs, diagnostics and load timings; `partial` when only some
 * manifests were read.
 */
export interface Project {
  config: ResolvedConfig;
  files: string[];
  specs: readonly VideoSpec[];
  diagnostics: Diagnostic[];
  timings: LoadTimings & { discover: number };
  cacheHits: number;
  /** Only some manifests were read (paths given): lockfile entries of the others are not orphans. */
  partial: boolean;
  /** What loading learnt of each local asset (digest, and what its bytes are), by project-relative path. */
  assets?: ReadonlyMap<string, AssetRecord>;
}

/** True when any manifest has an error: then there is no plan. */
export function hasErrors(project: Pick<Project, 'diagnostics'>): boolean {
  return project.diagnostics.some((d) => d.severity === 'error');
}

/**
 * Loads the config (unless given) and every manifest it names; manifest problems become diagnostics, not throws.
 * `forPlan` (default true) keeps each manifest's content and clip keys in the manifest cache, so a
 * warm plan hashes nothing; `validate`, which plans nothing, passes false and computes no key.
 */
export async function openProject(opts: ProjectOptions = {}, config?: ResolvedConfig, forPlan = true): Promise<Project> {
  const cfg = config ?? (await loadConfig(opts));
  // Planning reads and writes its caches there, and a build everything else: say so before either.
  if (forPlan) await checkStateDir(cfg.root);
  const t0 = performance.now();
  const files = await discoverManifests(cfg, opts.paths ?? [], opts.cwd ?? process.cwd());
  const discover = performance.now() - t0;
  // Translation languages are checked offline, against HeyGen's last list or the shipped one.
  const languages = await offlineLanguages(cfg);
  const loaded = await loadManifests(files, {
    config: cfg,
    manifestsRoot: manifestsRoot(cfg),
    cache: opts.cache ?? true,
    languages,
    ...(forPlan ? { derived: derivedCache } : {}),
  });
  return {
    config: cfg,
    files,
    specs: loaded.specs,
    diagnostics: loaded.diagnostics,
    timings: { ...loaded.timings, discover },
    cacheHits: loaded.cacheHits,
    partial: (opts.paths ?? []).length > 0,
    assets: loaded.assets,
  };
}
