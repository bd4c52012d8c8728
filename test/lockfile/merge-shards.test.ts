/**
 * `lock merge` joins the partial lockfiles of one sharded build: each says what its shard was dealt
 * from (`shard: {index, count, dealt}`). Partials from different matrices, a shard given twice or one
 * missing are refused (E_LOCK_MERGE_SHARDS, the lockfile untouched) unless `--force`; partials written
 * before the stamp existed merge with a warning.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeygenBuildError } from '../../src/errors.js';
import { mergePartials } from '../../src/lockfile/merge-files.js';
import { checkShards } from '../../src/lockfile/merge-check.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import { emptyLockfile, type LockEntry, type Lockfile, type ShardStamp } from '../../src/model/lock.js';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import { planTotals } from '../../src/plan/plan.js';
import { shardStamp } from '../../src/plan/shard-dealt.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { hex } from './locks.js';

const DEALT = hex('a');
const OTHER = hex('b');

function partial(id: string, shard?: ShardStamp): Lockfile {
  const e: LockEntry = { key: hex(id), parts: {}, status: 'completed', attempt: 1, remoteId: `r-${id}`, translations: {}, output: { path: `out/${id}.mp4`, sha256: hex('d'), size: 10 } };
  return { ...emptyLockfile(), videos: { [id]: e }, ...(shard ? { shard } : {}) };
}

const named = (display: string, lock: Lockfile): { display: string; lock: Lockfile } => ({ display, lock });

describe('checkShards', () => {
  it('every shard of one matrix once: nothing to say', () => {
    const r = checkShards([named('s0', partial('a', { index: 0, count: 2, dealt: DEALT })), named('s1', partial('b', { index: 1, count: 2, dealt: DEALT }))]);
    expect(r).toEqual({ problems: [], warnings: [] });
  });

  it('names the files of each fault: a missing shard, one given twice, another count, another list', () => {
    const missing = checkShards([named('s0', partial('a', { index: 0, count: 3, dealt: DEALT })), named('s2', partial('c', { index: 2, count: 3, dealt: DEALT }))]);
    expect(missing.problems).toEqual(['shard 1/3 is missing: only s0, s2 given']);
    const twice = checkShards([named('s0', partial('a', { index: 0, count: 2, dealt: DEALT })), named('copy', partial('a', { index: 0, count: 2, dealt: DEALT })), named('s1', partial('b', { index: 1, count: 2, dealt: DEALT }))]);
    expect(twice.problems).toEqual(['shard 0 is given 2 times: s0, copy']);
    const sizes = checkShards([named('a', partial('a', { index: 0, count: 2, dealt: DEALT })), named('b', partial('b', { index: 1, count: 4, dealt: DEALT }))]);
    expect(sizes.problems[0]).toBe('the partial lockfiles come from matrices of different sizes: 2 shards (a); 4 shards (b)');
    const lists = checkShards([named('old-run', partial('a', { index: 0, count: 2, dealt: DEALT })), named('new-run', partial('b', { index: 1, count: 2, dealt: OTHER }))]);
    expect(lists.problems).toEqual([`the shards dealt from different lists of videos (another commit, config or committed lockfile): ${DEALT.slice(0, 12)} (old-run); ${OTHER.slice(0, 12)} (new-run)`]);
  });

  it('partials of matrices of different sizes: that one error, not also "shard 0 is given 2 times" or another list', () => {
    const r = checkShards([named('two', partial('a', { index: 0, count: 2, dealt: DEALT })), named('three', partial('b', { index: 0, count: 3, dealt: OTHER }))]);
    expect(r.problems).toEqual(['the partial lockfiles come from matrices of different sizes: 2 shards (two); 3 shards (three)']);
  });

  it('partials without a stamp (an older heygen-build) are merged with a warning, and no index is called missing', () => {
    const r = checkShards([named('s0', partial('a', { index: 0, count: 3, dealt: DEALT })), named('legacy', partial('b'))]);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual(['legacy: written by an older heygen-build, which did not record what each shard was dealt: not checked against the other shards']);
  });
});

describe('lock merge of partial lockfiles', () => {
  function project(partials: Record<string, Lockfile>): { dir: string; lock: string; files: { path: string; display: string }[] } {
    const dir = mkdtempSync(join(tmpdir(), 'hb-merge-shards-'));
    const lock = join(dir, 'heygen.lock.yaml');
    writeFileSync(lock, serializeLockfile(emptyLockfile()));
    const files = Object.entries(partials).map(([name, l]) => {
      writeFileSync(join(dir, name), serializeLockfile(l));
      return { path: join(dir, name), display: name };
    });
    return { dir, lock, files };
  }

  it('the stamp round-trips through a partial lockfile', () => {
    const l = partial('a', { index: 1, count: 4, dealt: DEALT });
    expect(parseLockfile(serializeLockfile(l), 'p.yaml').shard).toEqual({ index: 1, count: 4, dealt: DEALT });
  });

  it('refuses a merge with a shard missing, leaving the lockfile as it was; --force merges it and says what it went past', async () => {
    const p = project({ 'heygen.lock.shard-0-of-2.yaml': partial('a', { index: 0, count: 2, dealt: DEALT }) });
    const before = readFileSync(p.lock, 'utf8');
    const err = await mergePartials(p.lock, 'heygen.lock.yaml', p.files).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeygenBuildError);
    expect(err).toMatchObject({ code: 'E_LOCK_MERGE_SHARDS', message: expect.stringContaining('shard 1/2 is missing: only heygen.lock.shard-0-of-2.yaml given') });
    expect((err as HeygenBuildError).hint).toMatch(/--force/);
    expect(readFileSync(p.lock, 'utf8')).toBe(before);
    const forced = await mergePartials(p.lock, 'heygen.lock.yaml', p.files, undefined, { force: true });
    expect(forced.warnings).toEqual(['merged anyway (--force): shard 1/2 is missing: only heygen.lock.shard-0-of-2.yaml given']);
    expect(Object.keys(parseLockfile(readFileSync(p.lock, 'utf8'), 'heygen.lock.yaml').videos)).toEqual(['a']);
  });

  it("a partial cut short (an artifact truncated in upload or download): refused with a hint to fetch that shard's artifact again or rerun it, not to restore it from git", async () => {
    const p = project({ 'heygen.lock.shard-0-of-2.yaml': partial('a', { index: 0, count: 2, dealt: DEALT }), 'heygen.lock.shard-1-of-2.yaml': partial('b', { index: 1, count: 2, dealt: DEALT }) });
    const cut = p.files[1]!.path;
    const text = readFileSync(cut, 'utf8');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const before = readFileSync(p.lock, 'utf8');
    const err = await mergePartials(p.lock, 'heygen.lock.yaml', p.files).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_LOCKFILE_TRUNCATED', message: expect.stringContaining('heygen.lock.shard-1-of-2.yaml') });
    const hint = (err as HeygenBuildError).hint!;
    expect(hint).toMatch(/^heygen\.lock\.shard-1-of-2\.yaml is a shard's partial lockfile, which git does not hold: download that shard's artifact again, or rerun that shard/);
    expect(hint).not.toMatch(/git checkout|Restore it from git/);
    expect(readFileSync(p.lock, 'utf8')).toBe(before);
  });

  it('no partial given: no lockfile is made where there was none, as the message says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-merge-none-'));
    const lock = join(dir, 'heygen.lock.yaml');
    const s = await mergePartials(lock, 'heygen.lock.yaml', []);
    expect(s.partials).toEqual([]);
    expect(existsSync(lock)).toBe(false);
  });

  it('with --json, a refusal is a JSON error document on stdout (code and hint), and the lockfile is untouched', async () => {
    const dir = tempProject({
      'heygen.config.mjs': 'export default {};\n',
      's0.yaml': serializeLockfile(partial('a', { index: 0, count: 2, dealt: DEALT })),
      's1.yaml': serializeLockfile(partial('b', { index: 1, count: 3, dealt: DEALT })),
    });
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(emptyLockfile()));
    const before = readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8');
    const r = await runCli(['lock', 'merge', '--json', 's0.yaml', 's1.yaml'], { cwd: dir });
    expect(r.code).not.toBe(0);
    const doc = JSON.parse(r.stdout) as { error: { code: string; hint?: string } };
    expect(doc.error.code).toBe('E_LOCK_MERGE_SHARDS');
    expect(doc.error.hint).toMatch(/--force/);
    expect(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8')).toBe(before);
  });

  it('merges every shard of one build, and the merged lockfile holds no stamp', async () => {
    const p = project({ s0: partial('a', { index: 0, count: 2, dealt: DEALT }), s1: partial('b', { index: 1, count: 2, dealt: DEALT }) });
    const s = await mergePartials(p.lock, 'heygen.lock.yaml', p.files);
    expect(s.warnings).toEqual([]);
    expect(s.partials.map((x) => x.shard)).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    const text = readFileSync(p.lock, 'utf8');
    expect(text).not.toMatch(/^shard:/m);
    expect(Object.keys(parseLockfile(text, 'heygen.lock.yaml').videos).sort()).toEqual(['a', 'b']);
  });
});

describe('shardStamp', () => {
  const item = (id: string, key: string, over: Partial<PlanItem> = {}): PlanItem => ({ kind: 'video', id, videoId: id, action: 'create', key: hex(key), reasons: [], output: `out/${id}.mp4`, estimate: { seconds: 10, credits: 1 }, ...over });
  const planOf = (items: PlanItem[]): Plan => ({ items, totals: planTotals(items) });
  const plan = planOf([item('a', 'a'), item('b', 'b'), item('c', 'c')]);

  it('every shard of one matrix computes the same digest; another list, count or share of the cap another', () => {
    const s0 = shardStamp(plan, { index: 0, count: 2 });
    const s1 = shardStamp(planOf([...plan.items].reverse()), { index: 1, count: 2 });
    expect(s0).toMatchObject({ index: 0, count: 2 });
    expect(s1.dealt).toBe(s0.dealt);
    expect(shardStamp(planOf([item('a', 'a'), item('b', 'b')]), { index: 0, count: 2 }).dealt).not.toBe(s0.dealt);
    expect(shardStamp(planOf([item('a', 'a'), item('b', 'b'), item('c', 'c', { action: 'unchanged' })]), { index: 0, count: 2 }).dealt).not.toBe(s0.dealt);
    expect(shardStamp(plan, { index: 0, count: 3 }).dealt).not.toBe(s0.dealt);
    expect(shardStamp(plan, { index: 0, count: 2 }, { slots: [2, 3] }).dealt).not.toBe(s0.dealt);
  });
});
