/**
 * `plan` against the store's records: a key some machine rendered is a free restore, not a render; a
 * deliberate re-render is still priced; a store that cannot be read is said, and the plan priced as today.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/model/config.js';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import { planTotals } from '../../src/plan/plan.js';
import { FileStore } from '../../src/remote/file.js';
import { claimKey, recordKey } from '../../src/remote/layout.js';
import { markRestores, planWithRemote, RESTORE_REASON } from '../../src/remote/plan-records.js';
import { S3_KEY } from '../helpers/s3-server.js';

const k = (c: string): string => c.repeat(64);

function item(id: string, key: string, over: Partial<PlanItem> = {}): PlanItem {
  return { kind: 'video', id, videoId: id, action: 'create', key, reasons: ['new video'], output: `out/${id}.mp4`, estimate: { seconds: 10, credits: 1 }, ...over };
}

function planOf(items: PlanItem[]): Plan {
  return { items, totals: planTotals(items) };
}

const composed = item('tour', k('c'), {
  estimate: { seconds: 20, credits: 2 },
  scenes: [
    { index: 0, key: k('1'), action: 'create', reasons: ['new'], estimate: { seconds: 10, credits: 1 } },
    { index: 1, key: k('2'), action: 'create', reasons: ['new'], estimate: { seconds: 10, credits: 1 } },
  ],
});

describe('markRestores', () => {
  it('prices a recorded key at 0 credits and says why; a recorded clip lowers its video by its own price', () => {
    const plan = planOf([item('a', k('a')), item('b', k('b')), composed, item('a@es', k('e'), { kind: 'translation', videoId: 'a', language: 'es' })]);
    expect(plan.totals.credits).toBe(5);
    const out = markRestores(plan, new Set([k('a'), k('1'), k('e')]));
    const by = new Map(out.items.map((i) => [i.id, i]));
    expect(by.get('a')).toMatchObject({ action: 'create', estimate: { credits: 0 }, reasons: [RESTORE_REASON, 'new video'] });
    expect(by.get('b')!.estimate.credits).toBe(1);
    expect(by.get('a@es')!.estimate.credits).toBe(0);
    expect(by.get('tour')!.estimate.credits).toBe(1);
    expect(by.get('tour')!.scenes!.map((s) => s.action)).toEqual(['reuse', 'create']);
    expect(out.totals.credits).toBe(2);
  });

  it('a deliberate re-render of a recorded key (--replace, a retry) is still priced', () => {
    const plan = planOf([item('a', k('a'), { previousKey: k('a'), reasons: ['--replace'] })]);
    expect(markRestores(plan, new Set([k('a')])).totals.credits).toBe(1);
  });
});

/** A record a build can restore a video from. */
function record(key: string, over: Record<string, unknown> = {}): string {
  const files = { video: { sha256: 'f'.repeat(64), size: 10, ext: 'mp4' } };
  return JSON.stringify({ version: 1, key, kind: 'video', api: 'v3', remoteId: 'vid_1', files, at: '2026-12-01T00:00:00Z', ...over });
}

function config(url: string, root = mkdtempSync(join(tmpdir(), 'hb-plan-remote-'))): ResolvedConfig {
  return { root, remote: { url } } as ResolvedConfig;
}

