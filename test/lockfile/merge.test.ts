/** Joining lockfiles (src/lockfile/merge.ts) and the alternates a join leaves for the next plan. */
import { describe, expect, it } from 'vitest';
import { applyPartial, baseJsonOf, lockDelta, mergeThreeWay, unionLockfiles } from '../../src/lockfile/merge.js';
import { settleAlternates } from '../../src/lockfile/merge-alternates.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile, LOCKFILE_VERSION, pickRecord, type LockEntry, type Lockfile } from '../../src/model/lock.js';
import type { Plan } from '../../src/model/plan.js';
import { hex } from './locks.js';

function entry(key: string, over: Partial<LockEntry> = {}): LockEntry {
  return { key: hex(key), parts: {}, status: 'completed', attempt: 1, remoteId: `r-${key}`, translations: {}, ...over };
}

function lock(videos: Record<string, LockEntry>, extra: Partial<Lockfile> = {}): Lockfile {
  return { ...emptyLockfile(), videos, ...extra };
}

const roundTrip = (l: Lockfile): Lockfile => parseLockfile(serializeLockfile(l), 'heygen.lock.yaml');

describe('unionLockfiles', () => {
  it('keeps entries only one side has, and of one render seen twice the record further along', () => {
    const a = lock({ x: entry('a'), y: entry('b', { status: 'submitted' }) });
    const b = lock({ y: entry('b', { status: 'completed' }), z: entry('c') });
    const u = unionLockfiles(a, b);
    expect(Object.keys(u.videos).sort()).toEqual(['x', 'y', 'z']);
    expect(u.videos.y!.status).toBe('completed');
    expect(u.videos.y!.alternates).toBeUndefined();
  });

  it('a later attempt wins over a failed one, and a record with a remote id over one without', () => {
    const failed = entry('a', { status: 'failed', attempt: 1 });
    const retry = entry('a', { status: 'pending', attempt: 2, remoteId: undefined });
    expect(unionLockfiles(lock({ v: failed }), lock({ v: retry })).videos.v!.attempt).toBe(2);
    const pending = entry('a', { status: 'pending', remoteId: undefined });
    expect(unionLockfiles(lock({ v: pending }), lock({ v: entry('a', { status: 'pending' }) })).videos.v!.remoteId).toBe('r-a');
  });

  it('two renders of one video (different keys) are both kept: one as the entry, one as an alternate', () => {
    const u = unionLockfiles(lock({ v: entry('a') }), lock({ v: entry('b') }));
    expect(u.videos.v!.key).toBe(hex('a'));
    expect(Object.keys(u.videos.v!.alternates!)).toEqual([hex('b')]);
    // And again with a third side: alternates are flattened, never nested.
    const again = unionLockfiles(lock({ v: entry('c') }), u);
    expect(Object.keys(again.videos.v!.alternates!).sort()).toEqual([hex('a'), hex('b')]);
    for (const alt of Object.values(again.videos.v!.alternates!)) expect(alt.alternates).toBeUndefined();
  });

  it('translations of one render are joined language by language, with alternates of their own', () => {
    const t = (key: string) => ({ key: hex(key), language: 'Spanish', status: 'completed' as const, attempt: 1 });
    const a = lock({ v: entry('a', { translations: { es: t('1'), fr: { ...t('2'), language: 'French' } } }) });
    const b = lock({ v: entry('a', { translations: { es: t('3') } }) });
    const v = unionLockfiles(a, b).videos.v!;
    expect(Object.keys(v.translations).sort()).toEqual(['es', 'fr']);
    expect(v.translations.es!.key).toBe(hex('1'));
    expect(Object.keys(v.translations.es!.alternates!)).toEqual([hex('3')]);
    expect(pickRecord(v.translations.es, hex('3'))!.key).toBe(hex('3'));
  });

  it('clips are joined by key, the further record kept', () => {
    const a = lock({}, { clips: { [hex('c')]: { kind: 'avatar', status: 'submitted', attempt: 1, remoteId: 'c1' } } });
    const b = lock({}, { clips: { [hex('c')]: { kind: 'avatar', status: 'completed', attempt: 1, remoteId: 'c1' }, [hex('d')]: { kind: 'speech', status: 'completed', attempt: 1 } } });
    const u = unionLockfiles(a, b);
    expect(u.clips![hex('c')]!.status).toBe('completed');
    expect(Object.keys(u.clips!)).toHaveLength(2);
  });
});

