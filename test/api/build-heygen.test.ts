/**
 * `build()` against the in-process HeyGen emulator: one read of the lockfile per build, refusals
 * before the first request, and counts that tell a new render from a restored file.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { build } from '../../src/api/build.js';
import { startEmulator, type Emulator, type RecordedRequest } from '../../src/emulator/index.js';
import type { BuildEvent } from '../../src/execute/events.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { tempProject } from '../helpers/cli.js';

/** Every path read with fs/promises readFile, by any module. */
const reads = vi.hoisted(() => [] as string[]);
/** When set, the rename that puts `.heygen/catalog.json` in place waits for it first. */
const catalogRename = vi.hoisted(() => ({ before: undefined as (() => Promise<void>) | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((...args: Parameters<typeof real.readFile>) => {
    const target = args[0];
    reads.push(typeof target === 'string' ? target : target instanceof URL ? target.pathname : '(file handle)');
    return real.readFile(...args);
  }) as typeof real.readFile;
  const rename = async (from: Parameters<typeof real.rename>[0], to: Parameters<typeof real.rename>[1]): Promise<void> => {
    if (String(to).endsWith('catalog.json')) await catalogRename.before?.();
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, readFile, rename }, readFile, rename };
});

const KEY = 'test-key-api-build-8d2f';
const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 4, poll: { minMs: 10, maxMs: 40, timeoutMs: 10000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`;
const MANIFESTS = {
  'videos/intro.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome to the product.\n',
  'videos/tour.yaml': 'avatar: presenter\nbackground: "#223344"\nscenes:\n  - script: The dashboard shows everything at a glance.\ntranslations: [es]\n',
};

let emu: Emulator;
let env: Record<string, string>;
/** Told of each request the shared emulator has answered, when a test listens. */
let answered: ((r: RecordedRequest) => void) | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ apiKey: KEY, renderMs: 60, translateMs: 60, onRequest: (r) => answered?.(r) });
  env = { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
});
afterAll(async () => {
  await emu.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(() => {
  emu.reset();
  reads.length = 0;
});

function project(): string {
  const dir = tempProject({ 'heygen.config.mjs': CONFIG, ...MANIFESTS });
  dirs.push(dir);
  return dir;
}

const lockfileReads = (dir: string): number => reads.filter((p) => p === join(dir, 'heygen.lock.yaml')).length;
const paidPosts = (): string[] => emu.requests.filter((r) => r.method === 'POST').map((r) => r.path);

describe('build() with HeyGen', () => {
  it('reads the lockfile once per build, renders what is new, then restores a deleted output without rendering', async () => {
    const dir = project();
    const events: BuildEvent[] = [];
    let lockHeldAtDone: boolean | undefined;
    const emit = (e: BuildEvent): void => {
      if (e.type === 'done') lockHeldAtDone = existsSync(join(dir, '.heygen', 'build.lock'));
      events.push(e);
    };

    const first = await build({ cwd: dir, env, emit });
    expect(first.provider).toBe('heygen');
    expect(first.counts).toMatchObject({ done: 3, rendered: 3, restored: 0, failed: 0, unchanged: 0 });
    expect(lockfileReads(dir)).toBe(1);
    expect(events[0]).toMatchObject({ type: 'plan', provider: 'heygen' });
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
    // A script that sees `done` may start the next build at once: the lock is already free.
    expect(lockHeldAtDone).toBe(false);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(lock.videos.intro).toMatchObject({ status: 'completed', output: { path: 'out/intro.mp4' } });
    expect(lock.videos.tour?.translations.es).toMatchObject({ status: 'completed', output: { path: 'out/tour.es.mp4' } });

    reads.length = 0;
    emu.reset();
    const second = await build({ cwd: dir, env });
    expect(second.counts).toMatchObject({ done: 0, rendered: 0, unchanged: 3 });
    expect(lockfileReads(dir)).toBe(1);
    expect(emu.requests).toEqual([]);

    rmSync(join(dir, 'out', 'intro.mp4'));
    rmSync(join(dir, 'out', 'tour.es.mp4'));
    reads.length = 0;
    const third = await build({ cwd: dir, env });
    expect(third.plan.items.filter((i) => i.action === 'download').map((i) => i.id)).toEqual(['intro', 'tour@es']);
    expect(third.counts).toMatchObject({ done: 2, rendered: 0, restored: 2, unchanged: 1 });
    expect(lockfileReads(dir)).toBe(1);
    expect(paidPosts()).toEqual([]);
    expect(existsSync(join(dir, 'out', 'intro.mp4'))).toBe(true);
  });

  it('refuses an over-budget build with E_BUDGET before any request, and frees the build lock', async () => {
    const dir = project();
    const events: BuildEvent[] = [];
    await expect(build({ cwd: dir, env, maxCredits: 0.5, emit: (e) => events.push(e) })).rejects.toMatchObject({
      code: 'E_BUDGET',
      hint: expect.stringContaining('--max-credits'),
    });
    expect(emu.requests).toEqual([]);
    // The plan it refused was shown first, so the user sees what was over budget.
    expect(events.map((e) => e.type)).toEqual(['plan']);
    expect(existsSync(join(dir, '.heygen', 'build.lock'))).toBe(false);
    expect(existsSync(join(dir, 'heygen.lock.yaml'))).toBe(false);
  });

  // BUG (src/api/build.ts:51): build() replaces `opts.overrides` (a field BuildOptions inherits from
  // LoadConfigOptions) with its own `{ provider, concurrency, maxCredits }`, so
  // `build({ overrides: { maxCredits } })` ignores the budget (and `overrides.api` the API version)
  // and spends, while planProject({ overrides: { maxCredits } }) honours it (plan.ts:49 merges
  // `...opts.overrides`). Fix: `overrides: { ...opts.overrides, provider, concurrency, maxCredits }`
  // with the top-level fields only when set.
  it('honours a budget given as overrides, as planProject does', async () => {
    const dir = project();
    await expect(build({ cwd: dir, env, overrides: { maxCredits: 0.5 } })).rejects.toMatchObject({ code: 'E_BUDGET' });
  });

  it('refuses a build the account cannot pay for after one free request, with E_HEYGEN_CREDITS', async () => {
    const poor = await startEmulator({ apiKey: KEY, credits: 0.2 });
    try {
      const dir = project();
      const poorEnv = { ...env, HEYGEN_API_BASE_URL: poor.url, HEYGEN_UPLOAD_BASE_URL: poor.url };
      await expect(build({ cwd: dir, env: poorEnv })).rejects.toMatchObject({ code: 'E_HEYGEN_CREDITS' });
      expect(poor.requests.every((r) => r.method === 'GET')).toBe(true);
      expect(poor.requests.map((r) => r.path)).toContain('/v3/users/me');
    } finally {
      await poor.stop();
    }
  });

  it('looks up the credits, the look and the voice side by side before paying, and lists the catalog for its cache after the first POST', async () => {
    const dir = project();
    const first = await build({ cwd: dir, env });
    expect(first.counts.failed).toBe(0);
    const firstPaid = emu.requests.findIndex((r) => r.method === 'POST');
    // The catalog's part of the lookups before paying (the translation languages go too: the tour has one).
    const ids = ['/v3/avatars/looks/Daisy-inskirt-20220818', '/v3/users/me', '/v3/voices/2d5b0e6cf36f460aa7fc47e3eee4ba54'];
    const lookups = emu.requests.slice(0, firstPaid).filter((r) => ids.includes(r.path));
    expect(lookups.map((r) => r.path).sort()).toEqual(ids);
    // The lists followed the first paid POST, and the build returned with them cached.
    const isList = (p: string): boolean => p === '/v3/voices' || p === '/v3/avatars/looks';
    expect(emu.requests.findIndex((r) => isList(r.path))).toBeGreaterThan(firstPaid);
    expect((JSON.parse(readFileSync(join(dir, '.heygen', 'catalog.json'), 'utf8')) as { voices: unknown[] }).voices.length).toBeGreaterThan(1);
  });

  it('refuses an unknown voice with a suggestion from the lists, before paying, when its lookup finds nothing', async () => {
    const dir = tempProject({
      'heygen.config.mjs': CONFIG.replace("narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54'", "narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba55'"),
      ...MANIFESTS,
    });
    dirs.push(dir);
    await expect(build({ cwd: dir, env })).rejects.toMatchObject({ message: expect.stringContaining('2d5b0e6cf36f460aa7fc47e3eee4ba54') });
    expect(paidPosts()).toEqual([]);
    // The lookup by id came first; the lists answered the refusal's "did you mean".
    const paths = emu.requests.map((r) => r.path);
    expect(paths.indexOf('/v3/voices/2d5b0e6cf36f460aa7fc47e3eee4ba55')).toBeLessThan(paths.indexOf('/v3/voices'));
  });

  it('downloads a render polled alone from the URL its poll brought: no second GET before the file', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/solo.yaml': MANIFESTS['videos/intro.yaml'] });
    dirs.push(dir);
    const r = await build({ cwd: dir, env });
    expect(r.counts).toMatchObject({ done: 1, rendered: 1, failed: 0 });
    const asks = emu.requests.filter((q) => q.method === 'GET' && /^\/v3\/videos\/[^/]+$/.test(q.path));
    // Every poll of the one job in flight is a GET of it (no bulk request), and the last one said completed.
    expect(asks.length).toBeGreaterThan(0);
    expect(asks.every((q) => q.path !== '/v3/videos/statuses')).toBe(true);
    const file = emu.requests.filter((q) => q.path.startsWith('/files/'));
    expect(file).toHaveLength(1);
    // The file was fetched right after the last poll, with no request for the video in between.
    expect(emu.requests.filter((q) => q.at > asks.at(-1)!.at && q.path.startsWith('/v3/videos/'))).toEqual([]);
  });

  it('polls each job alone while no video waits for a slot, and in bulk while some do', async () => {
    const videos = (n: number, tag: string): Record<string, string> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`videos/${tag}${i}.yaml`, `avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Video ${tag} ${i} of the polling test.\n`]));
    const run = async (n: number, tag: string): Promise<RecordedRequest[]> => {
      const dir = tempProject({ 'heygen.config.mjs': CONFIG, ...videos(n, tag) });
      dirs.push(dir);
      const from = emu.requests.length;
      const r = await build({ cwd: dir, env });
      expect(r.counts).toMatchObject({ done: n, rendered: n, failed: 0 });
      return emu.requests.slice(from);
    };
    const asks = (q: RecordedRequest): boolean => q.method === 'GET' && /^\/v3\/videos\/[^/]+$/.test(q.path) && q.path !== '/v3/videos/statuses';
    // Three videos, four slots: every poll asks about one job, and its answer's URL is the one downloaded.
    const few = await run(3, 'few');
    expect(few.filter((q) => q.path === '/v3/videos/statuses')).toEqual([]);
    for (const file of few.filter((q) => q.path.startsWith('/files/'))) {
      const id = file.path.slice('/files/'.length).split('.')[0]!;
      const last = few.filter((q) => q.at < file.at && asks(q) && q.path.endsWith(id)).at(-1);
      expect(last, id).toBeDefined();
      // Between that poll and the file, nothing more was asked about the video.
      expect(few.filter((q) => q.at > last!.at && q.at < file.at && q.path.includes(id))).toEqual([]);
    }
    // Ten videos, four slots: while videos wait, polls ask about the jobs in flight together.
    const many = await run(10, 'many');
    expect(many.filter((q) => q.path === '/v3/videos/statuses').length).toBeGreaterThan(0);
  });

  it('submits without waiting for the cache write of the catalog it fetched, and returns with the cache written', async () => {
    const dir = project();
    const posted = (): boolean => emu.requests.some((r) => r.method === 'POST');
    let postedFirst: boolean | undefined;
    // The write holds until the first paid POST is answered. A build that waited for the write would never send
    // one: then the write goes on after 5 s and the test fails, instead of hanging.
    catalogRename.before = () =>
      new Promise<void>((resolve) => {
        const go = (): void => {
          clearTimeout(deadline);
          answered = undefined;
          postedFirst = posted();
          resolve();
        };
        const deadline = setTimeout(go, 5000);
        if (posted()) return go();
        answered = (r) => r.method === 'POST' && go();
      });
    try {
      const r = await build({ cwd: dir, env });
      expect(r.counts).toMatchObject({ done: 3, failed: 0 });
    } finally {
      catalogRename.before = undefined;
    }
    expect(postedFirst).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, '.heygen', 'catalog.json'), 'utf8'))).toMatchObject({ looks: expect.any(Array), voices: expect.any(Array) });
  });

  it('journals the next clip in line while the slots are full, so it is POSTed the moment one frees, and never more than the cap ahead', async () => {
    // Renders finish only when the test lets them: the emulator's clock (Date.now, shared by the build in
    // this process) jumps a render's length once a status poll has shown what is asserted, so no timing
    // under load decides the outcome. A clip finishes only when the next one's intent is on disk (or,
    // the last, once it is submitted): an executor that journaled late would never let one finish, and
    // the build fails on its poll timeout.
    const RENDER_MS = 600_000;
    let offset = 0;
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
    const unsentSeen: number[] = [];
    /** How many intents were on disk and unsent when each render was let finish. */
    const releasedWith: number[] = [];
    const released = new Set<string>();
    let lastSubmittedAt: number | undefined;
    let dir = '';
    const slow = await startEmulator({
      apiKey: KEY,
      renderMs: RENDER_MS,
      // Called once a status answer is sent (bulk, or GET /v3/videos/{id} for one job alone): the lockfile as it stood then.
      onRequest: (r) => {
        const poll = r.method === 'GET' && /^\/v3\/videos\/[^/]+$/.test(r.path);
        if (!poll || !existsSync(join(dir, 'heygen.lock.yaml'))) return;
        const clips = Object.values(parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml').clips ?? {});
        const unsent = clips.filter((c) => c.status === 'pending').length;
        unsentSeen.push(unsent);
        const rendering = clips.find((c) => c.status === 'submitted' && !released.has(c.remoteId!));
        const allSent = clips.length === 3 && clips.every((c) => c.status === 'submitted' || c.status === 'completed');
        if (rendering && (unsent === 1 || allSent)) {
          released.add(rendering.remoteId!);
          releasedWith.push(unsent);
          offset += RENDER_MS;
        }
      },
    });
    try {
      dir = tempProject({
        // A poll timeout longer than the renders the clock jumps over (an executor that never journals ahead fails on the test's timeout).
        'heygen.config.mjs': CONFIG.replace('concurrency: 4', 'concurrency: 1').replace('timeoutMs: 10000', 'timeoutMs: 36000000'),
        'videos/a.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: The first of three in line.\n',
        'videos/b.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: The second of three in line.\n',
        'videos/c.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: The third of three in line.\n',
      });
      dirs.push(dir);
      const slowEnv = { ...env, HEYGEN_API_BASE_URL: slow.url, HEYGEN_UPLOAD_BASE_URL: slow.url };
      let submitted = 0;
      const emit = (e: BuildEvent): void => {
        // The 'submitted' event follows the save of the answer: every status poll after the third sees no intent unsent.
        if (e.type === 'submitted' && ++submitted === 3) lastSubmittedAt = unsentSeen.length;
      };
      const r = await build({ cwd: dir, env: slowEnv, emit });
      expect(r.counts).toMatchObject({ done: 3, rendered: 3, failed: 0 });
      // While a clip rendered, the next one's intent was already on disk; with one slot, one at most.
      expect(releasedWith).toEqual([1, 1, 0]);
      expect(Math.max(...unsentSeen)).toBe(1);
      const afterLast = unsentSeen.slice(lastSubmittedAt);
      expect(afterLast.length).toBeGreaterThan(0);
      expect(Math.max(...afterLast)).toBe(0);
      const jobs = slow.jobs().filter((j) => j.kind === 'video');
      expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(3);
      expect(jobs).toHaveLength(3);
    } finally {
      await slow.stop();
      clock.mockRestore();
    }
  });

  it('stopped while a prepared clip waits for its slot: its unsent intent is taken back, and the rebuild pays each clip once', async () => {
    const slow = await startEmulator({ apiKey: KEY, renderMs: 400 });
    try {
      const dir = tempProject({
        'heygen.config.mjs': CONFIG.replace('concurrency: 4', 'concurrency: 1'),
        'videos/a.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Stopped first, in flight.\n',
        'videos/b.yaml': 'avatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Stopped second, waiting.\n',
      });
      dirs.push(dir);
      const slowEnv = { ...env, HEYGEN_API_BASE_URL: slow.url, HEYGEN_UPLOAD_BASE_URL: slow.url };
      const ctl = new AbortController();
      const emit = (e: BuildEvent): void => {
        if (e.type === 'submitted') ctl.abort();
      };
      const r = await build({ cwd: dir, env: slowEnv, signal: ctl.signal, emit });
      expect(r.interrupted).toBe(true);
      const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
      const clips = Object.values(lock.clips ?? {});
      // The clip in flight is recorded with its id; the one that waited has no intent left behind.
      expect(clips.map((c) => c.status)).toEqual(['submitted']);
      const again = await build({ cwd: dir, env: slowEnv });
      expect(again.counts).toMatchObject({ done: 2, failed: 0 });
      const jobs = slow.jobs().filter((j) => j.kind === 'video');
      expect(jobs).toHaveLength(2);
      expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(2);
    } finally {
      await slow.stop();
    }
  });

  it('refuses a HeyGen build without a key, naming the fix', async () => {
    const dir = project();
    await expect(build({ cwd: dir, env: {}, provider: 'heygen' })).rejects.toMatchObject({ code: 'E_NO_API_KEY' });
    await expect(build({ cwd: dir, env: { CI: 'true' } })).rejects.toMatchObject({ code: 'E_CI_NO_API_KEY' });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
