/**
 * Before `lock merge` joins shards' partial lockfiles: do they come from one matrix? Each partial says
 * what its shard was dealt from (`shard: {index, count, dealt}`, see plan/shard-dealt.ts). Shards that
 * dealt from different lists (another commit, config or committed lockfile, another count) may each have
 * left a unit to the other, or both built it; a shard index missing or given twice means a shard's work
 * is not in the merge, or one shard is merged twice. Pure: partials in, problems and warnings out.
 */
import type { Lockfile, ShardStamp } from '../model/lock.js';

/** What the check found: `problems` stop a merge (unless forced), `warnings` are said and merged past. */
export interface ShardCheck {
  problems: string[];
  warnings: string[];
}

/** A partial to check: the name the user gave it, and what it holds. */
export interface NamedPartial {
  display: string;
  lock: Readonly<Lockfile>;
}

function names(ps: readonly NamedPartial[]): string {
  return ps.map((p) => p.display).join(', ');
}

/** Groups `ps` by `by` (in first-seen order). */
function groupBy<K>(ps: readonly NamedPartial[], by: (s: ShardStamp) => K): Map<K, NamedPartial[]> {
  const out = new Map<K, NamedPartial[]>();
  for (const p of ps) {
    const k = by(p.lock.shard!);
    out.set(k, [...(out.get(k) ?? []), p]);
  }
  return out;
}

/** Checks that `partials` are the shards of one matrix run, each once, none missing (see the module comment). */
export function checkShards(partials: readonly NamedPartial[]): ShardCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const stamped = partials.filter((p) => p.lock.shard !== undefined);
  const old = partials.filter((p) => p.lock.shard === undefined);
  if (old.length > 0) {
    warnings.push(`${names(old)}: written by an older heygen-build, which did not record what each shard was dealt: not checked against the other shards`);
  }
  if (stamped.length === 0) return { problems, warnings };
  const counts = groupBy(stamped, (s) => s.count);
  if (counts.size > 1) {
    // One clear fault: indexes and lists of different matrices say nothing more (shard 0 of 2 and shard 0 of 4 are not one shard given twice).
    problems.push(`the partial lockfiles come from matrices of different sizes: ${[...counts].map(([n, ps]) => `${n} shards (${names(ps)})`).join('; ')}`);
    return { problems, warnings };
  }
  const dealt = groupBy(stamped, (s) => s.dealt);
  if (dealt.size > 1) {
    problems.push(
      `the shards dealt from different lists of videos (another commit, config or committed lockfile): ${[...dealt].map(([d, ps]) => `${d.slice(0, 12)} (${names(ps)})`).join('; ')}`,
    );
  }
  for (const p of stamped) {
    const s = p.lock.shard!;
    if (s.index >= s.count) problems.push(`${p.display}: shard ${s.index} of ${s.count} is out of range`);
  }
  for (const [index, ps] of groupBy(stamped, (s) => s.index)) {
    if (ps.length > 1) problems.push(`shard ${index} is given ${ps.length} times: ${names(ps)}`);
  }
  // Which shards are missing can be told only when every partial says its index, of one count.
  if (counts.size === 1 && old.length === 0) {
    const n = [...counts.keys()][0]!;
    const have = new Set(stamped.map((p) => p.lock.shard!.index));
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !have.has(i));
    if (missing.length > 0) problems.push(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: only ${names(stamped)} given`);
  }
  return { problems, warnings };
}