describe('planWithRemote', () => {
  it('reads the records of a folder store, by HEADs when few keys are asked and by one listing when many are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-plan-store-'));
    const store = new FileStore(dir);
    const many = Array.from({ length: 100 }, (_, i) => item(`v${i}`, i.toString(16).padStart(64, '0')));
    for (const it of many.filter((_, i) => i % 2 === 0)) await store.put(recordKey(it.key!), record(it.key!));
    const few = await planWithRemote(planOf(many.slice(0, 4)), config(`file://${dir}`));
    expect(few.problems).toEqual([]);
    expect(few.plan.totals.credits).toBe(2);
    const all = await planWithRemote(planOf(many), config(`file://${dir}`));
    expect(all.plan.totals.credits).toBe(50);
    expect(all.plan.items.filter((i) => i.reasons[0] === RESTORE_REASON).length).toBe(50);
  });

  it('without a remote, or with nothing to pay for, the plan is returned as it is', async () => {
    const plan = planOf([item('a', k('a'), { action: 'unchanged' })]);
    expect((await planWithRemote(plan, { root: '/nowhere' } as ResolvedConfig)).plan).toBe(plan);
    expect((await planWithRemote(plan, config('s3://never-read/x'))).plan).toBe(plan);
  });

  it('an unreachable store: a warning, and the plan priced as renders', async () => {
    Object.assign(process.env, { ...S3_KEY, AWS_EC2_METADATA_DISABLED: 'true' });
    const cfg = { ...config('s3://renders/team'), remote: { url: 's3://renders/team', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, region: 'us-east-1' } } as ResolvedConfig;
    const r = await planWithRemote(planOf([item('a', k('a'))]), cfg);
    expect(r.plan.totals.credits).toBe(1);
    expect(r.problems).toMatchObject([{ code: 'W_REMOTE_OFFLINE', effect: 'warning', message: expect.stringContaining('priced as renders') }]);
    expect(r.problems[0]!.message).not.toContain(S3_KEY.AWS_SECRET_ACCESS_KEY);
    // The code, what went wrong and the store, not the object the first request named; a hint to fix it.
    expect(r.problems[0]!.message).toMatch(/^W_REMOTE_OFFLINE: the remote store s3:\/\/renders\/team could not be read: it could not be reached \(E_REMOTE_UNREACHABLE: ECONNREFUSED\)\./);
    expect(r.problems[0]!.message).not.toContain('records/');
    expect(r.problems[0]!.hint).toMatch(/check remote\.url and remote\.endpoint and the network/);
  });

  it('a store folder that is not there: W_REMOTE_OFFLINE with the code, the folder\'s url and a hint, no records/<key>.json ENOENT', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'hb-plan-gone-')), 'not-mounted');
    const r = await planWithRemote(planOf([item('a', k('a'))]), config(`file://${missing}`));
    expect(r.plan.totals.credits).toBe(1);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0]!;
    expect(p).toMatchObject({ code: 'W_REMOTE_OFFLINE', effect: 'warning' });
    expect(p.message).toBe(
      `W_REMOTE_OFFLINE: the remote store file://${missing} could not be read: the folder is missing, not mounted or not usable here (E_REMOTE_UNREACHABLE: ENOENT). Items are priced as renders; a build still restores any it finds there`,
    );
    expect(p.hint).toMatch(/names an existing folder that is mounted/);
  });
});

describe('plan and claims', () => {
  it('says who holds a key the plan pays for (a translation left to another machine included), and warns of a stale one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-plan-claims-'));
    const store = new FileStore(dir);
    const at = (ago: number): string => new Date(Date.now() - ago).toISOString();
    const claim = (key: string, ago: number, extra: Record<string, unknown> = {}): Promise<void> =>
      store.put(claimKey(key), JSON.stringify({ version: 1, key, idempotencyKey: 'i', attempt: 1, job: 'runner-2:77', at: at(ago), heartbeat: at(ago), ...extra }));
    await claim(k('a'), 1_000);
    await claim(k('e'), 1_000);
    await claim(k('b'), 3600_000);
    await claim(k('2'), 1_000, { remoteId: 'vid_2' });
    const items = [item('a', k('a')), item('b', k('b')), item('c', k('f')), composed, item('a@es', k('e'), { kind: 'translation', videoId: 'a', language: 'es' })];
    // Few keys (a HEAD and a GET each) and many (two listings) read the same claims.
    for (const extra of [[], Array.from({ length: 70 }, (_, i) => item(`x${i}`, (i + 1000).toString(16).padStart(64, '0')))]) {
      const r = await planWithRemote(planOf([...items, ...extra]), config(`file://${dir}`));
      const by = new Map(r.plan.items.map((i) => [i.id, i]));
      expect(by.get('a')!.reasons[0]).toMatch(/^claimed by runner-2:77 at .*waiting for HeyGen's answer/);
      expect(by.get('a@es')!.reasons[0]).toMatch(/^claimed by runner-2:77 at /);
      expect(by.get('b')!.reasons[0]).toMatch(/^stale claim by runner-2:77 .*--take-over-stale/);
      expect(by.get('c')!.reasons).toEqual(['new video']);
      expect(by.get('tour')!.reasons[0]).toBe("scene 1: claimed by runner-2:77: HeyGen is rendering it (vid_2); a build adopts that job instead of paying again");
      // The clip whose claim holds HeyGen's id is adopted by a build, not paid: tour costs its other scene only.
      expect(by.get('tour')!.scenes!.map((s) => s.action)).toEqual(['create', 'reuse']);
      expect(by.get('tour')!.estimate.credits).toBe(1);
      expect(r.plan.totals.credits).toBe(planOf([...items, ...extra]).totals.credits - 1);
      expect(r.problems).toMatchObject([{ code: 'W_CLAIM_STALE', effect: 'warning', message: expect.stringMatching(/^b: key bbbbbbbbbbbb is claimed by runner-2:77/) }]);
    }
  });

  it("a key whose claim holds HeyGen's id is adopted for nothing: shown as a restore, 0 credits, no new video", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-plan-claims-'));
    const store = new FileStore(dir);
    const now = new Date().toISOString();
    await store.put(claimKey(k('a')), JSON.stringify({ version: 1, key: k('a'), idempotencyKey: 'i', attempt: 1, job: 'runner-2:77', at: now, heartbeat: now, remoteId: 'vid_a' }));
    const r = await planWithRemote(planOf([item('a', k('a')), item('b', k('b'))]), config(`file://${dir}`));
    const a = r.plan.items.find((i) => i.id === 'a')!;
    expect(a).toMatchObject({ action: 'create', restore: 'claim', estimate: { credits: 0 } });
    expect(a.reasons[0]).toMatch(/HeyGen is rendering it \(vid_a\); a build adopts that job/);
    expect(r.plan.totals).toMatchObject({ credits: 1, seconds: 10, actions: { create: 1, restore: 1 } });
  });
});

