/**
 * The catalog a plan or build checks against (see catalog.ts for where it comes from), with one more
 * rule: a cached copy that does not know an id, or shows a look still training, may just be older
 * than the look. Then HeyGen is asked once more before anything is reported (a free GET, and only
 * when there is something to report).
 */
import type { ResolvedConfig } from '../../model/config.js';
import type { Plan } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import type { HeygenClient } from '../../providers/heygen/index.js';
import type { Facts } from '../provider.js';
import { loadCatalog, readCatalogCache, writeCatalogCache } from './catalog.js';
import { catalogFindings, catalogNeeds } from './catalog-checks.js';

/** A cache younger than this is not asked again on a miss: the plan just before a build fetched it. */
const MISS_REFETCH_AFTER_MS = 60_000;

const MISSES = new Set(['E_UNKNOWN_AVATAR', 'E_UNKNOWN_VOICE', 'E_AVATAR_NOT_READY']);

/** The catalog facts, and a plan's background refresh to wait for before exiting. */
export async function catalogFacts(
  plan: Plan,
  specs: readonly VideoSpec[],
  config: ResolvedConfig,
  opts: { mode: 'plan' | 'build'; client?: HeygenClient; refresh: boolean; signal?: AbortSignal; now?: () => number },
): Promise<{ facts: Pick<Facts, 'catalog' | 'catalogSkipped'>; refreshing?: Promise<void>; cacheLists?: () => Promise<void> }> {
  const client = opts.client;
  const fetch = client ? (signal?: AbortSignal) => client.listCatalog(signal) : undefined;
  const needs = client && opts.mode === 'build' ? catalogNeeds(plan, specs, config) : 'whole';
  const lookup = client && needs !== 'whole' ? (signal?: AbortSignal) => client.lookupCatalog(needs, signal) : undefined;
  const now = opts.now ?? Date.now;
  const state = await loadCatalog({
    root: config.root,
    mode: opts.mode,
    ...(fetch ? { fetch } : {}),
    ...(lookup ? { lookup } : {}),
    refresh: opts.refresh,
    now,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  let catalog = state.catalog;
  if (!catalog) return { facts: state.skipped ? { catalogSkipped: state.skipped } : {} };
  const old = state.source !== 'fetched' && now() - catalog.fetched_at >= MISS_REFETCH_AFTER_MS;
  const misses = (): boolean => catalogFindings(plan, specs, catalog!, config).some((f) => f.effect === 'error' && MISSES.has(f.code));
  if (fetch && old && misses()) {
    if (state.refreshing) {
      await state.refreshing;
      catalog = (await readCatalogCache(config.root)) ?? catalog;
    } else {
      try {
        catalog = await fetch(opts.signal);
        await writeCatalogCache(config.root, catalog);
      } catch {
        // Offline: report against the copy we have.
      }
    }
    return { facts: { catalog } };
  }
  return { facts: { catalog }, ...(state.refreshing ? { refreshing: state.refreshing } : {}), ...(state.cacheLists ? { cacheLists: state.cacheLists } : {}) };
}
