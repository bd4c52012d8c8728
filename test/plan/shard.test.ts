/**
 * The shard partition (plan/shard.ts) and why it is exactly once: every shard of a matrix deals the
 * same units, whenever it starts, because it deals them from what they all see alike (the manifests and
 * the lockfile as committed), never from its own partial lockfile, the draft cache, or the remote store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planWith } from '../../src/api/pipeline.js';
import type { Project } from '../../src/api/project.js';
import { resolveConfig } from '../../src/config/load.js';
import type { Facts, Provider, ProviderState } from '../../src/execute/provider.js';
import { contentKey, videoParts } from '../../src/hash/index.js';
import { emptyLockfile, type Lockfile } from '../../src/model/lock.js';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { PLAN_ENGINE, planTotals } from '../../src/plan/plan.js';
import { partition, shardConcurrency, shardPlan, shardSlots, type ShardUnit } from '../../src/plan/shard.js';
import { FileStore } from '../../src/remote/file.js';
import { recordKey } from '../../src/remote/layout.js';
import { RESTORE_REASON } from '../../src/remote/plan-records.js';
import { makeSpec } from '../helpers/specs.js';

const shares = (total: number, count: number): number[] => Array.from({ length: count }, (_, index) => shardConcurrency(total, { index, count }));
const hex = (i: number): string => i.toString(16).padStart(64, '0');
/** Pseudo-random hex keys, as sha256 keys are: their order has nothing to do with the ids. */
const key = (i: number): string => hex((i * 2654435761) % 4294967291);

