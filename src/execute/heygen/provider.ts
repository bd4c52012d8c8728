/**
 * HeyGen as a Provider: state is the lockfile (opened as the journal for a build), checks are the
 * budget, what the API can express, languages and credits, and execution renders, polls and downloads,
 * saving the lockfile after every state change.
 */
import { resolve } from 'node:path';
import { LOCK_CACHE_FILE } from '../../lockfile/sidecar.js';
import { LockStore, readLockfile } from '../../lockfile/store.js';
import { readWithUnmerged } from '../../lockfile/unmerged.js';
import { hasAlternates, settleAlternates } from '../../lockfile/merge-alternates.js';
import type { ResolvedConfig } from '../../model/config.js';
import type { Lockfile } from '../../model/lock.js';
import { allOutputs } from '../../model/outputs.js';
import type { Plan } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { PlannerOptions } from '../../plan/input.js';
import { PLAN_ENGINE } from '../../plan/plan.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
import type { EventSink } from '../events.js';
import { statOutputs } from '../outputs.js';
import type { ExecuteContext, ExecuteResult, Facts, Problem, Provider, ProviderState, StateMode } from '../provider.js';
import type { AssetRecord } from '../../manifest/assets.js';
import { catalogProblems, wantsCatalog } from './catalog-problems.js';
import { catalogFacts } from './catalog-facts.js';
import { heygenProblems } from './checks.js';
import { checkLanguages, languageList, wantsLanguages } from './languages.js';
import { knownDefinitions, templateDefinitions, type TemplateDefinitions } from './template-definitions.js';
import { styleList, styleProblems, wantsStyles } from './styles.js';
import { templateProblems } from './template-checks.js';
import { sendsItemFiles } from './item-uploads.js';

/** What the heygen provider reads before planning; a build also holds the open lock journal. */
export interface HeygenState extends ProviderState {
  /** The journal: present when the state was read for a build. */
  readonly store?: LockStore;
}

/** Where a shard journals instead of the lockfile: its partial lockfile (absolute path, and as the user names it). */
export interface JournalTarget {
  path: string;
  display: string;
}

/** How the HeyGen provider runs: refresh the catalog now; journal to a shard's partial lockfile. */
export interface HeygenProviderOptions {
  refreshCatalog?: boolean;
  journal?: JournalTarget;
}

/** The absolute path of the project's lockfile. */
export function lockfilePath(config: ResolvedConfig): string {
  return resolve(config.root, config.lockfile);
}

