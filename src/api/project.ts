/**
 * The I/O around the pure core: load the config, find and load manifests, read the lockfile,
 * look at the outputs on disk. `plan`, `build` and `watch` all start here.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { discoverManifests, loadConfig, manifestsRoot, type LoadConfigOptions } from '../config/index.js';
import type { Diagnostic } from '../errors.js';
import { readLockfile } from '../lockfile/store.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Lockfile } from '../model/lock.js';
import type { VideoSpec } from '../model/spec.js';
import { loadManifests, type LoadTimings } from '../manifest/index.js';
import { allOutputs } from '../plan/outputs.js';

export interface ProjectOptions extends LoadConfigOptions {
  /** Manifest files, folders or globs; they replace the config's globs. */
  paths?: string[];
  /** Use the manifest cache under `.heygen/` (default true). */
  cache?: boolean;
}

export interface Project {
  config: ResolvedConfig;
  files: string[];
  specs: VideoSpec[];
  diagnostics: Diagnostic[];
  timings: LoadTimings & { discover: number };
  cacheHits: number;
  partial: boolean;
}

export async function openProject(opts: ProjectOptions = {}, config?: ResolvedConfig): Promise<Project> {
  const cfg = config ?? (await loadConfig(opts));
  const t0 = performance.now();
  const files = await discoverManifests(cfg, opts.paths ?? [], opts.cwd ?? process.cwd());
  const discover = performance.now() - t0;
  const loaded = await loadManifests(files, { config: cfg, manifestsRoot: manifestsRoot(cfg), cache: opts.cache ?? true });
  return {
    config: cfg,
    files,
    specs: loaded.specs,
    diagnostics: loaded.diagnostics,
    timings: { ...loaded.timings, discover },
    cacheHits: loaded.cacheHits,
    partial: (opts.paths ?? []).length > 0,
  };
}

export function lockfilePath(config: ResolvedConfig): string {
  return resolve(config.root, config.lockfile);
}

export async function readProjectLock(config: ResolvedConfig): Promise<Lockfile> {
  return readLockfile(lockfilePath(config));
}

/** Sizes of the outputs that exist now (videos and translations), by project-relative path. */
export async function statOutputs(config: ResolvedConfig, specs: VideoSpec[], extra: string[] = []): Promise<Map<string, number>> {
  const paths = [...specs.flatMap(allOutputs), ...extra];
  const sizes = new Map<string, number>();
  await Promise.all(
    paths.map(async (p) => {
      try {
        const s = await stat(resolve(config.root, p));
        if (s.isFile()) sizes.set(p, s.size);
      } catch {
        // missing: the planner turns that into a download
      }
    }),
  );
  return sizes;
}
