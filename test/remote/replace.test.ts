/**
 * `--replace` promises a render with HeyGen (a new attempt, a new Idempotency-Key), and the README that a
 * deliberate re-render is priced as before: with a remote store that holds the key, `plan --replace`
 * prices it as a render, never a free `↓ restore`, and `build --replace` renders it instead of restoring
 * it, for an unchanged video and for an edited one whose new key another branch already rendered.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/api/build.js';
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
  const store = mkdtempSync(join(tmpdir(), 'hb-replace-store-'));
  first = tempProject({ 'heygen.config.mjs': config(store), 'videos/intro.yaml': V1, 'videos/tour.yaml': TOUR });
  dirs.push(store, first);
  expect((await build({ cwd: first, env })).counts).toMatchObject({ failed: 0 });
  before = copy(first);
  // Another branch edits intro and builds it: the store has intro's new key.
  writeFileSync(join(first, 'videos', 'intro.yaml'), V2);
  expect((await build({ cwd: first, env })).counts).toMatchObject({ rendered: 1, failed: 0 });
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
