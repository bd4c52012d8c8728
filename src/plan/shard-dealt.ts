/**
 * What a shard was dealt from, as a digest (`shard.dealt` in its partial lockfile): the units every
 * shard of a matrix ranks (each video's key and the jobs it needs) and each shard's share of the job
 * cap. Shards that agree on it deal the same partition, so `lock merge` can check that the partial
 * lockfiles it joins come from one matrix (same manifests, config and committed lockfile, same count).
 */
import { sha256Hex } from '../hash/canonical.js';
import type { ShardStamp } from '../model/lock.js';
import type { Plan, Shard } from '../model/plan.js';
import { shardUnits, type ShardBasis } from './shard.js';

/** The stamp of `shard` dealt from `basis` (the stable plan, or `plan` itself, and the slots shardPlan used). */
export function shardStamp(plan: Plan, shard: Shard, basis: ShardBasis = {}): ShardStamp {
  const slots = basis.slots ?? Array.from({ length: shard.count }, () => 1);
  const units = shardUnits(basis.stable ?? plan)
    .map((u) => `${u.key} ${u.jobs} ${u.videoId}`)
    // Code-unit order: the same on every machine, whatever the locale.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { index: shard.index, count: shard.count, dealt: sha256Hex(`slots ${slots.join(',')}\n${units.join('\n')}\n`) };
}
