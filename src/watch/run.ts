/**
 * One run of a watch: reload the config when it changed, load the manifests (the manifest cache makes
 * unchanged files cheap), report what is invalid or gone, then render what changed. Everything a run
 * learns about the project (files, assets, attempts) is kept for the next one.
 */
import { readCatalogCache } from '../execute/heygen/catalog.js';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import { openProject, type Project } from '../api/project.js';
import { CONFIG_FILES } from '../config/defaults.js';
import { configFileFor, loadConfig, projectRoot } from '../config/index.js';
import { isHeygenBuildError, type Diagnostic } from '../errors.js';
import type { EventSink } from '../execute/events.js';
import { chooseProvider, loadProvider } from '../execute/choose.js';
import { errorDiagnostics } from '../execute/failure.js';
import { planWith } from '../api/pipeline.js';
import type { Provider, ProviderState } from '../execute/provider.js';
import type { ResolvedConfig } from '../model/config.js';
import { localAssets } from '../model/spec.js';
import { plannedVideos, watchJobs, type Attempt, type WatchJob } from './jobs.js';
import { isInside, manifestFolders, missingAssetPath, projectRelative, type ProjectPaths } from './paths.js';
import { renderDrafts, renderHeygen, type RenderOutcome } from './render.js';
import type { Batch } from './scheduler.js';
import type { StateModel } from './state.js';
import type { WatchEvent } from './types.js';

/** What a watch's runner needs: the working folder, config file, watched paths, provider and sinks. */
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

