/**
 * `plan` (and the plan a build executes) against the remote store: a key some machine already rendered
 * has a record there, and the build will restore it for nothing, so the plan says "restore from remote"
 * and prices it at 0 credits instead of as a render. The store is read once (plan-read.ts): a GET of
 * each key's record when few are asked, else one listing of records/ and a GET of each listed record,
 * every record checked as a build checks it; one it cannot use prices its key as a render.
 * Claims are read alongside (README "Claims"): a key another machine is paying for right now, or whose
 * holder died before HeyGen answered (stale), is said on the item, and a stale one as a warning.
 * An unreachable store is said as a warning, and the plan prices everything as it would without one.
 */
import { ERROR_CODES } from '../errors.js';
import type { Problem } from '../execute/provider.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Plan, PlanItem, ScenePlanItem } from '../model/plan.js';
import { planTotals } from '../plan/plan.js';
import { sceneSummary } from '../plan/scene-plan.js';
import { claimState, type Claim } from './claims.js';
import { recordKey } from './layout.js';
import { openStore } from './open.js';
import { paidKeys, readStore, type PaidKey } from './plan-read.js';
import type { RemoteStore } from './store.js';
import { offlineProblem } from './plan-offline.js';
import { RESTORE_REASON, WHOLE_FROM_STORE } from './reasons.js';

export { paidKeys } from './plan-read.js';
export { RESTORE_REASON, WHOLE_FROM_STORE } from './reasons.js';

function restoredScene(s: ScenePlanItem, recorded: ReadonlySet<string>, whole: boolean): ScenePlanItem {
  if (s.action !== 'create' || !s.key || (!whole && !recorded.has(s.key))) return s;
  return { ...s, action: 'reuse', reasons: [RESTORE_REASON], estimate: { ...s.estimate, credits: 0, ifNotRestored: s.estimate.credits } };
}

/**
 * The item's reasons with its scene summary ("2 of 2 scenes to render") said again for `scenes`: the
 * whole video from the store, or its restored clips counted apart from the scenes still to render.
 */
function rescened(it: PlanItem, scenes: ScenePlanItem[], whole: boolean): string[] {
  const was = sceneSummary(it.scenes ?? []);
  const fromStore = scenes.filter((s, i) => s !== it.scenes![i]).length;
  const now = whole ? WHOLE_FROM_STORE : sceneSummary(scenes, fromStore);
  return it.reasons.map((r) => (r === was ? now : r));
}

function restoredItem(it: PlanItem, recorded: ReadonlySet<string>): PlanItem {
  // A deliberate re-render (--replace, or the same key again: a failed render retried) is paid.
  if ((it.action !== 'create' && it.action !== 'update') || !it.key || it.previousKey === it.key || it.replace) return it;
  if (recorded.has(it.key)) {
    const scenes = it.scenes?.map((s) => restoredScene(s, recorded, true));
    const reasons = scenes ? rescened(it, scenes, true) : it.reasons;
    const estimate = { ...it.estimate, credits: 0, ifNotRestored: it.estimate.credits };
    return { ...it, restore: 'remote', reasons: [RESTORE_REASON, ...reasons], estimate, ...(scenes ? { scenes } : {}) };
  }
  if (!it.scenes?.some((s) => s.action === 'create' && s.key && recorded.has(s.key))) return it;
  // Some of a composed video's clips are recorded: those cost nothing, the rest as planned.
  const scenes = it.scenes.map((s) => restoredScene(s, recorded, false));
  return { ...withScenes(it, scenes), reasons: rescened(it, scenes, false) };
}

/** `it` with `scenes` (some made free) in place of its own, its credits less what those scenes no longer cost. */
function withScenes(it: PlanItem, scenes: ScenePlanItem[]): PlanItem {
  const saved = it.scenes!.reduce((n, s, i) => n + (s.estimate.credits - scenes[i]!.estimate.credits), 0);
  return { ...it, scenes, estimate: { ...it.estimate, credits: Math.max(0, Math.round((it.estimate.credits - saved) * 100) / 100) } };
}

/** Pure: `plan` with every item (or scene clip) whose key is in `recorded` priced as a free restore. */
export function markRestores(plan: Plan, recorded: ReadonlySet<string>): Plan {
  if (recorded.size === 0) return plan;
  const items = plan.items.map((it) => restoredItem(it, recorded));
  return { items, totals: planTotals(items) };
}

/** Why a claimed key is (or is not) sent by a build, as a plan reason. */
export function claimReason(c: Claim, now = Date.now()): string {
  switch (claimState(c, now)) {
    case 'submitted':
      return `claimed by ${c.job}: HeyGen is rendering it (${c.remoteId}); a build adopts that job instead of paying again`;
    case 'live':
      return `claimed by ${c.job} at ${c.at}, waiting for HeyGen's answer: a build adopts its job once it records an id, or leaves it to it`;
    case 'released':
      return `claim by ${c.job} released: a build takes it over with its Idempotency-Key`;
    case 'stale':
      return `stale claim by ${c.job} (no sign of life since ${c.heartbeat ?? c.at}, no HeyGen id): a build does not send it without --take-over-stale (see \`heygen-build claims\`)`;
  }
}