/** The provider that renders with HeyGen, journaling every submission to the lockfile so builds are exactly-once. */
export class HeygenProvider implements Provider<HeygenState> {
  readonly name = 'heygen';
  readonly journals = true;
  readonly planOptions: PlannerOptions;
  private client?: HeygenClient;
  /** Read with the state; the checks compare template videos with them. */
  private templates?: TemplateDefinitions;
  /** Background catalog writes (a stale catalog's refresh, a build's lists): waited for in `close`, so the new copy is written. */
  private refreshing?: Promise<void>;
  /** A build that checked looks and voices by id: the lists to cache once its first POST is answered. */
  private cacheLists?: () => Promise<void>;
  /** The run's modules, loading since the lookups began (see `preloadRun`). */
  private run?: Promise<typeof import('./run.js')>;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly opts: HeygenProviderOptions = {},
  ) {
    // v3 renders scene by scene and composes locally; the legacy v2 adapter renders whole videos.
    this.planOptions = { engine: PLAN_ENGINE, scenes: config.heygen.api === 'v3' };
  }

  /**
   * A client only when there is a key: `plan` works without one, from the lockfile alone. Its code
   * (the client and its adapters) is imported only then.
   */
  private async clientFor(mode: StateMode): Promise<HeygenClient | undefined> {
    if (!this.config.heygen.apiKey) return undefined;
    const { heygenClientFromConfig } = await import('../../providers/heygen/from-config.js');
    // plan makes at most one free GET and must not hang on a slow network: fewer attempts.
    this.client ??= heygenClientFromConfig(this.config, mode === 'plan' ? { maxAttempts: 2 } : {});
    return this.client;
  }

  async readState(specs: readonly VideoSpec[], mode: StateMode): Promise<HeygenState> {
    const path = lockfilePath(this.config);
    const opts = { displayPath: this.config.lockfile, cache: resolve(this.config.root, LOCK_CACHE_FILE) };
    const outputs = statOutputs(this.config.root, specs.flatMap(allOutputs));
    // Template definitions are part of the keys, so they are read before planning (a free GET each).
    this.templates = specs.some((s) => s.template) ? await templateDefinitions(this.config, specs, mode, await this.clientFor(mode)) : undefined;
    const templates = this.templates ? { templates: knownDefinitions(this.templates) } : {};
    if (mode === 'build') {
      const j = this.opts.journal;
      // A shard's journal (and the lockfile merge it needs) is imported only for `build --shard`.
      const shard = j ? await (await import('../../lockfile/merge-shard.js')).openShardStore(path, j.path, { lock: this.config.lockfile, out: j.display }) : undefined;
      const store = shard?.store ?? (await LockStore.open(path, opts));
      return { lock: store.lock, outputs, store, ...(shard?.base ? { shardBase: shard.base } : {}), ...templates };
    }
    // With the records of a build that ran while the lockfile was conflicted, as the next build will join them.
    const { lock } = await readWithUnmerged(() => readLockfile(path, opts), path, this.config.lockfile);
    return { lock, outputs, ...templates };
  }

  /**
   * The free lookups the checks need (languages, catalog, styles, remaining credits), side by side: none
   * depends on another, and the first paid POST waits for the slowest of them, not for their sum. A
   * build also loads the run's code while they are on the wire (see `preloadRun`). With them, the
   * files v3 scene clips, template renders (image, audio and video variables) and dubs (the source)
   * would upload that HeyGen would refuse (upload-facts.ts; from `assets`, no read).
   */
  async facts(plan: Plan, mode: StateMode, signal?: AbortSignal, specs: readonly VideoSpec[] = [], assets?: ReadonlyMap<string, AssetRecord>): Promise<Facts> {
    const languages = wantsLanguages(plan);
    const catalog = wantsCatalog(plan, specs);
    const styles = wantsStyles(plan, specs);
    // The client's code is loaded only when something is asked (see clientFor).
    const client = languages || catalog || styles || mode === 'build' ? await this.clientFor(mode) : undefined;
    const parts: Promise<Partial<Facts>>[] = [];
    // The credits (a build's one lookup that is always made) go first with the catalog's first page
    // (catalog.ts): a wrong key costs those two requests, and languages and styles wait for the first.
    const credits = mode === 'build' && client && plan.totals.credits > 0 ? client.remainingCredits(signal) : undefined;
    const keyChecked: Promise<unknown> = credits ?? Promise.resolve();
    if (credits) parts.push(credits.then((remaining) => (remaining !== undefined ? { remainingCredits: remaining } : {})));
    if (languages) parts.push(keyChecked.then(() => languageList(this.config, mode, () => client, signal)).then((list) => (list ? { languages: list } : {})));
    if (catalog) {
      const c = catalogFacts(plan, specs, this.config, { mode, ...(client ? { client } : {}), refresh: this.opts.refreshCatalog ?? false, ...(signal ? { signal } : {}) });
      parts.push(
        c.then((r) => {
          if (r.refreshing) this.beforeClose(r.refreshing);
          this.cacheLists = r.cacheLists;
          return r.facts;
        }),
      );
    }
    if (styles) parts.push(keyChecked.then(() => styleList(this.config, client, signal ? { signal } : {})).then((list) => (list ? { styles: list } : {})));
    if (this.config.heygen.api === 'v3' && (rendersClips(plan) || sendsItemFiles(plan, specs))) {
      parts.push(uploadFacts(plan, specs, this.config.root, assets, this.templates));
    }
    if (mode === 'build' && parts.length > 0 && plan.items.some((i) => i.action !== 'unchanged')) this.preloadRun();
    const facts: Facts = this.templates ? { templates: this.templates } : {};
    for (const f of await Promise.all(parts)) Object.assign(facts, f);
    return facts;
  }

  /**
   * Starts loading the run's modules (~0.1 s of compiling) while the lookups wait on the network, so
   * the first paid POST does not wait for them after the checks. Only a load: nothing runs.
   */
  private preloadRun(): void {
    this.run ??= import('./run.js');
    // A failed load is reported where `execute` awaits it.
    this.run.catch(() => undefined);
  }

  check(plan: Plan, specs: readonly VideoSpec[], facts: Facts): Problem[] {
    return [
      ...heygenProblems(plan, specs, facts, this.config),
      ...templateProblems(specs, facts.templates, this.config.heygen.api),
      ...catalogProblems(plan, specs, this.config, facts.catalog, facts.catalogSkipped),
      ...styleProblems(plan, specs, facts.styles),
    ];
  }

  async execute(plan: Plan, specs: readonly VideoSpec[], state: HeygenState, ctx: ExecuteContext): Promise<ExecuteResult> {
    const store = state.store;
    const client = await this.clientFor('build');
    if (!store || !client) throw new Error('HeygenProvider.execute needs state read for a build, and an API key');
    const languageNames = ctx.facts.languages ? checkLanguages(plan, ctx.facts.languages).names : new Map<string, string>();
    // After a lockfile merge: the records this plan chose become the entries the run reads.
    if (hasAlternates(store.lock, plan)) await store.update((l) => settleAlternates(l, plan));
    const { runHeygen } = await (this.run ??= import('./run.js'));
    const emit = this.cachingLists(ctx.emit);
    const run = await runHeygen({ config: this.config, specs, plan, store, client, emit, languageNames, signal: ctx.signal, failFast: ctx.failFast, ...(state.templates ? { templates: state.templates } : {}), ...(ctx.detach ? { detach: ctx.detach } : {}), ...(ctx.takeOverStale ? { takeOverStale: true } : {}), ...(ctx.place ? { place: ctx.place } : {}), ...(ctx.assets ? { assets: ctx.assets } : {}) });
    const ok = run.counts.failed === 0 && !run.interrupted;
    if (ok && !ctx.partial) await pruneOrphans(store, plan, ctx.emit);
    await this.leaveLockCache(store);
    // Read once every save is done: a conflict resolved during the build was joined at its next save.
    const unmerged = store.unmerged;
    return unmerged === undefined ? run : { ...run, unmerged };
  }

  /** Catalog writes `close` waits for, however many there are (a plan's refresh, a build's lists). */
  private beforeClose(p: Promise<void>): void {
    this.refreshing = this.refreshing ? Promise.all([this.refreshing, p]).then(() => undefined) : p;
  }

  /** Starts caching the catalog's lists (see `cacheLists`) at the build's first answered POST. */
  private cachingLists(emit: EventSink): EventSink {
    if (!this.cacheLists) return emit;
    return (e) => {
      if (e.type === 'submitted' && this.cacheLists) {
        this.beforeClose(this.cacheLists());
        this.cacheLists = undefined;
      }
      emit(e);
    };
  }

  /** Leaves the parsed-lockfile cache for the bytes the build last wrote: the next plan reads JSON, not YAML. */
  private async leaveLockCache(store: LockStore): Promise<void> {
    try {
      await store.leaveCache(resolve(this.config.root, LOCK_CACHE_FILE));
    } catch {
      // Best effort (a failed save was reported where it happened): the next plan parses the YAML.
    }
  }

  async close(): Promise<void> {
    await this.refreshing;
    this.refreshing = undefined;
    await this.client?.close();
    this.client = undefined;
  }
}

