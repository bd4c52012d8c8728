/**
 * Credits are money: what a build may pay must be what `--max-credits` allowed. The plan prices a key the
 * remote store has a record of as free; a build that then cannot restore it (its blob damaged, HeyGen's
 * render gone) pays for it. That price is held against the budget before the POST: over it, the item is
 * refused with E_BUDGET and nothing is sent. In process: `build()` against the emulator and a folder store.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import { planProject } from '../../src/api/plan.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { BuildEvent } from '../../src/execute/events.js';
import type { Plan, PlanItem, ScenePlanItem } from '../../src/model/plan.js';
import { planTotals } from '../../src/plan/plan.js';
import { StoreBudget } from '../../src/remote/budget.js';
import { markRestores } from '../../src/remote/plan-records.js';
import { tempProject } from '../helpers/cli.js';
import { folderStoreConfig } from '../helpers/store-project.js';

const KEY = 'test-key-store-budget-51c0';
const config = folderStoreConfig;const MANIFESTS = {
  'videos/intro.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome to the product.\n',
  'videos/tour.yaml': 'avatar: presenter\nbackground: "#223344"\nscenes:\n  - script: The dashboard shows everything at a glance, and more.\n',
};

const dirs: string[] = [];
const emus: Emulator[] = [];
afterAll(async () => {
  for (const e of emus) await e.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function emulator(): Promise<{ emu: Emulator; env: Record<string, string> }> {
  const emu = await startEmulator({ apiKey: KEY, renderMs: 40 });
  emus.push(emu);
  return { emu, env: { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url } };
}

/** A clone of `dir` without the lockfile, outputs or .heygen: another branch that never built these videos. */
function branchOf(dir: string): string {
  const to = mkdtempSync(join(tmpdir(), 'hb-budget-branch-'));
  dirs.push(to);
  cpSync(dir, to, { recursive: true });
  for (const p of ['out', '.heygen', 'heygen.lock.yaml']) rmSync(join(to, p), { recursive: true, force: true });
  return to;
}

/** The credits `r`'s plan priced item `id` at. */
const r0 = (r: { plan: Plan }, id: string): number => r.plan.items.find((i) => i.id === id)!.estimate.credits;

const videoPosts = (emu: Emulator): number => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos').length;

let store: string;
let first: string;
let prices: Map<string, number>;

beforeAll(async () => {
  store = mkdtempSync(join(tmpdir(), 'hb-budget-store-'));
  dirs.push(store);
  first = tempProject({ 'heygen.config.mjs': config(store), ...MANIFESTS });
  dirs.push(first);
  const { env } = await emulator();
  const r = await build({ cwd: first, env });
  expect(r.counts).toMatchObject({ rendered: 2, failed: 0 });
  prices = new Map(r.plan.items.map((i) => [i.id, i.estimate.credits]));
  // Every blob of the store is damaged, and the next builds talk to another HeyGen account, which has
  // none of the renders the records name: each key the plan prices free must be rendered and paid for.
  const cas = join(store, 'cas', 'sha256');
  for (const f of readdirSync(cas)) writeFileSync(join(cas, f), 'not the bytes this digest names');
});

