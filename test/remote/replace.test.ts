/**
 * `--replace` promises a render with HeyGen (a new attempt, a new Idempotency-Key), and the README that a
 * deliberate re-render is priced as before: with a remote store that holds the key, `plan --replace`
 * prices it as a render, never a free `↓ restore`, and `build --replace` renders it instead of restoring
 * it, for an unchanged video and for an edited one whose new key another branch already rendered.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
import type { BuildEvent } from '../../src/execute/events.js';
import type { Claim } from '../../src/remote/claims.js';
import { planProject } from '../../src/api/plan.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { tempProject } from '../helpers/cli.js';
import { folderStoreConfig } from '../helpers/store-project.js';

const KEY = 'test-key-store-replace-7e21';
const config = folderStoreConfig;const V1 = 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome to the product.\n';
const V2 = 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome to the new product.\n';
const TOUR = 'avatar: presenter\nbackground: "#223344"\nscenes:\n  - script: The dashboard shows everything at a glance.\n  - script: And the calendar plans your week.\n';

let emu: Emulator;
let env: Record<string, string>;
const dirs: string[] = [];
let first: string;
let store: string;
/** The body of intro's last POST (its V2 render): another machine sends the same to render the same key. */
let introBody: unknown;
/** `first` after its first build: the lockfile holds intro at V1. */
let before: string;

const videoPosts = (): number => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos').length;

function copy(dir: string): string {
  const to = mkdtempSync(join(tmpdir(), 'hb-replace-'));
  dirs.push(to);
  cpSync(dir, to, { recursive: true });
  return to;
}

beforeAll(async () => {
  emu = await startEmulator({ apiKey: KEY, renderMs: 40 });
  env = { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
  store = mkdtempSync(join(tmpdir(), 'hb-replace-store-'));
  first = tempProject({ 'heygen.config.mjs': config(store), 'videos/intro.yaml': V1, 'videos/tour.yaml': TOUR });
  dirs.push(store, first);
  expect((await build({ cwd: first, env })).counts).toMatchObject({ failed: 0 });
  before = copy(first);
  // Another branch edits intro and builds it: the store has intro's new key.
  writeFileSync(join(first, 'videos', 'intro.yaml'), V2);
  expect((await build({ cwd: first, env })).counts).toMatchObject({ rendered: 1, failed: 0 });
  introBody = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos').at(-1)!.body;
});
afterAll(async () => {
  await emu.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('--replace with a remote store that has the key', () => {
  it('an edited video: without --replace a free restore; with it, priced as a render and rendered', async () => {
    const dir = copy(before);
    writeFileSync(join(dir, 'videos', 'intro.yaml'), V2);
    const plain = await planProject({ cwd: dir, env });
    expect(plain.plan!.items.find((i) => i.id === 'intro')).toMatchObject({ restore: 'remote', estimate: { credits: 0 } });

    const replaced = await planProject({ cwd: dir, env, replace: ['intro'] });
    const intro = replaced.plan!.items.find((i) => i.id === 'intro')!;
    expect(intro.restore).toBeUndefined();
    expect(intro.action).toBe('update');
    expect(intro.estimate.credits).toBeGreaterThan(0);
    expect(intro.reasons).toContain('replacement requested (--replace): rendered with HeyGen, not taken from the remote store');
    expect(replaced.plan!.totals.credits).toBe(intro.estimate.credits);

    emu.reset();
    const r = await build({ cwd: dir, env, replace: ['intro'] });
    expect(videoPosts(), 'rendered with HeyGen, as --replace promises').toBe(1);
    expect(r.counts).toMatchObject({ rendered: 1, restored: 0, failed: 0 });
  });

  it('an unchanged video (the store holds the record its own render pushed): rendered again, and every clip of a composed one', async () => {
    const dir = copy(first);
    const plan = await planProject({ cwd: dir, env, replace: ['intro', 'tour'] });
    const credits = plan.plan!.items.filter((i) => i.id === 'intro' || i.id === 'tour').map((i) => i.estimate.credits);
    expect(credits.every((c) => c > 0)).toBe(true);
    emu.reset();
    const r = await build({ cwd: dir, env, replace: ['intro', 'tour'] });
    expect(r.counts).toMatchObject({ rendered: 2, restored: 0, failed: 0 });
    expect(videoPosts(), 'intro whole, tour clip by clip').toBe(3);
  });
});

describe("--replace and another machine's job of the same key", () => {
  /** Another machine's claim of `key` (a higher attempt: it replaced the video too), naming HeyGen's job `remoteId`. */
  function holderClaim(key: string, remoteId: string): void {
    const at = new Date().toISOString();
    const c: Claim = { version: 1, key, idempotencyKey: 'idem-of-the-holder', attempt: 9, job: 'ci-runner-7:4242 (GitHub run 9 job build)', host: 'ci-runner-7', pid: 4242, remoteId, at, heartbeat: at };
    mkdirSync(join(store, 'claims'), { recursive: true });
    writeFileSync(join(store, 'claims', key), JSON.stringify(c));
  }
  /** intro is composed of one scene: its clip's key is what machines claim, and HeyGen's job of it. */
  const introOf = async (dir: string): Promise<{ key: string; remoteId: string }> => {
    const p = await planProject({ cwd: dir, env, replace: ['intro'] });
    const key = p.plan!.items.find((i) => i.id === 'intro')!.scenes![0]!.key!;
    return { key, remoteId: p.lock.clips![key]!.remoteId! };
  };
  afterAll(() => rmSync(join(store, 'claims'), { recursive: true, force: true }));

  it('still rendering: a fresh render of the same inputs, adopted (that machine pays; counted as adopted, not rendered)', async () => {
    const dir = copy(first);
    const { key } = await introOf(dir);
    // The other machine's POST, accepted now and rendering for a while.
    emu.timing.renderMs = 1500;
    const res = await fetch(`${emu.url}/v3/videos`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(introBody) });
    emu.timing.renderMs = 40;
    const theirs = ((await res.json()) as { data: { video_id: string } }).data.video_id;
    holderClaim(key, theirs);
    emu.reset();
    const events: BuildEvent[] = [];
    const r = await build({ cwd: dir, env, replace: ['intro'], emit: (e) => events.push(e) });
    expect(videoPosts(), 'nothing sent: its job is polled').toBe(0);
    expect(events.filter((e) => e.type === 'adopted')).toMatchObject([{ id: 'intro#1', remoteId: theirs }]);
    expect(r.counts).toMatchObject({ adopted: 1, rendered: 0, failed: 0 });
    expect((await introOf(dir)).remoteId).toBe(theirs);
  });

  it('finished (the very render being replaced, its claim left behind): not adopted, rendered again and counted as rendered', async () => {
    const dir = copy(first);
    const old = await introOf(dir);
    holderClaim(old.key, old.remoteId);
    emu.reset();
    const events: BuildEvent[] = [];
    const r = await build({ cwd: dir, env, replace: ['intro'], emit: (e) => events.push(e) });
    expect(videoPosts(), 'a new render, as --replace promises').toBe(1);
    expect(events.filter((e) => e.type === 'adopted')).toEqual([]);
    expect(r.counts).toMatchObject({ adopted: 0, rendered: 1, failed: 0 });
    expect((await introOf(dir)).remoteId).not.toBe(old.remoteId);
    expect(events.some((e) => e.type === 'warning' && /which is finished: not a fresh render/.test(e.message))).toBe(true);
  });
});