describe('shardConcurrency', () => {
  it('uses the whole cap: 10 jobs over 4 shards are 2, 2, 3, 3, not 2 each', () => {
    expect(shares(10, 4)).toEqual([2, 2, 3, 3]);
    expect(shares(10, 3)).toEqual([3, 3, 4]);
    expect(shares(10, 2)).toEqual([5, 5]);
    expect(shares(10, 1)).toEqual([10]);
    expect(shardSlots(10, 4)).toEqual([2, 2, 3, 3]);
  });

  it('sums to the cap whenever the cap covers every shard', () => {
    for (let total = 1; total <= 40; total++) {
      for (let count = 1; count <= total; count++) {
        const s = shares(total, count);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives every shard at least one job when the matrix is wider than the cap', () => {
    expect(shares(3, 5)).toEqual([1, 1, 1, 1, 1]);
  });
});

/** How many units, and how many jobs, each shard got. */
function tally(map: Map<string, number>, units: readonly ShardUnit[], count: number): { units: number[]; jobs: number[] } {
  const out = { units: Array.from({ length: count }, () => 0), jobs: Array.from({ length: count }, () => 0) };
  for (const u of units) {
    out.units[map.get(u.videoId)!]!++;
    out.jobs[map.get(u.videoId)!]! += u.jobs;
  }
  return out;
}

describe('partition', () => {
  it('deals paid units in proportion to each shard\'s jobs at once: 80 over 2, 2, 3, 3 slots are 16, 16, 24, 24 (8 rounds each)', () => {
    const units = Array.from({ length: 80 }, (_, i) => ({ videoId: `v${i}`, key: key(i), jobs: 1 }));
    const map = partition(units, [2, 2, 3, 3]);
    expect(tally(map, units, 4).units).toEqual([16, 16, 24, 24]);
    // Equal slots: equal shares, to one unit.
    expect(tally(partition(units, [1, 1, 1]), units, 3).units).toEqual([27, 27, 26]);
  });

  it('weighs a unit by its jobs: rounds stay even when some videos have many scenes or translations', () => {
    const units = Array.from({ length: 60 }, (_, i) => ({ videoId: `v${i}`, key: key(i), jobs: 1 + (i % 4) }));
    const { jobs } = tally(partition(units, [2, 2, 3, 3]), units, 4);
    const rounds = jobs.map((j, s) => j / [2, 2, 3, 3][s]!);
    // 150 jobs over 10 slots is 15 rounds; no shard is more than one unit's jobs (4) over its share.
    for (const r of rounds) expect(Math.abs(r - 15)).toBeLessThanOrEqual(2);
  });

  it('covers every unit exactly once, whatever order the units come in, and is the same on every call', () => {
    const units = Array.from({ length: 50 }, (_, i) => ({ videoId: `v${i}`, key: key(i), jobs: i % 3 }));
    const a = partition(units, [2, 2, 3, 3]);
    const b = partition([...units].reverse(), [2, 2, 3, 3]);
    expect(a.size).toBe(50);
    expect(Object.fromEntries(a)).toEqual(Object.fromEntries(b));
    // Units that need no job (restores) are dealt evenly too.
    const free = units.filter((u) => u.jobs === 0);
    expect(tally(a, free, 4).units.every((n) => Math.abs(n - free.length / 4) <= 1)).toBe(true);
  });

  it('keeps units of identical content together (rendered once), counted as one render', () => {
    const units = [
      { videoId: 'a', key: key(1), jobs: 1 },
      { videoId: 'b', key: key(1), jobs: 1 },
      ...Array.from({ length: 9 }, (_, i) => ({ videoId: `v${i}`, key: key(i + 10), jobs: 1 })),
    ];
    for (const slots of [[1, 1], [2, 2, 3, 3], [1, 1, 1, 1, 1]]) {
      const map = partition(units, slots);
      expect(map.get('a')).toBe(map.get('b'));
    }
    expect(tally(partition(units, [1, 1]), units, 2).jobs.sort((x, y) => x - y)).toEqual([5, 6]);
  });
});

// Through the pipeline: the shards of one matrix, each with the state it reads when it starts.

/** 40 one-scene videos, one with a translation; the committed lockfile has 8 of them built and 4 stale. */
const specs: VideoSpec[] = Array.from({ length: 40 }, (_, i) =>
  makeSpec(`v${i}`, {
    scenes: [{ input: { type: 'script', text: `Video number ${i} says hello to the shard test.` } }],
    ...(i === 3 ? { translations: [{ language: 'es', mode: 'speed', captions: false, audioOnly: false }] } : {}),
  }),
);

function completed(spec: VideoSpec, over: Partial<Lockfile['videos'][string]> = {}): Lockfile['videos'][string] {
  return { key: contentKey(spec), parts: videoParts(spec), status: 'completed', attempt: 1, remoteId: `r-${spec.id}`, output: { path: spec.output, size: 10, sha256: 'x' }, translations: {}, ...over };
}

function committedLock(): Lockfile {
  const lock = emptyLockfile();
  for (const s of specs.slice(0, 8)) lock.videos[s.id] = completed(s);
  for (const s of specs.slice(8, 12)) lock.videos[s.id] = completed(s, { key: 'f'.repeat(64) });
  return lock;
}

function project(remote?: string): Project {
  const config = { ...resolveConfig({}, { root: mkdtempSync(join(tmpdir(), 'hb-shard-')), env: {} }), ...(remote ? { remote: { url: remote } } : {}) };
  return { config, files: [], specs, diagnostics: [], timings: { discover: 0 } as Project['timings'], cacheHits: 0, partial: false };
}

/** A HeyGen-like provider (journals) or a drafts-like one, whose state is given. */
function provider(state: ProviderState, kind: 'heygen' | 'local' = 'heygen'): Provider {
  return {
    name: kind,
    journals: kind === 'heygen',
    planOptions: { engine: kind === 'heygen' ? PLAN_ENGINE : 'draft', scenes: kind === 'heygen' },
    readState: () => Promise.resolve(state),
    facts: () => Promise.resolve({} as Facts),
    check: () => [],
    execute: () => Promise.reject(new Error('not here')),
    close: () => Promise.resolve(),
  };
}

async function slice(state: ProviderState, index: number, opts: { remote?: string; kind?: 'heygen' | 'local' } = {}): Promise<Plan> {
  const planned = await planWith(provider(state, opts.kind), project(opts.remote), { mode: 'build', shard: { index, count: 4 }, shardCap: 10 });
  return planned.plan;
}

const ids = (p: Plan): string[] => p.items.map((i) => i.id).sort();
const videosOf = (p: Plan): Set<string> => new Set(p.items.map((i) => i.videoId));

/** Each video of the project in exactly one of `plans`. */
function expectExactlyOnce(plans: Plan[]): void {
  const all = plans.flatMap((p) => [...videosOf(p)]);
  expect(all.sort()).toEqual(specs.map((s) => s.id).sort());
}

const fresh = (lock: Lockfile): ProviderState => ({ lock, outputs: new Map(specs.slice(0, 8).map((s) => [s.output, 10])) });

describe('shards of one matrix (planWith)', () => {
  it('split the 33 renders over 2, 2, 3, 3 jobs in proportion (4 rounds each at most), and the idle videos evenly', async () => {
    const plans = await Promise.all([0, 1, 2, 3].map((i) => slice(fresh(committedLock()), i)));
    expectExactlyOnce(plans);
    const paid = plans.map((p) => p.items.filter((i) => i.action === 'create' || i.action === 'update').length);
    expect(paid.reduce((a, b) => a + b)).toBe(33);
    // 33 jobs over 10 slots: 4 rounds at most for every shard.
    paid.forEach((n, s) => expect(Math.ceil(n / [2, 2, 3, 3][s]!)).toBeLessThanOrEqual(4));
    // The 7 videos with nothing to do (v3 is built, its translation is not) go round the shards.
    const idle = plans.map((p) => [...videosOf(p)].filter((v) => p.items.every((i) => i.videoId !== v || i.action === 'unchanged')).length);
    expect(idle).toEqual([2, 2, 2, 1]);
  });

  it('a shard killed and run again, its partial lockfile joined to its state, keeps exactly the videos it had', async () => {
    const first = await Promise.all([0, 1, 2, 3].map((i) => slice(fresh(committedLock()), i)));
    // Shard 2's second run: half its videos completed, one in flight, recorded in its partial lockfile.
    const mine = specs.filter((s) => videosOf(first[2]!).has(s.id) && !committedLock().videos[s.id]);
    const resumed = committedLock();
    for (const s of mine.slice(0, 4)) resumed.videos[s.id] = completed(s);
    resumed.videos[mine[4]!.id] = completed(mine[4]!, { status: 'submitted', output: undefined });
    const again = await slice({ ...fresh(resumed), shardBase: committedLock() }, 2);
    expect(ids(again)).toEqual(ids(first[2]!));
    expect(again.items.find((i) => i.id === mine[4]!.id)!.action).toBe('resume');
    expectExactlyOnce([first[0]!, first[1]!, again, first[3]!]);
    // Dealt from its own state instead, the shard would take other shards' videos and leave some of its own.
    const wrong = (await planWith(provider(fresh(resumed)), project(), { mode: 'build' })).plan;
    expect(ids(shardPlan(wrong, { index: 2, count: 4 }, { slots: [2, 2, 3, 3] }))).not.toEqual(ids(first[2]!));
  });

  it('with a remote store, a record that appears between two shards\' plans moves nothing: the owner restores it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-shard-store-'));
    const url = `file://${dir}`;
    const early = await slice(fresh(committedLock()), 0, { remote: url });
    const plain = await Promise.all([0, 1, 2, 3].map((i) => slice(fresh(committedLock()), i)));
    // Shard 3's first paid video, rendered and pushed (by a build elsewhere) before shards 1 to 3 plan.
    const taken = plain[3]!.items.find((i) => i.action === 'create')!;
    // A record a build can restore from (plan reads and checks it, as a build does).
    const record = { version: 1, key: taken.key, kind: 'video', api: 'v3', files: { video: { sha256: 'f'.repeat(64), size: 1, ext: 'mp4' } }, at: '2026-12-01T00:00:00Z' };
    await new FileStore(dir).put(recordKey(taken.key!), JSON.stringify(record));
    const late = await Promise.all([1, 2, 3].map((i) => slice(fresh(committedLock()), i, { remote: url })));
    expectExactlyOnce([early, ...late]);
    late.forEach((p, i) => expect(ids(p)).toEqual(ids(plain[i + 1]!)));
    expect(late[2]!.items.find((i) => i.id === taken.id)).toMatchObject({ estimate: { credits: 0 }, reasons: expect.arrayContaining([RESTORE_REASON]) });
  });

  it('drafts: shards in one checkout deal from no state at all, so drafts another shard finished move nothing', async () => {
    const empty = await Promise.all([0, 1, 2, 3].map((i) => slice({ lock: emptyLockfile(), outputs: new Map() }, i, { kind: 'local' })));
    expectExactlyOnce(empty);
    // Shard 0 finished its drafts (cache hits, read as completed entries) before shard 1 plans.
    const cached = emptyLockfile();
    for (const s of specs.filter((x) => videosOf(empty[0]!).has(x.id))) cached.videos[s.id] = completed(s);
    const later = await Promise.all([1, 2, 3].map((i) => slice({ lock: cached, outputs: new Map() }, i, { kind: 'local' })));
    later.forEach((p, i) => expect(ids(p)).toEqual(ids(empty[i + 1]!)));
    // 41 drafts (40 videos and a translation), dealt evenly.
    expect(empty.map((p) => p.items.length).sort((x, y) => x - y)).toEqual([10, 10, 10, 11]);
  });
});