describe('build --max-credits and keys the plan priced free', () => {
  it('an item that falls back to paying is refused before its POST when the budget does not cover it', async () => {
    const { emu, env } = await emulator();
    const events: BuildEvent[] = [];
    const branch = branchOf(first);
    const r = await build({ cwd: branch, env, maxCredits: 0, emit: (e) => events.push(e) });
    // The plan saw free restores only, within a budget of 0.
    expect(r.plan.totals.credits).toBe(0);
    expect(r.plan.items.every((i) => i.restore === 'remote')).toBe(true);
    expect(videoPosts(emu), 'nothing paid over the budget').toBe(0);
    const failed = events.filter((e): e is Extract<BuildEvent, { type: 'failed' }> => e.type === 'failed');
    expect(failed.map((e) => [e.id, e.code]).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      ['intro', 'E_BUDGET'],
      ['tour', 'E_BUDGET'],
    ]);
    expect(failed[0]!.message).toMatch(/priced it free \(the remote store has its record\), but it cannot be restored from there .*over the budget of 0: not submitted/);
    expect(r.counts).toMatchObject({ rendered: 0, failed: 2 });
    // No intent is left for what was refused: the next plan prices each scene as this one did (from the
    // store, free), not as a resume of a POST that may have been sent (at full price, and resent unclaimed).
    const next = await planProject({ cwd: branch, env, provider: 'heygen' });
    expect(next.plan!.items.map((i) => [i.id, i.restore, i.estimate.credits, (i.scenes ?? []).map((s) => s.action)])).toEqual(
      r.plan.items.map((i) => [i.id, i.restore, i.estimate.credits, (i.scenes ?? []).map((s) => s.action)]),
    );
    expect(next.plan!.totals.credits).toBe(0);
  });

  it('the budget is a running total: what it covers is paid, the rest refused', async () => {
    const { emu, env } = await emulator();
    const events: BuildEvent[] = [];
    const one = Math.max(prices.get('intro')!, prices.get('tour')!);
    const r = await build({ cwd: branchOf(first), env, maxCredits: one, emit: (e) => events.push(e) });
    expect(videoPosts(emu), 'one video fits the budget').toBe(1);
    expect(r.counts).toMatchObject({ rendered: 1, failed: 1 });
    expect(events.filter((e) => e.type === 'failed').map((e) => (e as { code: string }).code)).toEqual(['E_BUDGET']);

  });
});

describe('build --max-credits and a video rendered whole', () => {
  it('refused before its POST, its intent withdrawn: the next plan prices it as this one did, not as a resume', async () => {
    const store6 = mkdtempSync(join(tmpdir(), 'hb-budget-store6-'));
    dirs.push(store6);
    const dir = tempProject({ 'heygen.config.mjs': config(store6), 'videos/pitch.yaml': 'prompt: Pitch our calendar app in 20 seconds.\n' });
    dirs.push(dir);
    expect((await build({ cwd: dir, env: (await emulator()).env })).counts).toMatchObject({ rendered: 1, failed: 0 });
    for (const f of readdirSync(join(store6, 'cas', 'sha256'))) writeFileSync(join(store6, 'cas', 'sha256', f), 'damaged');
    const branch = branchOf(dir);
    const { emu, env } = await emulator();
    const events: BuildEvent[] = [];
    const r = await build({ cwd: branch, env, maxCredits: 0, emit: (e) => events.push(e) });
    expect(r.plan.items.map((i) => [i.id, i.restore, i.estimate.credits])).toEqual([['pitch', 'remote', 0]]);
    expect(emu.requests.filter((q) => q.method === 'POST'), 'nothing sent').toEqual([]);
    expect(events.filter((e) => e.type === 'failed')).toMatchObject([{ id: 'pitch', code: 'E_BUDGET' }]);
    const next = await planProject({ cwd: branch, env, provider: 'heygen' });
    expect(next.plan!.items.map((i) => [i.id, i.action, i.restore, i.estimate.credits])).toEqual([['pitch', 'create', 'remote', 0]]);
  });
});

describe('build --max-credits and damaged records', () => {
  it("a record the plan cannot use is priced as the render it is: the build's budget check refuses before any request", async () => {
    const store2 = mkdtempSync(join(tmpdir(), 'hb-budget-store2-'));
    dirs.push(store2);
    const dir = tempProject({ 'heygen.config.mjs': config(store2), ...MANIFESTS });
    dirs.push(dir);
    const { emu, env } = await emulator();
    expect((await build({ cwd: dir, env })).counts).toMatchObject({ rendered: 2 });
    for (const f of readdirSync(join(store2, 'records'))) writeFileSync(join(store2, 'records', f), '{"version":1,"key":');
    emu.reset();
    const events: BuildEvent[] = [];
    await expect(build({ cwd: branchOf(dir), env, maxCredits: 0, emit: (e) => events.push(e) })).rejects.toMatchObject({ code: 'E_BUDGET' });
    expect(emu.requests.filter((r) => r.method === 'POST')).toEqual([]);
    const plan = events.find((e): e is Extract<BuildEvent, { type: 'plan' }> => e.type === 'plan')!.plan;
    expect(plan.items.map((i) => [i.id, i.restore ?? 'paid'])).toEqual([
      ['intro', 'paid'],
      ['tour', 'paid'],
    ]);
  });
});