/**
 * `it` when another machine's claim of its key holds HeyGen's id: a build adopts that job (polls and
 * downloads it), paying nothing, so it is priced at 0 and shown as a restore; likewise each such clip
 * of a composed video, which then costs nothing. Deliberate re-renders (same key again) are left as priced.
 */
function adoptedItem(it: PlanItem, claims: ReadonlyMap<string, Claim>, now: number): PlanItem {
  if (it.previousKey === it.key || it.restore || it.replace) return it;
  const submitted = (k: string | undefined): boolean => k !== undefined && claims.has(k) && claimState(claims.get(k)!, now) === 'submitted';
  const scenes = it.scenes?.map((s) => (s.action === 'create' && submitted(s.key) ? { ...s, action: 'reuse' as const, estimate: { ...s.estimate, credits: 0 } } : s));
  if (submitted(it.key)) return { ...it, restore: 'claim', estimate: { ...it.estimate, credits: 0 }, ...(scenes ? { scenes } : {}) };
  if (!scenes || scenes.every((s, i) => s === it.scenes![i])) return it;
  return withScenes(it, scenes);
}

/**
 * Pure: `plan` with a reason on every item whose key (or a scene clip's) another machine has claimed;
 * a claim that holds HeyGen's id is a free adoption (see adoptedItem).
 */
export function markClaims(plan: Plan, claims: ReadonlyMap<string, Claim>, now = Date.now()): Plan {
  if (claims.size === 0) return plan;
  let priced = false;
  const items = plan.items.map((it) => {
    if ((it.action !== 'create' && it.action !== 'update') || !it.key) return it;
    const own = claims.get(it.key);
    const scenes = (it.scenes ?? []).filter((s) => s.action === 'create' && s.key && claims.has(s.key)).map((s) => `scene ${s.index}: ${claimReason(claims.get(s.key!)!, now)}`);
    if (!own && scenes.length === 0) return it;
    const adopted = adoptedItem(it, claims, now);
    priced ||= adopted !== it;
    return { ...adopted, reasons: [...(own ? [claimReason(own, now)] : []), ...scenes, ...it.reasons] };
  });
  return { items, totals: priced ? planTotals(items) : plan.totals };
}

/** A warning per stale claim on a key the plan pays for (W_CLAIM_STALE). */
function staleProblems(plan: Plan, claims: ReadonlyMap<string, Claim>, now: number): Problem[] {
  const out: Problem[] = [];
  for (const it of plan.items) {
    for (const k of [it.key, ...(it.scenes ?? []).map((s) => s.key)]) {
      const c = k ? claims.get(k) : undefined;
      if (!c || claimState(c, now) !== 'stale') continue;
      const message = `${it.id}: key ${c.key.slice(0, 12)} is claimed by ${c.job} since ${c.at}, with no HeyGen id and no sign of life since ${c.heartbeat ?? c.at}: a build will not send it`;
      out.push({ code: 'W_CLAIM_STALE', message, effect: 'warning', details: [message] });
    }
  }
  return out;
}

/** What reading the store did to a plan: the plan, and a warning when the store could not be read. */
export interface RemotePlan {
  plan: Plan;
  problems: Problem[];
}

/**
 * `plan` with the store's records (and, with `claims`, its claims: `plan` reads them; a build meets
 * them when it claims, so its own plan does not pay for the listing) applied, when a remote is configured and the plan would pay for
 * something; otherwise `plan` untouched, with no I/O at all.
 */
export async function planWithRemote(plan: Plan, config: ResolvedConfig, signal?: AbortSignal, opts: { claims?: boolean } = { claims: true }): Promise<RemotePlan> {
  if (!config.remote) return { plan, problems: [] };
  const keys = paidKeys(plan);
  if (keys.size === 0) return { plan, problems: [] };
  let store: RemoteStore | undefined;
  try {
    store = await openStore(config.remote, config.root);
    const view = await readStore(store, keys, signal, opts.claims !== false);
    const now = Date.now();
    const marked = markClaims(markRestores(plan, view.recorded), view.claims, now);
    return { plan: marked, problems: [...damagedProblems(view.damaged, keys, store.display), ...staleProblems(marked, view.claims, now)] };
  } catch (e) {
    // A plan must still answer offline: what the store would have saved is priced as a render.
    return { plan, problems: [offlineProblem(e, config.remote.url)] };
  } finally {
    await store?.close();
  }
}

/**
 * A warning per record a build cannot restore from (W_REMOTE_RECORD): its key is priced as the render
 * the build will pay for, and the warning says which record, why, and how to pay nothing.
 */
function damagedProblems(damaged: ReadonlyMap<string, string>, keys: ReadonlyMap<string, PaidKey>, store: string): Problem[] {
  return [...damaged].map(([key, why]) => {
    const message = `${keys.get(key)!.ids.join(', ')}: ${recordKey(key)} in ${store} ${why}: priced as a render, which a build pays for`;
    return { code: 'W_REMOTE_RECORD', message, hint: ERROR_CODES.W_REMOTE_RECORD, effect: 'warning', details: [message] };
  });
}
