/**
 * Static sharding of a plan (`build --shard i/n`): each of N jobs takes the videos whose content key
 * falls in its slice, with no coordination. Every job plans the same manifests against the same
 * lockfile, so they agree on every key, and the slices cover each video exactly once.
 *
 * The unit is a video with its translations (a translation is made from its video, so they must be
 * on one machine), placed by the video's content key: two videos of identical content land on the
 * same shard and are rendered once. Scene clips shared by videos on different shards are sent by
 * both with the same Idempotency-Key (the clip's key), which HeyGen answers with the same job.
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

/** The shard a content key (hex) belongs to: its first 48 bits, modulo the count. */
export function shardOfKey(key: string, count: number): number {
  return Number.parseInt(key.slice(0, 12), 16) % count;
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

/**
 * The part of `plan` that `shard` builds: the videos (and their translations) in its slice. Orphans
 * are left out: a shard never prunes (the lockfile it writes holds changes only, see lockfile/merge-shard.ts).
 */
export function shardPlan(plan: Plan, shard: Shard): Plan {
  const unitKey = new Map<string, string>();
  for (const i of plan.items) if (i.kind === 'video' && i.key !== undefined) unitKey.set(i.videoId, i.key);
  // A dub has only languages: its unit is placed by the smallest of their keys.
  const dubKey = new Map<string, string>();
  for (const i of plan.items) {
    if (i.key === undefined || unitKey.has(i.videoId)) continue;
    const seen = dubKey.get(i.videoId);
    if (seen === undefined || i.key < seen) dubKey.set(i.videoId, i.key);
  }
  const mine = (i: PlanItem): boolean => {
    const key = unitKey.get(i.videoId) ?? dubKey.get(i.videoId);
    return i.action !== 'orphan' && key !== undefined && shardOfKey(key, shard.count) === shard.index;
  };
  const items = plan.items.filter(mine);
  return { items, totals: planTotals(items) };
}