describe('build --max-credits and a translation the store cannot serve', () => {
  it('its language is refused before it is claimed or sent when the budget covers only the video', async () => {
    const store3 = mkdtempSync(join(tmpdir(), 'hb-budget-store3-'));
    dirs.push(store3);
    const dir = tempProject({ 'heygen.config.mjs': config(store3), 'videos/intro.yaml': `${MANIFESTS['videos/intro.yaml']}translations: [es]\n` });
    dirs.push(dir);
    const first = await build({ cwd: dir, env: (await emulator()).env });
    expect(first.counts).toMatchObject({ rendered: 2, failed: 0 });
    const video = first.plan.items.find((i) => i.id === 'intro')!.estimate.credits;
    for (const f of readdirSync(join(store3, 'cas', 'sha256'))) writeFileSync(join(store3, 'cas', 'sha256', f), 'damaged');
    const { emu, env } = await emulator();
    const events: BuildEvent[] = [];
    const r = await build({ cwd: branchOf(dir), env, maxCredits: video, emit: (e) => events.push(e) });
    expect(r.plan.totals.credits).toBe(0);
    expect(videoPosts(emu), 'the video fits the budget').toBe(1);
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path.includes('translat')), 'the translation does not').toEqual([]);
    expect(events.filter((e) => e.type === 'failed')).toMatchObject([{ id: 'intro@es', code: 'E_BUDGET' }]);
    expect(readdirSync(join(store3, 'claims')), 'no claim left held for a POST never sent').toEqual([]);
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ message: expect.stringMatching(/^intro@es: .*not submitted/) });
  });

  it('a refused language leaves no intent behind: the next plan prices it as the first did (a restore, else a create), not as a resume that may have been paid', async () => {
    const store4 = mkdtempSync(join(tmpdir(), 'hb-budget-store4-'));
    dirs.push(store4);
    const dir = tempProject({ 'heygen.config.mjs': config(store4), 'videos/intro.yaml': `${MANIFESTS['videos/intro.yaml']}translations: [es]\n` });
    dirs.push(dir);
    const made = await build({ cwd: dir, env: (await emulator()).env });
    expect(made.counts).toMatchObject({ rendered: 2, failed: 0 });
    const video = made.plan.items.find((i) => i.id === 'intro')!.estimate.credits;
    for (const f of readdirSync(join(store4, 'cas', 'sha256'))) writeFileSync(join(store4, 'cas', 'sha256', f), 'damaged');
    const branch = branchOf(dir);
    const { emu, env } = await emulator();
    await build({ cwd: branch, env, maxCredits: video });
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path.includes('translat'))).toEqual([]);
    const lock = readFileSync(join(branch, 'heygen.lock.yaml'), 'utf8');
    expect(lock, 'no intent journaled for the refused language').not.toMatch(/es:\s*\n\s+key:/);
    const next = await planProject({ cwd: branch, env, provider: 'heygen' });
    const es = next.plan!.items.find((i) => i.id === 'intro@es')!;
    expect([es.action, es.restore]).toEqual(['create', 'remote']);
    expect(es.estimate.credits, 'free when the store can serve it, as the first plan said').toBe(0);
  });

  it('what the budget covers of a group is still sent: the refused language alone is withdrawn, before anything is claimed or sent', async () => {
    const store5 = mkdtempSync(join(tmpdir(), 'hb-budget-store5-'));
    dirs.push(store5);
    const dir = tempProject({ 'heygen.config.mjs': config(store5), 'videos/intro.yaml': `${MANIFESTS['videos/intro.yaml']}translations: [es]\n` });
    dirs.push(dir);
    const made = await build({ cwd: dir, env: (await emulator()).env });
    expect(made.counts).toMatchObject({ rendered: 2, failed: 0 });
    const video = made.plan.items.find((i) => i.id === 'intro')!.estimate.credits;
    for (const f of readdirSync(join(store5, 'cas', 'sha256'))) writeFileSync(join(store5, 'cas', 'sha256', f), 'damaged');
    // Another branch adds French: es has a record (priced free, then refused), fr is priced and paid.
    const branch = branchOf(dir);
    writeFileSync(join(branch, 'videos/intro.yaml'), `${MANIFESTS['videos/intro.yaml']}translations: [es, fr]\n`);
    const { emu, env } = await emulator();
    const events: BuildEvent[] = [];
    const r = await build({ cwd: branch, env, maxCredits: video + r0(made, 'intro@es'), emit: (e) => events.push(e) });
    const fr = r.plan.items.find((i) => i.id === 'intro@fr')!;
    expect([fr.action, fr.estimate.credits]).toEqual(['create', r0(made, 'intro@es')]);
    const posts = emu.requests.filter((q) => q.method === 'POST' && q.path.includes('translat'));
    expect(posts, 'one POST, for French alone').toHaveLength(1);
    expect(JSON.stringify(posts[0]!.body)).toMatch(/French/);
    expect(JSON.stringify(posts[0]!.body)).not.toMatch(/Spanish/);
    expect(events.filter((e) => e.type === 'failed')).toMatchObject([{ id: 'intro@es', code: 'E_BUDGET' }]);
    expect(r.counts).toMatchObject({ failed: 1 });
    expect(events.some((e) => e.type === 'status' && e.id === 'intro@fr' && e.state === 'done')).toBe(true);
    const next = await planProject({ cwd: branch, env, provider: 'heygen' });
    expect(next.plan!.items.filter((i) => i.action !== 'unchanged').map((i) => [i.id, i.action, i.restore])).toEqual([['intro@es', 'create', 'remote']]);
  });
});

