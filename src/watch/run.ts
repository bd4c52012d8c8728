/**
 * One run of a watch: reload the config when it changed, load the manifests (the manifest cache makes
 * unchanged files cheap), report what is invalid or gone, then render what changed. Everything a run
 * learns about the project (files, assets, attempts) is kept for the next one.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { openProject, type Project } from '../api/project.js';
import { CONFIG_FILES } from '../config/defaults.js';
import { findConfigFile, loadConfig } from '../config/index.js';
import { isHeygenBuildError, type Diagnostic } from '../errors.js';
import type { EventSink } from '../execute/events.js';
import { chooseProvider, createProvider } from '../execute/choose.js';
import { planWith } from '../api/pipeline.js';
import type { ResolvedConfig } from '../model/config.js';
import { localAssets } from '../model/spec.js';
import { plannedVideos, watchJobs, type Attempt, type WatchJob } from './jobs.js';
import { isInside, manifestFolders, missingAssetPath, projectRelative, type ProjectPaths } from './paths.js';
import { renderDrafts, renderHeygen, type RenderOutcome } from './render.js';
import type { Batch } from './scheduler.js';
import type { StateModel } from './state.js';
import type { WatchEvent } from './types.js';

export interface RunnerOptions {
  cwd: string;
  configFile?: string;
  paths: string[];
  provider: 'local' | 'heygen';
  env?: NodeJS.ProcessEnv;
  model: StateModel;
  emit: (e: WatchEvent) => void;
  /** True when file events arrived after this run began: its plan is already stale. */
  superseded: () => boolean;
}

/** Folders to watch: recursive manifest folders and single folders (config, assets). */
export interface WatchTargets {
  tree: string[];
  files: string[];
}

export function errorDiagnostics(e: unknown): Diagnostic[] {
  if (isHeygenBuildError(e)) {
    if (e.diagnostics.length > 0) return e.diagnostics;
    const d: Diagnostic = { severity: 'error', code: e.code, message: e.message };
    if (e.hint !== undefined) d.hint = e.hint;
    if (e.location) d.location = e.location;
    return [d];
  }
  return [{ severity: 'error', code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) }];
}

export class Runner {
  config?: ResolvedConfig;
  private configBroken = false;
  /** Absolute manifest paths of the last run. */
  private files = new Set<string>();
  private idsBySource = new Map<string, string[]>();
  /** Project-relative assets per manifest; kept while a manifest is invalid so fixing an asset is seen. */
  private assetsBySource = new Map<string, string[]>();
  private missingAssets = new Set<string>();
  private attempts = new Map<string, Attempt>();

  constructor(private readonly o: RunnerOptions) {}

  /** The root before any config loads: the config file's folder, else the working folder. */
  get root(): string {
    if (this.config) return this.config.root;
    const file = this.o.configFile ? resolve(this.o.cwd, this.o.configFile) : findConfigFile(this.o.cwd);
    return file ? dirname(file) : this.o.cwd;
  }

  projectPaths(): ProjectPaths {
    return { root: this.root, outDir: this.config?.outDir ?? 'out', lockfile: this.config?.lockfile ?? 'heygen.lock.yaml' };
  }

  isConfigPath(abs: string): boolean {
    if (this.config?.configFile === abs) return true;
    if (this.o.configFile) return resolve(this.o.cwd, this.o.configFile) === abs;
    return dirname(abs) === this.root && (CONFIG_FILES.includes(basename(abs)) || basename(abs) === '.env');
  }

  /** Whether an event at `abs` can change anything this watch builds. */
  isRelevant(abs: string, kind: string, from: 'tree' | 'files'): boolean {
    if (this.isConfigPath(abs) || this.files.has(abs)) return true;
    const rel = projectRelative(this.root, abs);
    if (this.missingAssets.has(rel)) return true;
    for (const assets of this.assetsBySource.values()) if (assets.includes(rel)) return true;
    // A manifest folder that did not exist yet (or was re-created): the next run starts watching it.
    if (kind === 'addDir' && this.config && manifestFolders(this.root, this.o.cwd, this.config.manifests, this.o.paths).some((f) => isInside(abs, f))) {
      return true;
    }
    if (from !== 'tree') return false;
    // A new manifest, or a folder of them, in a folder manifests may appear in.
    const grows = this.growable().some((f) => isInside(f, abs));
    return grows && (kind === 'addDir' || kind === 'unlinkDir' || /\.ya?ml$/i.test(abs));
  }

