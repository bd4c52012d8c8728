/**
 * Static sharding of a plan (`build --shard i/n`): each of N jobs takes its part of the videos, with no
 * coordination. The unit is a video with its translations (a translation is made from its video, so
 * they must be on one machine).
 *
 * The partition is a rank partition: every shard lists the units, ranks them by content key and deals
 * them out, the units that need HeyGen jobs weighted by each shard's share of the account's job cap
 * (so that every shard needs the same number of render rounds), the free ones evenly. It is exactly
 * once only because every shard deals the same list: the list is read from what every job of the
 * matrix sees alike, the manifests and the lockfile as committed (pipeline.ts `stablePlan`), never from
 * a shard's own partial lockfile, the outputs on disk, remote records or claims, which change while the
 * matrix runs. See README "Sharded builds".
 */
import { HeygenBuildError } from '../errors.js';
import type { Plan, PlanItem, Shard } from '../model/plan.js';
import { planTotals } from './plan.js';

/** Parses `i/n` (0 <= i < n); throws E_SHARD otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    throw new HeygenBuildError('E_SHARD', `--shard ${JSON.stringify(text)} is not <index>/<count> with 0 <= index < count`, {
      hint: 'number shards from 0: a 4-job matrix runs --shard 0/4, 1/4, 2/4 and 3/4',
    });
  }
  return { index, count };
}

/**
 * The jobs at once that `shard` takes of the account's cap `total` (HeyGen's cap is per account, so
 * the shards share it): ⌊total / count⌋ each, and the remainder one each to the last shards, so that
 * the shares sum to the cap (10 over 4 shards: 2, 2, 3, 3). Shard 0 keeps the plain quotient. At
 * least 1, so a matrix wider than the cap still builds (a 429 is then handled as in any build).
 */
export function shardConcurrency(total: number, shard: Shard): number {
  const base = Math.floor(total / shard.count);
  const extra = shard.index >= shard.count - (total % shard.count) ? 1 : 0;
  return Math.max(1, base + extra);
}

/** Every shard's jobs at once (`shardConcurrency`) for a matrix of `count` sharing the cap `total`. */
export function shardSlots(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => shardConcurrency(total, { index, count }));
}

/** One unit of the partition: a video (or dub) with its translations, its placing key, and the HeyGen jobs it needs. */
export interface ShardUnit {
  videoId: string;
  /** The video's content key (a dub: the smallest of its languages' keys). */
  key: string;
  /** HeyGen jobs the unit starts or waits for (paid clips, renders and translations); 0 when it is current. */
  jobs: number;
}

/**
 * Which shard builds each unit, by video id. Units with the same key (identical content) form one
 * group, rendered once; groups are ranked by key. Groups that need jobs are dealt in rank order, each to
 * the shard that would finish it first: its jobs so far plus the group's, over its `slots` (ties to the
 * lowest index). That is weighted round-robin: 80 one-job videos over slots 2, 2, 3, 3 are 16, 16, 24,
 * 24, 8 rounds each. Groups that need none (restores) are dealt round-robin by rank. A pure function of
 * its arguments: shards given the same units and slots compute the same map.
 */
export function partition(units: readonly ShardUnit[], slots: readonly number[]): Map<string, number> {
  const sorted = [...units].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.videoId < b.videoId ? -1 : a.videoId > b.videoId ? 1 : 0));
  const groups: { ids: string[]; jobs: number }[] = [];
  let last: string | undefined;
  for (const u of sorted) {
    if (u.key !== last) groups.push({ ids: [], jobs: 0 });
    const g = groups[groups.length - 1]!;
    g.ids.push(u.videoId);
    // Identical content is one render: the group needs what its costliest member needs.
    g.jobs = Math.max(g.jobs, u.jobs);
    last = u.key;
  }
  const load = slots.map(() => 0);
  const shardOf = new Map<string, number>();
  let free = 0;
  for (const g of groups) {
    const to = g.jobs > 0 ? firstToFinish(load, slots, g.jobs) : free++ % slots.length;
    load[to]! += g.jobs;
    for (const id of g.ids) shardOf.set(id, to);
  }
  return shardOf;
}

/** The shard whose (load + jobs) / slots is least, compared in integers (the same on every machine). */
function firstToFinish(load: readonly number[], slots: readonly number[], jobs: number): number {
  let best = 0;
  for (let j = 1; j < slots.length; j++) {
    if ((load[j]! + jobs) * slots[best]! < (load[best]! + jobs) * slots[j]!) best = j;
  }
  return best;
}

/** The actions that start or wait for HeyGen jobs (a resume holds a slot until it finishes). */
const WORK = new Set(['create', 'update', 'resume']);

/** HeyGen jobs one plan item needs: its clips to render (scene by scene), or one render; none when current. */
function jobsOf(i: PlanItem): number {
  if (!WORK.has(i.action) || i.recompose) return 0;
  if (i.scenes) return i.scenes.filter((s) => s.action === 'create' || s.action === 'resume').length;
  return 1;
}

/** The units of a plan: videos and dubs with their keys and the jobs of their items. Orphans are none. */
export function shardUnits(plan: Plan): ShardUnit[] {
  const units = new Map<string, ShardUnit>();
  for (const i of plan.items) {
    if (i.kind === 'video' && i.key !== undefined) units.set(i.videoId, { videoId: i.videoId, key: i.key, jobs: jobsOf(i) });
  }
  // A dub has only languages: it is placed by the smallest of their keys.
  const dubs = new Set<string>();
  for (const i of plan.items) {
    if (i.kind === 'video' || i.key === undefined) continue;
    const u = units.get(i.videoId);
    if (!u) {
      units.set(i.videoId, { videoId: i.videoId, key: i.key, jobs: jobsOf(i) });
      dubs.add(i.videoId);
    } else {
      u.jobs += jobsOf(i);
      if (dubs.has(i.videoId) && i.key < u.key) u.key = i.key;
    }
  }
  return [...units.values()];
}

/** How a shard places units: the stable plan every shard computes alike, and each shard's jobs at once. */
export interface ShardBasis {
  /** The plan of what every shard sees alike (default: the plan itself). */
  stable?: Plan;
  /** Jobs at once of each shard, by index (default: equal). */
  slots?: readonly number[];
}

/**
 * The part of `plan` that `shard` builds: the videos (and their translations) `partition` gives it,
 * placed from `basis.stable`. Orphans are left out: a shard never prunes (the lockfile it writes holds
 * changes only, see lockfile/merge-shard.ts).
 */
export function shardPlan(plan: Plan, shard: Shard, basis: ShardBasis = {}): Plan {
  const slots = basis.slots ?? Array.from({ length: shard.count }, () => 1);
  if (slots.length !== shard.count) throw new Error(`bug: ${slots.length} slots for ${shard.count} shards`);
  const shardOf = partition(shardUnits(basis.stable ?? plan), slots);
  const items = plan.items.filter((i) => i.action !== 'orphan' && shardOf.get(i.videoId) === shard.index);
  return { items, totals: planTotals(items) };
}