describe('StoreBudget', () => {
  const k = (c: string): string => c.repeat(64);
  const scene = (index: number, key: string): ScenePlanItem => ({ index, key, action: 'create', reasons: ['new'], estimate: { seconds: 10, credits: 1 } });
  const tour: PlanItem = { kind: 'video', id: 'tour', videoId: 'tour', action: 'create', key: k('c'), reasons: [], output: 'out/tour.mp4', estimate: { seconds: 20, credits: 2 }, scenes: [scene(0, k('1')), scene(1, k('2'))] };
  const paid: PlanItem = { ...tour, id: 'paid', videoId: 'paid', key: k('p'), scenes: [scene(0, k('3'))], estimate: { seconds: 10, credits: 1 } };
  const plan = (items: PlanItem[]): Plan => ({ items, totals: planTotals(items) });

  it("holds each clip of a video the store has whole at the clip's own price, on top of what the plan priced; a key given back frees its price", () => {
    const marked = markRestores(plan([tour, paid]), new Set([k('c')]));
    expect(marked.totals.credits).toBe(1);
    const budget = new StoreBudget(marked, 2);
    expect(budget.reserve(k('3'), 'paid#1'), 'priced by the plan already: nothing taken').toBeUndefined();
    const giveBack = budget.reserve(k('1'), 'tour#1');
    expect(() => budget.reserve(k('2'), 'tour#2')).toThrow(expect.objectContaining({ code: 'E_BUDGET', message: expect.stringMatching(/^tour#2: .*that is 3, over the budget of 2/) }));
    giveBack!();
    expect(budget.reserve(k('2'), 'tour#2')).toBeTypeOf('function');
    // Without a budget, nothing is refused.
    const free = new StoreBudget(marked, undefined);
    for (const key of [k('1'), k('2'), k('c')]) free.reserve(key, 'x');
  });
});