/** Whether `plan` pays for a scene clip (which may upload files): the check's module loads only then (or for a template's files or a dub's source). */
function rendersClips(plan: Plan): boolean {
  return plan.items.some((i) => i.restore === undefined && i.scenes?.some((s) => s.action === 'create') === true);
}

async function uploadFacts(plan: Plan, specs: readonly VideoSpec[], root: string, assets: ReadonlyMap<string, AssetRecord> | undefined, templates: TemplateDefinitions | undefined): Promise<Partial<Facts>> {
  const { refusedUploads } = await import('./upload-facts.js');
  const uploads = await refusedUploads(plan, specs, { root, assets, templates });
  return uploads.length > 0 ? { uploads } : {};
}

/** Entries whose manifest is gone leave the lockfile; their files stay where they are. */
async function pruneOrphans(store: LockStore, plan: Plan, emit: EventSink): Promise<void> {
  const orphans = plan.items.filter((i) => i.action === 'orphan');
  if (orphans.length === 0) return;
  await store.update((l: Lockfile) => {
    for (const o of orphans) {
      if (o.kind === 'video') delete l.videos[o.videoId];
      else {
        delete l.videos[o.videoId]?.translations[o.language!];
        delete l.videos[o.videoId]?.proofreads?.[o.language!];
      }
    }
  });
  const files = orphans.map((o) => o.output).filter(Boolean).join(', ') || 'none';
  emit({ type: 'warning', message: `removed ${orphans.length} orphaned entr${orphans.length === 1 ? 'y' : 'ies'} from the lockfile (files left in place: ${files})` });
}