/** Runs a watch's runs as described above, keeping what each learns for the next. */
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
    return projectRoot(this.o.cwd, this.o.configFile);
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
    // A folder on the way to a missing asset: the run after it watches the folder (and finds the file if it is there).
    if (kind === 'addDir' && [...this.missingAssets].some((a) => isInside(abs, resolve(this.root, a)))) return true;
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
    // A missing asset's folder may not exist yet either: its nearest existing folder sees it being made.
    for (const a of assets) files.add(nearestExisting(dirname(resolve(root, a)), root));
    const tree = this.config ? manifestFolders(root, this.o.cwd, this.config.manifests, this.o.paths) : [];
    return { tree: tree.filter((d) => existsSync(d)), files: [...files] };
  }

  async run(batch: Batch, signal: AbortSignal): Promise<void> {
    const scope = this.scope(batch);
    this.o.model.setStatus('running');
    const config = await this.loadConfigStep(scope);
    if (!config) return scope.end(false);
    const project = await this.loadProjectStep(scope, config);
    if (!project) return scope.end(false);
    const errors = this.trackProject(scope, project);
    const planned = await this.planStep(scope, project, errors);
    if (!planned) return;
    await this.renderStep(scope, planned, signal);
  }

  /** What every step of one run shares: its number, paths made relative, and the two ways it reports. */
  private scope(batch: Batch): RunScope {
    const { emit } = this.o;
    const started = performance.now();
    const run = ++this.o.model.runs;
    return {
      run,
      batch,
      rel: (abs) => projectRelative(this.root, abs),
      end: (ok, out = {}, superseded = false) =>
        emit({
          type: 'run-end',
          run,
          ok,
          rendered: out.rendered ?? [],
          cached: out.cached ?? [],
          failed: out.failed ?? [],
          superseded,
          ms: Math.round(performance.now() - started),
        }),
      invalid: (diagnostics, also = []) => {
        const files = [...new Set([...also, ...diagnostics.flatMap((d) => (d.location ? [d.location.file] : []))])];
        emit({ type: 'invalid', run, files, diagnostics });
      },
    };
  }

  /** 1. The config, when it (or .env) changed, or is still broken. */
  private async loadConfigStep(scope: RunScope): Promise<ResolvedConfig | undefined> {
    const { batch, run, rel } = scope;
    if (!((batch.initial && !this.config) || this.configBroken || batch.paths.some((p) => this.isConfigPath(p)))) return this.config;
    try {
      const config = await loadConfig({ cwd: this.o.cwd, configFile: this.o.configFile, overrides: { provider: this.o.provider }, env: this.o.env });
      if (this.o.provider === 'heygen') chooseProvider(config, this.o.env ?? process.env); // no key: say so now
      const reloaded = !batch.initial && this.config !== undefined;
      this.config = config;
      this.configBroken = false;
      if (reloaded) this.o.emit({ type: 'config-reloaded', run, file: config.configFile ? rel(config.configFile) : '(defaults)' });
      return config;
    } catch (e) {
      this.configBroken = true;
      this.o.emit({ type: 'change', run, initial: batch.initial, files: batch.paths.map(rel), render: [], restore: [], upToDate: false });
      // Config errors carry no line (the config is code): the event still names the file.
      const diags = errorDiagnostics(e);
      this.o.model.setDiagnostics(diags);
      const file = configFileFor(this.o.cwd, this.o.configFile);
      scope.invalid(diags, file ? [rel(file)] : []);
      return undefined;
    }
  }

  /** 2. Manifests. Explicit paths that are gone are reported as removed, not as an error. */
  private async loadProjectStep(scope: RunScope, config: ResolvedConfig): Promise<Project | undefined> {
    const present = this.o.paths.filter((p) => isDynamicPattern(p) || existsSync(resolve(this.o.cwd, p)));
    if (this.o.paths.length > 0 && present.length === 0) {
      return { config, files: [], specs: [], diagnostics: [], timings: { read: 0, parse: 0, validate: 0, resolve: 0, discover: 0 }, cacheHits: 0, partial: true };
    }
    try {
      return await openProject({ cwd: this.o.cwd, paths: present, cache: true }, config);
    } catch (e) {
      const diags = errorDiagnostics(e);
      this.o.model.setDiagnostics(diags);
      scope.invalid(diags);
      return undefined;
    }
  }

  /** 3. What left, what is wrong, and which files and assets to watch next. Returns the errors. */
  private trackProject(scope: RunScope, project: Project): Diagnostic[] {
    const nowFiles = new Set(project.files);
    for (const f of this.files) {
      if (nowFiles.has(f)) continue;
      const r = scope.rel(f);
      this.o.emit({ type: 'removed', run: scope.run, file: r, ids: this.idsBySource.get(r) ?? [] });
      this.idsBySource.delete(r);
      this.assetsBySource.delete(r);
    }
    this.files = nowFiles;
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    this.missingAssets = new Set(errors.filter((d) => d.code === 'E_ASSET_MISSING').flatMap((d) => missingAssetPath(d.message) ?? []));
    // A file with problems is watched until they are fixed: that includes a rows data file.
    for (const d of errors) if (d.location) this.missingAssets.add(d.location.file);
    const ids = new Map<string, string[]>();
    const assets = new Map<string, Set<string>>();
    for (const spec of project.specs) {
      let list = ids.get(spec.source);
      if (!list) ids.set(spec.source, (list = []));
      list.push(spec.id);
      let used = assets.get(spec.source);
      if (!used) assets.set(spec.source, (used = new Set()));
      for (const a of localAssets(spec)) used.add(a.path);
      // A rows manifest's data file is watched like an asset: a cell edit re-plans its rows.
      if (spec.row && spec.row.file !== spec.source) used.add(spec.row.file);
    }
    for (const [source, used] of assets) this.assetsBySource.set(source, [...used]);
    // An invalid manifest keeps the ids it had, so its removal can still name them.
    const invalidFiles = this.invalidSources(errors);
    for (const [source, old] of this.idsBySource) if (!ids.has(source) && invalidFiles.has(source)) ids.set(source, old);
    this.idsBySource = ids;
    return errors;
  }

  /** 4. Jobs: the provider's plan, less what already failed with the same content. */
  private async planStep(scope: RunScope, project: Project, errors: Diagnostic[]): Promise<PlannedRun | undefined> {
    const { model, emit } = this.o;
    const provider = await loadProvider(this.o.provider, project.config);
    let planned;
    try {
      planned = await planWith(provider, project, { mode: 'plan' });
    } catch (e) {
      await provider.close();
      const diags = errorDiagnostics(e);
      model.setDiagnostics(diags);
      scope.invalid(diags);
      scope.end(false);
      return undefined;
    }
    const jobs = watchJobs(project.config.root, project.specs, planned.plan.items, planned.state.lock, this.attempts);
    const invalidFiles = this.invalidSources(errors);
    // The plan's facts hold the catalog when the provider read it: the file is read again only otherwise.
    model.setPlan(plannedVideos(jobs, planned.facts.catalog ?? (await readCatalogCache(project.config.root))), invalidFiles);
    model.setDiagnostics(errors);
    const work = jobs.filter((j) => j.needsWork);
    const restore = work.filter((j) => j.action === 'download').map((j) => j.id);
    const render = work.filter((j) => j.action !== 'download').map((j) => j.id);
    emit({ type: 'change', run: scope.run, initial: scope.batch.initial, files: scope.batch.paths.map(scope.rel), render, restore, upToDate: work.length === 0 && errors.length === 0 });
    if (errors.length > 0) scope.invalid(errors);
    // A journaling provider renders through build(), which makes its own: this one is done.
    if (provider.journals) await provider.close();
    if (work.length > 0 && !this.o.superseded()) return { provider, project, state: planned.state, work, full: scope.batch.initial && errors.length === 0 };
    await provider.close();
    // Files changed while this plan was made (a save in progress): the next run has them.
    if (work.length === 0) scope.end(errors.length === 0);
    else scope.end(true, {}, true);
    return undefined;
  }

  /**
   * Each invalid file with its first problem. A rows manifest's data file counts for the manifest too:
   * while a CSV is broken, its rows stay on the page with their last drafts, marked invalid.
   */
  private invalidSources(errors: Diagnostic[]): Map<string, string> {
    const invalid = new Map<string, string>();
    for (const d of errors) {
      if (!d.location) continue;
      const file = d.location.file;
      const message = `${d.code}: ${d.message}`;
      if (!invalid.has(file)) invalid.set(file, message);
      for (const [source, used] of this.assetsBySource) if (!invalid.has(source) && used.includes(file)) invalid.set(source, message);
    }
    return invalid;
  }

  /** 5. Render what needs work, then remember what was done. */
  private async renderStep(scope: RunScope, p: PlannedRun, signal: AbortSignal): Promise<void> {
    const { model, emit } = this.o;
    const first = scope.batch.firstEventAt;
    emit({ type: 'run-start', run: scope.run, ids: p.work.map((j) => j.id), sinceEventMs: first === undefined ? null : Math.round((performance.now() - first) * 10) / 10 });
    const sink: EventSink = (e) => {
      model.apply(e);
      emit(e);
    };
    let outcome: RenderOutcome;
    try {
      if (!p.provider.journals) {
        // Drafts: the watch's own plan, executed as is.
        outcome = await renderDrafts(p.provider, p.project, p.state, p.work, sink, signal).finally(() => p.provider.close());
      } else {
        // A journaling provider builds under the build lock, from its state read again under it. The
        // initial run is a full build (it resumes what a killed build left), unless some manifests are invalid.
        const withWork = new Set(p.work.map((j) => j.spec.id));
        const scoped: Project = p.full ? p.project : { ...p.project, specs: p.project.specs.filter((s) => withWork.has(s.id)), partial: true };
        outcome = await renderHeygen(scoped, sink, signal, this.o.env);
      }
    } catch (e) {
      if (isHeygenBuildError(e) && e.diagnostics.length > 0) scope.invalid(e.diagnostics);
      else {
        const [d] = errorDiagnostics(e);
        emit({ type: 'error', run: scope.run, code: d!.code, message: d!.message, ...(d!.hint ? { hint: d!.hint } : {}) });
      }
      return scope.end(false);
    }
    this.remember(p.work, outcome);
    scope.end(outcome.failed.length === 0 && !outcome.interrupted, outcome);
  }

  /** What an interrupt skipped is tried again by the next run; a failure waits for its content to change. */
  private remember(work: readonly WatchJob[], outcome: RenderOutcome): void {
    const failed = new Set(outcome.failed);
    const done = new Set([...outcome.rendered, ...outcome.cached]);
    for (const j of work) {
      if (failed.has(j.id)) this.attempts.set(j.id, { key: j.key, ok: false });
      else if (done.has(j.id) || (this.o.provider === 'heygen' && !outcome.interrupted)) this.attempts.set(j.id, { key: j.key, ok: true });
    }
  }
}

/** `dir`, or its closest ancestor that exists, stopping at the project root. */
function nearestExisting(dir: string, root: string): string {
  let d = dir;
  while (!existsSync(d) && d !== root && isInside(root, d)) d = dirname(d);
  return existsSync(d) ? d : root;
}

interface RunScope {
  run: number;
  batch: Batch;
  rel: (abs: string) => string;
  end: (ok: boolean, out?: Partial<RenderOutcome>, superseded?: boolean) => void;
  invalid: (diagnostics: Diagnostic[], also?: string[]) => void;
}

interface PlannedRun {
  provider: Provider;
  project: Project;
  state: ProviderState;
  work: WatchJob[];
  /** Every manifest is valid on the initial run: a HeyGen build may resume and prune the whole project. */
  full: boolean;
}
