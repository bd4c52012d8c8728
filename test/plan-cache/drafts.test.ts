/**
 * The draft provider reads its cache by listing `.heygen/drafts/` once instead of probing one file per
 * video (src/providers/local/cache.ts `entries`). The plan snapshot keys that listing by the folder's
 * stamp: a draft that appears or disappears after a snapshot was kept must still plan in full.
 */
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { planWithSnapshot } from '../../src/plan-cache/index.js';
import { runPlanFull } from '../../src/cli/plan-full.js';
import type { PlanFlags } from '../../src/cli/plan.js';
import { planProject } from '../../src/api/plan.js';
import { contentKey } from '../../src/hash/index.js';
import { draftCache } from '../../src/providers/local/cache.js';
import { tempProject } from '../helpers/cli.js';
import { usePlainPlanEnv } from './plain-env.js';

const CONFIG = `export default { manifests: ['videos/**/*.yaml'], avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'abc123def456' } };\n`;
const manifest = (script: string): string => `avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: ${script}\n`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
usePlainPlanEnv();

interface Run {
  out: string;
  miss: string | undefined;
  notKept: string | undefined;
}

/** `plan --provider local` through the snapshot, the clock a minute on (files written just now are not racy). */
async function plan(dir: string, snapshot = true): Promise<Run> {
  let out = '';
  const misses: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const opts: PlanFlags = { provider: 'local', snapshot, cwd: dir };
  try {
    if (!snapshot) await runPlanFull([], opts);
    else await planWithSnapshot({ cwd: dir, request: { paths: [], opts }, run: () => runPlanFull([], opts), now: () => Date.now() + 60_000, onMiss: (w) => misses.push(w) });
    return { out, miss: misses.find((m) => !m.startsWith('not kept')), notKept: misses.find((m) => m.startsWith('not kept')) };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** Plans until a snapshot is kept and the next plan is a hit. */
async function kept(dir: string): Promise<Run> {
  const first = await plan(dir);
  if (first.notKept || first.miss) await plan(dir);
  const hit = await plan(dir);
  expect(hit.miss).toBeUndefined();
  return hit;
}

/** A complete draft of `spec`'s content in the project's draft cache (bytes that are not a real MP4: the plan only reads the entry). */
async function putDraft(dir: string, key: string): Promise<void> {
  const tmp = join(dir, `rendered-${key}.mp4`);
  writeFileSync(tmp, 'not really an mp4');
  await draftCache(dir).put(key, tmp);
}

describe('draft cache listing and the plan snapshot', () => {
  it('plans in full when a draft appears (no drafts folder yet, then another draft) or disappears', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': manifest('Video a.'), 'videos/b.yaml': manifest('Video b.') });
    dirs.push(dir);
    const { specs } = await planProject({ cwd: dir, env: {}, provider: 'local' });
    const key = (id: string): string => contentKey(specs.find((s) => s.id === id)!);

    // No .heygen/drafts/ at all: every video is drafted.
    expect((await kept(dir)).out).toMatch(/2 to create/);
    await putDraft(dir, key('a'));
    const appeared = await plan(dir);
    expect(appeared.miss).toMatch(/drafts changed/);
    expect(appeared.out).toBe((await plan(dir, false)).out);
    expect(appeared.out).toMatch(/1 to create/);

    // The folder exists now: a second draft is a new entry in it.
    await kept(dir);
    await putDraft(dir, key('b'));
    const second = await plan(dir);
    expect(second.miss).toMatch(/drafts changed/);
    expect(second.out).toMatch(/0 to create/);

    // A draft removed (its entry first, as a cache cleaner would).
    await kept(dir);
    unlinkSync(join(dir, '.heygen', 'drafts', `${key('a')}.json`));
    const removed = await plan(dir);
    expect(removed.miss).toMatch(/changed/);
    expect(removed.out).toBe((await plan(dir, false)).out);
    expect(removed.out).toMatch(/1 to create/);
  });

  it('reads a listed entry that is torn, or whose video is gone, as a miss', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': manifest('Video a.') });
    dirs.push(dir);
    const cache = draftCache(dir);
    expect(cache.entries(['k1'])).toEqual(new Map());
    await putDraft(dir, 'k1');
    await putDraft(dir, 'k2');
    await putDraft(dir, 'k3');
    writeFileSync(join(cache.dir, 'k2.json'), '{"version":1,');
    unlinkSync(join(cache.dir, 'k3.mp4'));
    mkdirSync(join(cache.dir, 'k4.json'));
    const found = cache.entries(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect([...found.keys()]).toEqual(['k1']);
    expect(found.get('k1')).toEqual(await cache.entry('k1'));
  });
});