describe('alternates in the file', () => {
  it('alternates are written in the current format and read back whole', () => {
    const u = unionLockfiles(lock({ v: entry('a') }), lock({ v: entry('b') }));
    const text = serializeLockfile(u);
    expect(text).toMatch(new RegExp(`^version: ${LOCKFILE_VERSION}$`, 'm'));
    expect(text).toMatch(/^ {4}alternates:$/m);
    expect(roundTrip(u)).toEqual({ ...u, version: LOCKFILE_VERSION });
  });

  it('an alternate filed under another key than its own is refused as corrupt', () => {
    const u = unionLockfiles(lock({ v: entry('a') }), lock({ v: entry('b') }));
    const text = serializeLockfile(u).replace(`      ${hex('b')}:\n        key: ${hex('b')}`, `      ${hex('b')}:\n        key: ${hex('c')}`);
    expect(() => parseLockfile(text, 'heygen.lock.yaml')).toThrow(/expected the key it is filed under/);
  });

  it('the plan picks the record whose key the manifest has; a build then drops the others', () => {
    const u = unionLockfiles(lock({ v: entry('a') }), lock({ v: entry('b') }));
    expect(pickRecord(u.videos.v, hex('b'))!.remoteId).toBe('r-b');
    expect(pickRecord(u.videos.v, hex('c'))!.key).toBe(hex('a'));
    const plan: Plan = {
      items: [{ kind: 'video', id: 'v', videoId: 'v', action: 'unchanged', key: hex('b'), reasons: [], output: 'out/v.mp4', estimate: { seconds: 0, credits: 0 } }],
      totals: { actions: { create: 0, update: 0, unchanged: 1, orphan: 0, resume: 0, download: 0 }, seconds: 0, credits: 0 },
    };
    settleAlternates(u, plan);
    expect(u.videos.v).toEqual(entry('b'));
  });
});

describe('mergeThreeWay (the git merge driver)', () => {
  it('an entry one side pruned and the other left as it was stays pruned; one the other side rebuilt stays', () => {
    const base = lock({ gone: entry('a'), rebuilt: entry('b') });
    const ours = lock({ rebuilt: entry('b') });
    const theirs = lock({ gone: entry('a'), rebuilt: entry('c') });
    const m = mergeThreeWay(base, ours, theirs);
    expect(m.videos.gone).toBeUndefined();
    expect([m.videos.rebuilt!.key, ...Object.keys(m.videos.rebuilt!.alternates ?? {})].sort()).toEqual([hex('b'), hex('c')]);
    // Pruned on one side, rebuilt on the other: the render is kept.
    const m2 = mergeThreeWay(base, lock({ rebuilt: entry('b') }), lock({ gone: entry('d'), rebuilt: entry('b') }));
    expect(m2.videos.gone!.key).toBe(hex('d'));
  });
});

describe('partial lockfiles (build --shard)', () => {
  it('hold only what the shard changed, and replace those entries when merged into the lockfile they came from', () => {
    const base = lock({ old: entry('a'), kept: entry('b') });
    const state = structuredClone(base);
    state.videos.old = entry('c');
    state.videos.fresh = entry('d');
    const delta = lockDelta(state, baseJsonOf(base), 'f'.repeat(64));
    expect(Object.keys(delta.videos).sort()).toEqual(['fresh', 'old']);
    expect(roundTrip(delta).base).toBe('f'.repeat(64));
    const merged = applyPartial(structuredClone(base), roundTrip(delta), 'f'.repeat(64));
    expect(merged.videos.old).toEqual(entry('c'));
    expect(merged.videos.kept).toEqual(entry('b'));
    expect(merged.base).toBeUndefined();
  });

  it('made from another version of the lockfile, are joined instead: a newer entry there is never replaced', () => {
    const lockNow = lock({ v: entry('n') });
    const stale = lock({ v: entry('s') }, { base: '0'.repeat(64) });
    const merged = applyPartial(lockNow, stale, 'f'.repeat(64));
    expect(merged.videos.v!.key).toBe(hex('n'));
    expect(Object.keys(merged.videos.v!.alternates!)).toEqual([hex('s')]);
  });
});
