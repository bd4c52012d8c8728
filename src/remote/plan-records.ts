/**
 * `plan` (and the plan a build executes) against the remote store: a key some machine already rendered
 * has a record there, and the build will restore it for nothing, so the plan says "restore from remote"
 * and prices it at 0 credits instead of as a render. The store is read once: one listing of records/
 * (pages of 1,000 on S3, a directory walk on a folder), or a HEAD per key when only a few are asked.
 * An unreachable store is said as a warning, and the plan prices everything as it would without one.
 */
import { errorInfo } from '../execute/failure.js';
import type { Problem } from '../execute/provider.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Plan, PlanItem, ScenePlanItem } from '../model/plan.js';
import { planTotals } from '../plan/plan.js';
import { mapLimit } from '../util/limit.js';
import { keyOfRecord, recordKey } from './layout.js';
import { openStore } from './open.js';
import type { RemoteStore } from './store.js';

/** Up to this many keys, a HEAD each (at REQUEST_LIMIT at once) is cheaper than listing a large store. */
const HEAD_AT_MOST = 64;
const REQUEST_LIMIT = 16;

/** The reason a plan gives for an item (or scene) the store already has. */
export const RESTORE_REASON = 'restore from remote: another machine or branch rendered this key (0 credits)';

/** The keys of `plan` that a build would pay for: paid items, and the new clips of composed videos. */
export function paidKeys(plan: Plan): Set<string> {
  const keys = new Set<string>();
  for (const it of plan.items) {
    if ((it.action !== 'create' && it.action !== 'update') || !it.key || it.previousKey === it.key) continue;
    keys.add(it.key);
    for (const s of it.scenes ?? []) if (s.action === 'create' && s.key) keys.add(s.key);
  }
  return keys;
}

function restoredScene(s: ScenePlanItem, recorded: ReadonlySet<string>, whole: boolean): ScenePlanItem {
  if (s.action !== 'create' || !s.key || (!whole && !recorded.has(s.key))) return s;
  return { ...s, action: 'reuse', reasons: [RESTORE_REASON], estimate: { ...s.estimate, credits: 0 } };
}

function restoredItem(it: PlanItem, recorded: ReadonlySet<string>): PlanItem {
  // The same key again is a deliberate re-render (--replace, or a failed render retried): it is paid.
  if ((it.action !== 'create' && it.action !== 'update') || !it.key || it.previousKey === it.key) return it;
  if (recorded.has(it.key)) {
    const scenes = it.scenes?.map((s) => restoredScene(s, recorded, true));
    return { ...it, reasons: [RESTORE_REASON, ...it.reasons], estimate: { ...it.estimate, credits: 0 }, ...(scenes ? { scenes } : {}) };
  }
  if (!it.scenes?.some((s) => s.action === 'create' && s.key && recorded.has(s.key))) return it;
  // Some of a composed video's clips are recorded: those cost nothing, the rest as planned.
  const scenes = it.scenes.map((s) => restoredScene(s, recorded, false));
  const saved = it.scenes.reduce((n, s, i) => n + (s.estimate.credits - scenes[i]!.estimate.credits), 0);
  return { ...it, scenes, estimate: { ...it.estimate, credits: Math.max(0, Math.round((it.estimate.credits - saved) * 100) / 100) } };
}

/** Pure: `plan` with every item (or scene clip) whose key is in `recorded` priced as a free restore. */
export function markRestores(plan: Plan, recorded: ReadonlySet<string>): Plan {
  if (recorded.size === 0) return plan;
  const items = plan.items.map((it) => restoredItem(it, recorded));
  return { items, totals: planTotals(items) };
}

/** Which of `keys` have a record in `store`: HEADs when few, else one listing of records/. */
async function recordedAmong(store: RemoteStore, keys: ReadonlySet<string>, signal?: AbortSignal): Promise<Set<string>> {
  const found = new Set<string>();
  if (keys.size <= HEAD_AT_MOST) {
    await mapLimit([...keys], REQUEST_LIMIT, async (k) => {
      if (await store.has(recordKey(k), signal)) found.add(k);
    });
    return found;
  }
  for await (const o of store.list('records/', signal)) {
    const k = keyOfRecord(o);
    if (k !== undefined && keys.has(k)) found.add(k);
  }
  return found;
}

/** What reading the store did to a plan: the plan, and a warning when the store could not be read. */
export interface RemotePlan {
  plan: Plan;
  problems: Problem[];
}

/**
 * `plan` with the store's records applied, when a remote is configured and the plan would pay for
 * something; otherwise `plan` untouched, with no I/O at all.
 */
export async function planWithRemote(plan: Plan, config: ResolvedConfig, signal?: AbortSignal): Promise<RemotePlan> {
  if (!config.remote) return { plan, problems: [] };
  const keys = paidKeys(plan);
  if (keys.size === 0) return { plan, problems: [] };
  let store: RemoteStore | undefined;
  try {
    store = await openStore(config.remote, config.root);
    return { plan: markRestores(plan, await recordedAmong(store, keys, signal)), problems: [] };
  } catch (e) {
    // A plan must still answer offline: what the store would have saved is priced as a render.
    const message = `remote ${config.remote.url} could not be read (${errorInfo(e).message}): items are priced as renders; a build still restores any it finds there`;
    return { plan, problems: [{ code: 'W_REMOTE_OFFLINE', message, effect: 'warning', details: [message] }] };
  } finally {
    await store?.close();
  }
}