describe('shardPlan', () => {
  it('keeps a video\'s translations with it and leaves orphans to the next unsharded build', () => {
    const items: PlanItem[] = [
      ...Array.from({ length: 6 }, (_, i): PlanItem => ({ kind: 'video', id: `v${i}`, videoId: `v${i}`, action: 'create', key: key(i), reasons: [], output: `out/v${i}.mp4`, estimate: { seconds: 1, credits: 1 } })),
      { kind: 'translation', id: 'v1@es', videoId: 'v1', language: 'es', action: 'create', key: key(99), reasons: [], output: 'out/v1.es.mp4', estimate: { seconds: 1, credits: 1 } },
      { kind: 'video', id: 'gone', videoId: 'gone', action: 'orphan', reasons: [], output: 'out/gone.mp4', estimate: { seconds: 0, credits: 0 } },
    ];
    const plan = { items, totals: planTotals(items) };
    const parts = [0, 1].map((index) => shardPlan(plan, { index, count: 2 }));
    expect(parts.flatMap((p) => p.items.map((i) => i.id)).sort()).toEqual(items.filter((i) => i.action !== 'orphan').map((i) => i.id).sort());
    const withEs = parts.find((p) => p.items.some((i) => i.id === 'v1'))!;
    expect(withEs.items.map((i) => i.id)).toContain('v1@es');
  });
});