  private growable(): string[] {
    const explicit = this.o.paths.filter((p) => !isDynamicPattern(p) && /\.ya?ml$/i.test(p));
    return manifestFolders(this.root, this.o.cwd, this.config?.manifests ?? [], this.o.paths.filter((p) => !explicit.includes(p)));
  }

  targets(): WatchTargets {
    const root = this.root;
    const files = new Set<string>([root]);
    if (this.o.configFile) files.add(dirname(resolve(this.o.cwd, this.o.configFile)));
    const assets = [...this.assetsBySource.values()].flat().concat([...this.missingAssets]);
    for (const a of assets) {
      const dir = dirname(resolve(root, a));
      if (existsSync(dir)) files.add(dir);
    }
    const tree = this.config ? manifestFolders(root, this.o.cwd, this.config.manifests, this.o.paths) : [];
    return { tree: tree.filter((d) => existsSync(d)), files: [...files] };
  }

  async run(batch: Batch, signal: AbortSignal): Promise<void> {
    const { model, emit } = this.o;
    const started = performance.now();
    const run = ++model.runs;
    const rel = (abs: string): string => projectRelative(this.root, abs);
    const end = (ok: boolean, out: Partial<RenderOutcome> = {}, superseded = false): void =>
      emit({
        type: 'run-end',
        run,
        ok,
        rendered: out.rendered ?? [],
        cached: out.cached ?? [],
        failed: out.failed ?? [],
        superseded,
        ms: Math.round(performance.now() - started),
      });
    const invalid = (diagnostics: Diagnostic[], also: string[] = []): void => {
      const files = [...new Set([...also, ...diagnostics.flatMap((d) => (d.location ? [d.location.file] : []))])];
      emit({ type: 'invalid', run, files, diagnostics });
    };
    model.setStatus('running');

    // 1. The config, when it (or .env) changed, or is still broken.
    if ((batch.initial && !this.config) || this.configBroken || batch.paths.some((p) => this.isConfigPath(p))) {
      try {
        const config = await loadConfig({ cwd: this.o.cwd, configFile: this.o.configFile, overrides: { provider: this.o.provider }, env: this.o.env });
        if (this.o.provider === 'heygen') chooseProvider(config, this.o.env ?? process.env); // no key: say so now
        const reloaded = !batch.initial && this.config !== undefined;
        this.config = config;
        this.configBroken = false;
        if (reloaded) emit({ type: 'config-reloaded', run, file: config.configFile ? rel(config.configFile) : '(defaults)' });
      } catch (e) {
        this.configBroken = true;
        emit({ type: 'change', run, initial: batch.initial, files: batch.paths.map(rel), render: [], restore: [], upToDate: false });
        // Config errors carry no line (the config is code): the event still names the file.
        const diags = errorDiagnostics(e);
        model.setDiagnostics(diags);
        const file = this.o.configFile ? resolve(this.o.cwd, this.o.configFile) : findConfigFile(this.o.cwd);
        invalid(diags, file ? [rel(file)] : []);
        end(false);
        return;
      }
    }
    const config = this.config;
    if (!config) return end(false);

    // 2. Manifests. Explicit paths that are gone are reported as removed, not as an error.
    let project: Project;
    const present = this.o.paths.filter((p) => isDynamicPattern(p) || existsSync(resolve(this.o.cwd, p)));
    try {
      project =
        this.o.paths.length > 0 && present.length === 0
          ? { config, files: [], specs: [], diagnostics: [], timings: { read: 0, parse: 0, validate: 0, resolve: 0, discover: 0 }, cacheHits: 0, partial: true }
          : await openProject({ cwd: this.o.cwd, paths: present, cache: true }, config);
    } catch (e) {
      const diags = errorDiagnostics(e);
      model.setDiagnostics(diags);
      invalid(diags);
      end(false);
      return;
    }

    // 3. What left, what is wrong.
    const nowFiles = new Set(project.files);
    for (const f of this.files) {
      if (nowFiles.has(f)) continue;
      const r = rel(f);
      emit({ type: 'removed', run, file: r, ids: this.idsBySource.get(r) ?? [] });
      this.idsBySource.delete(r);
      this.assetsBySource.delete(r);
    }
    this.files = nowFiles;
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    const invalidFiles = new Map<string, string>();
    for (const d of errors) if (d.location && !invalidFiles.has(d.location.file)) invalidFiles.set(d.location.file, `${d.code}: ${d.message}`);
    this.missingAssets = new Set(errors.filter((d) => d.code === 'E_ASSET_MISSING').flatMap((d) => missingAssetPath(d.message) ?? []));
    const ids = new Map<string, string[]>();
    for (const spec of project.specs) {
      ids.set(spec.source, [...(ids.get(spec.source) ?? []), spec.id]);
      this.assetsBySource.set(spec.source, localAssets(spec).map((a) => a.path));
    }
    // An invalid manifest keeps the ids it had, so its removal can still name them.
    for (const [source, old] of this.idsBySource) if (!ids.has(source) && invalidFiles.has(source)) ids.set(source, old);
    this.idsBySource = ids;

    // 4. Jobs: the provider's plan, less what already failed with the same content.
    const provider = createProvider(this.o.provider, config);
    let jobs: WatchJob[];
    let state;
    try {
      const planned = await planWith(provider, project, { mode: 'plan' });
      state = planned.state;
      jobs = watchJobs(config.root, project.specs, planned.plan.items, state.lock, this.attempts);
    } catch (e) {
      await provider.close();
      const diags = errorDiagnostics(e);
      model.setDiagnostics(diags);
      invalid(diags);
      return end(false);
    }
    model.setPlan(plannedVideos(jobs), invalidFiles);
    model.setDiagnostics(errors);
    const work = jobs.filter((j) => j.needsWork);
    const restore = work.filter((j) => j.action === 'download').map((j) => j.id);
    const render = work.filter((j) => j.action !== 'download').map((j) => j.id);
    const files = batch.paths.map(rel);
    emit({ type: 'change', run, initial: batch.initial, files, render, restore, upToDate: work.length === 0 && errors.length === 0 });
    if (errors.length > 0) invalid(errors);
    if (work.length === 0 || this.o.superseded()) {
      await provider.close();
      // Files changed while this plan was made (a save in progress): the next run has them.
      return work.length === 0 ? end(errors.length === 0) : end(true, {}, true);
    }

    // 5. Render.
    emit({ type: 'run-start', run, ids: work.map((j) => j.id), sinceEventMs: batch.firstEventAt === undefined ? null : Math.round((performance.now() - batch.firstEventAt) * 10) / 10 });
    const sink: EventSink = (e) => {
      model.apply(e);
      emit(e);
    };
    let outcome: RenderOutcome;
    try {
      if (!provider.journals) {
        // Drafts: the watch's own plan, executed as is.
        outcome = await renderDrafts(provider, project, state, work, sink, signal);
      } else {
        // A journaling provider builds under the build lock, from state read again under it.
        // The initial run is a full build (it resumes what a killed build left), unless some manifests are invalid.
        const withWork = new Set(work.map((j) => j.spec.id));
        const full = batch.initial && errors.length === 0;
        const scoped: Project = full ? project : { ...project, specs: project.specs.filter((s) => withWork.has(s.id)), partial: true };
        outcome = await renderHeygen(scoped, sink, signal, this.o.env);
      }
    } catch (e) {
      if (isHeygenBuildError(e) && e.diagnostics.length > 0) {
        invalid(e.diagnostics);
        return end(false);
      }
      const [d] = errorDiagnostics(e);
      emit({ type: 'error', run, code: d?.code ?? 'E_INTERNAL', message: d?.message ?? String(e), ...(d?.hint ? { hint: d.hint } : {}) });
      return end(false);
    } finally {
      await provider.close();
    }
    // Remember what was done; what an interrupt skipped is tried again by the next run.
    const failed = new Set(outcome.failed);
    const done = new Set([...outcome.rendered, ...outcome.cached]);
    for (const j of work) {
      if (failed.has(j.id)) this.attempts.set(j.id, { key: j.key, ok: false });
      else if (done.has(j.id) || (this.o.provider === 'heygen' && !outcome.interrupted)) this.attempts.set(j.id, { key: j.key, ok: true });
    }
    end(failed.size === 0 && !outcome.interrupted, outcome);
  }
}