describe('plan and records a build cannot restore from', () => {
  const damages: [string, (key: string) => string][] = [
    ['truncated', (key) => record(key).slice(0, 40)],
    ['of another key (a wrong digest)', () => record(k('9'))],
    ['from a newer heygen-build', (key) => record(key, { version: 2 })],
    ['of another kind', (key) => record(key, { kind: 'clip' })],
    ['naming no video file', (key) => record(key, { files: { captions: { sha256: 'f'.repeat(64), size: 3, ext: 'srt' } } })],
  ];

  it('each is priced as the render a build pays for, with W_REMOTE_RECORD naming the item, the record and a fix; a good record stays free', async () => {
    for (const extra of [0, 70]) {
      const dir = mkdtempSync(join(tmpdir(), 'hb-plan-damaged-'));
      const store = new FileStore(dir);
      const items = damages.map(([, _], i) => item(`bad${i}`, k(String(i + 1))));
      for (const [i, [, damage]] of damages.entries()) await store.put(recordKey(items[i]!.key!), damage(items[i]!.key!));
      const good = item('good', k('a'));
      await store.put(recordKey(good.key!), record(good.key!));
      // Few keys (a GET each) and many (a listing, then a GET of each listed record) check alike.
      const more = Array.from({ length: extra }, (_, i) => item(`x${i}`, (i + 1000).toString(16).padStart(64, '0')));
      const plan = planOf([...items, good, ...more]);
      const r = await planWithRemote(plan, config(`file://${dir}`));
      expect(r.plan.totals.credits, `${extra} more`).toBe(plan.totals.credits - 1);
      expect(r.plan.items.find((i) => i.id === 'good')).toMatchObject({ restore: 'remote', estimate: { credits: 0 } });
      for (const it of items) expect(r.plan.items.find((i) => i.id === it.id)).toMatchObject({ action: 'create', estimate: { credits: 1 }, reasons: ['new video'] });
      expect(r.problems.map((p) => p.code)).toEqual(damages.map(() => 'W_REMOTE_RECORD'));
      for (const [i, [what]] of damages.entries()) {
        const p = r.problems.find((x) => x.message.startsWith(`bad${i}: `));
        expect(p?.message, what).toContain(`records/${items[i]!.key}.json in file://${dir} `);
        expect(p?.message, what).toMatch(/priced as a render, which a build pays for$/);
        expect(p?.hint, what).toMatch(/delete the record from the store/);
      }
    }
  });

  it('a record the store cannot read (a folder where the file should be) is priced as a render too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-plan-unreadable-'));
    mkdirSync(join(dir, 'records', `${k('1')}.json`), { recursive: true });
    const r = await planWithRemote(planOf([item('a', k('1'))]), config(`file://${dir}`));
    expect(r.plan.totals.credits).toBe(1);
    expect(r.problems).toMatchObject([{ code: 'W_REMOTE_RECORD', message: expect.stringMatching(/^a: records\/1+\.json in .* could not be read \(EISDIR\): priced as a render/) }]);
  });

  it('a scene clip whose record is damaged is priced in its video, and so is the whole video', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-plan-damaged-clip-'));
    const store = new FileStore(dir);
    await store.put(recordKey(k('1')), 'not json');
    await store.put(recordKey(k('2')), record(k('2'), { kind: 'clip' }));
    const r = await planWithRemote(planOf([composed]), config(`file://${dir}`));
    expect(r.plan.items[0]!.scenes!.map((s) => s.action)).toEqual(['create', 'reuse']);
    expect(r.plan.totals.credits).toBe(1);
    expect(r.problems).toMatchObject([{ code: 'W_REMOTE_RECORD', message: expect.stringMatching(/^tour#1: records\/1+\.json /) }]);
  });
});
