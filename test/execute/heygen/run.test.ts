/**
 * runHeygen with a real LockStore on a temp lockfile and a real client against the in-process
 * emulator: the journal discipline (intent on disk before the paid POST), failures as HeyGen reports
 * them, --fail-fast, translation groups, and what the counts call rendered or restored.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/load.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { BuildEvent } from '../../../src/execute/events.js';
import { runHeygen, type HeygenRunResult } from '../../../src/execute/heygen/run.js';
import { statOutputs } from '../../../src/execute/outputs.js';
import { nodeFs, type AtomicFs } from '../../../src/fsx/atomic.js';
import { parseLockfile } from '../../../src/lockfile/parse.js';
import { LockStore } from '../../../src/lockfile/store.js';
import type { Lockfile } from '../../../src/model/lock.js';
import { allOutputs } from '../../../src/model/outputs.js';
import type { Plan } from '../../../src/model/plan.js';
import type { TranslationSpec, VideoSpec } from '../../../src/model/spec.js';
import { plan as planPure, PLAN_ENGINE } from '../../../src/plan/plan.js';
import { heygenClientFromConfig, type HeygenClient } from '../../../src/providers/heygen/index.js';
import { makeSpec } from '../../helpers/specs.js';

const KEY = 'test-key-run-heygen-41c2';
const NAMES = new Map([
  ['es', 'Spanish (Spain)'],
  ['fr-FR', 'French (France)'],
  ['de', 'German (Germany)'],
]);

let emu: Emulator;
const roots: string[] = [];
beforeAll(async () => {
  emu = await startEmulator({ apiKey: KEY, renderMs: 50, translateMs: 50 });
});
afterAll(async () => {
  await emu.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
/** Content differs per test: the shared emulator replays an Idempotency-Key's first answer for 24 h. */
let testNo = 0;
beforeEach(() => {
  testNo++;
  emu.reset();
  for (const k of Object.keys(emu.faults)) delete emu.faults[k as keyof typeof emu.faults];
});

const tr = (language: string, over: Partial<TranslationSpec> = {}): TranslationSpec => ({ language, mode: 'speed', captions: false, audioOnly: false, ...over });
const spec = (id: string, translations: TranslationSpec[] = []): VideoSpec =>
  makeSpec(id, { scenes: [{ input: { type: 'script', text: `Hello from ${id}, test ${testNo}.` } }], translations });

/** A project folder, its lockfile store, and a way to run a plan of its specs as `build` would. */
class Bench {
  readonly root = mkdtempSync(join(tmpdir(), 'hb-run-'));
  /** Every lockfile version written, parsed, in order. */
  readonly writes: Lockfile[] = [];
  readonly events: BuildEvent[] = [];
  /** A lockfile write this says yes to fails as on a full disk (ENOSPC), before any byte is written. */
  failWrite: (next: Lockfile) => boolean = () => false;
  readonly config;
  readonly client: HeygenClient;
  store!: LockStore;

  constructor(
    readonly specs: VideoSpec[],
    concurrency = 4,
    /** A remote store (`file://…`) shared with other benches, as machines share one. */
    remote?: string,
    api: 'v2' | 'v3' = 'v3',
  ) {
    roots.push(this.root);
    const env = { HEYGEN_API_KEY: KEY, HEYGEN_API_BASE_URL: emu.url, HEYGEN_UPLOAD_BASE_URL: emu.url };
    const heygen = { api, concurrency, poll: { minMs: 10, maxMs: 40, timeoutMs: 10_000 } };
    this.config = resolveConfig({ heygen, ...(remote ? { remote: { url: remote } } : {}) }, { root: this.root, env });
    this.client = heygenClientFromConfig(this.config);
  }

  get lockPath(): string {
    return join(this.root, 'heygen.lock.yaml');
  }

  /** The lockfile as on disk now. */
  onDisk(): Lockfile {
    return parseLockfile(readFileSync(this.lockPath, 'utf8'), 'heygen.lock.yaml');
  }

  async open(): Promise<void> {
    const writes = this.writes;
    const fs: AtomicFs = {
      ...nodeFs,
      open: async (path, flags, mode) => {
        const h = await nodeFs.open(path, flags, mode);
        return {
          writeFile: async (data) => {
            const next = parseLockfile(String(data), 'heygen.lock.yaml');
            if (this.failWrite(next)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path });
            writes.push(next);
            await h.writeFile(data);
          },
          sync: () => h.sync(),
          close: () => h.close(),
        };
      },
    };
    this.store = await LockStore.open(this.lockPath, { fs });
  }

  /** `scenes`: each video rendered scene by scene and composed here, as v3 builds plan it. */
  plan(opts: { scenes?: boolean } = {}): Plan {
    const outputs = statOutputs(this.root, this.specs.flatMap(allOutputs));
    return planPure({ engine: PLAN_ENGINE, specs: this.specs, lock: this.store.lock, outputs, ...(opts.scenes ? { scenes: true } : {}) });
  }

  /** `signal`: the build's Ctrl-C. */
  async run(opts: { failFast?: boolean; plan?: Plan; signal?: AbortSignal } = {}): Promise<HeygenRunResult> {
    if (!this.store) await this.open();
    this.events.length = 0;
    return runHeygen({
      config: this.config,
      specs: this.specs,
      plan: opts.plan ?? this.plan(),
      store: this.store,
      client: this.client,
      emit: (e) => this.events.push(e),
      languageNames: NAMES,
      signal: opts.signal ?? new AbortController().signal,
      failFast: opts.failFast ?? false,
    });
  }

  async close(): Promise<void> {
    await this.store?.flush();
    await this.client.close();
  }
}

const header = (path: RegExp): string[] =>
  emu.requests.filter((r) => r.method === 'POST' && path.test(r.path)).map((r) => r.headers['idempotency-key'] ?? '(none)');

describe('runHeygen', () => {
  it('records the intent (pending + Idempotency-Key) on disk before each paid POST, then the id, then the file', async () => {
    const b = new Bench([spec('intro', [tr('es')])]);
    const atPost: { video?: Lockfile; translation?: Lockfile } = {};
    const createVideo = b.client.createVideo.bind(b.client);
    b.client.createVideo = (s, o) => {
      atPost.video = b.onDisk();
      expect(o.idempotencyKey).toBe(atPost.video.videos.intro?.idempotencyKey);
      return createVideo(s, o);
    };
    const createTranslations = b.client.createTranslations.bind(b.client);
    b.client.createTranslations = (url, langs, o) => {
      atPost.translation = b.onDisk();
      expect(o.idempotencyKey).toBe(atPost.translation.videos.intro?.translations.es?.idempotencyKey);
      return createTranslations(url, langs, o);
    };
    const r = await b.run();
    await b.close();
    expect(r.counts).toMatchObject({ done: 2, rendered: 2, restored: 0, failed: 0 });

    expect(atPost.video?.videos.intro).toMatchObject({ status: 'pending', attempt: 1, idempotencyKey: expect.any(String) });
    expect(atPost.video?.videos.intro?.remoteId).toBeUndefined();
    expect(atPost.translation?.videos.intro?.translations.es).toMatchObject({ status: 'pending', language: 'Spanish (Spain)' });
    // What HeyGen received is what the journal promised.
    expect(header(/^\/v3\/videos$/)).toEqual([atPost.video!.videos.intro!.idempotencyKey]);
    expect(header(/^\/v3\/video-translations$/)).toEqual([atPost.translation!.videos.intro!.translations.es!.idempotencyKey]);

    const end = b.onDisk().videos.intro!;
    const job = emu.jobs().find((j) => j.kind === 'video')!;
    expect(end).toMatchObject({ status: 'completed', remoteId: job.id, output: { path: 'out/intro.mp4' } });
    expect(end.translations.es).toMatchObject({ status: 'completed', output: { path: 'out/intro.es.mp4' } });
    // Each step was its own save: pending, submitted, completed, file recorded.
    const states = b.writes.map((w) => w.videos.intro?.status);
    expect(states.indexOf('pending')).toBeLessThan(states.indexOf('submitted'));
    expect(states.indexOf('submitted')).toBeLessThan(states.indexOf('completed'));
  });

  it('a download holds no render slot: with one slot, the next video is submitted while the last file still downloads', async () => {
    const b = new Bench([spec('first'), spec('second')], 1);
    // The first file takes a second to arrive; everything else is quick.
    emu.faults.slow = { count: 1, ms: 1000, paths: /^\/files\// };
    const atSecondPost: { firstOutput?: unknown; firstStatus?: string }[] = [];
    const createVideo = b.client.createVideo.bind(b.client);
    b.client.createVideo = (s, o) => {
      const other = s.id === 'first' ? undefined : b.store.lock.videos.first;
      if (other) atSecondPost.push({ firstOutput: other.output, firstStatus: other.status });
      return createVideo(s, o);
    };
    const r = await b.run();
    await b.close();
    expect(r.counts).toMatchObject({ done: 2, rendered: 2, failed: 0 });
    // The second POST went out once the first render was done, before its file was on disk.
    expect(atSecondPost).toEqual([{ firstOutput: undefined, firstStatus: expect.stringMatching(/^(submitted|completed)$/) }]);
  });

  it('records a failed render with HeyGen\'s reason, skips its translations, and retries it as a new attempt', async () => {
    const b = new Bench([spec('intro', [tr('es')])]);
    emu.faults.failRender = { count: 1, code: 'avatar_unavailable', message: 'The avatar is not available' };
    const r = await b.run();
    expect(r.counts).toMatchObject({ done: 0, rendered: 0, failed: 1, skipped: 1 });
    // Our code, HeyGen's in the message (as a scene clip's): `code` is always one of ERROR_CODES.
    expect(b.events.find((e) => e.type === 'failed')).toMatchObject({ id: 'intro', code: 'E_RENDER_FAILED', message: expect.stringMatching(/^intro: HeyGen failed the video \(avatar_unavailable\): The avatar is not available \(hint: /) });
    const failed = b.onDisk().videos.intro!;
    expect(failed).toMatchObject({ status: 'failed', attempt: 1, error: { message: 'The avatar is not available' } });
    expect(failed.translations).toEqual({});
    expect(header(/^\/v3\/video-translations$/)).toEqual([]);

    const retry = b.plan();
    expect(retry.items.find((i) => i.id === 'intro')?.reasons).toEqual(['previous render failed: The avatar is not available; retrying as attempt 2']);
    emu.reset();
    const again = await b.run({ plan: retry });
    await b.close();
    expect(again.counts).toMatchObject({ done: 2, rendered: 2, failed: 0 });
    // HeyGen replays a key's first answer, the failure included: the retry needs a new key.
    const [newKey] = header(/^\/v3\/videos$/);
    expect(newKey).not.toBe(failed.idempotencyKey);
    expect(b.onDisk().videos.intro).toMatchObject({ status: 'completed', attempt: 2, idempotencyKey: newKey });
    expect(b.onDisk().videos.intro?.error).toBeUndefined();
  });

  it('with --fail-fast, submits nothing new after the first failure and records no intent for it', async () => {
    const specs = (): VideoSpec[] => [spec('a'), spec('b'), spec('c')];
    const fast = new Bench(specs(), 1);
    emu.faults.failRender = { count: 1, code: 'avatar_unavailable', message: 'The avatar is not available' };
    const r = await fast.run({ failFast: true });
    await fast.close();
    expect(r.counts).toMatchObject({ failed: 1, skipped: 2, done: 0 });
    expect(header(/^\/v3\/videos$/)).toHaveLength(1);
    const lock = fast.onDisk();
    expect(Object.values(lock.videos).map((v) => v.status)).toEqual(['failed']);
    expect(fast.events.filter((e) => e.type === 'status' && e.state === 'skipped')).toHaveLength(2);

    // Without it, the others go on.
    emu.reset();
    testNo++;
    const all = new Bench(specs(), 1);
    emu.faults.failRender = { count: 1, code: 'avatar_unavailable', message: 'The avatar is not available' };
    const s = await all.run();
    await all.close();
    expect(s.counts).toMatchObject({ failed: 1, skipped: 0, done: 2, rendered: 2 });
    expect(header(/^\/v3\/videos$/)).toHaveLength(3);
  });

  it("a translation HeyGen fails with a code of its own is E_TRANSLATION_FAILED, HeyGen's code in the message and the lockfile", async () => {
    const b = new Bench([spec('intro', [tr('es')])]);
    emu.faults.failTranslation = { count: 1, message: 'The video is longer than the plan allows' };
    // v3's translation answer documents failure_message alone; one carrying failure_code (or an error
    // object with a code, as bulk statuses do) is read with it (extractFailure): HeyGen's code, not ours.
    const getTranslation = b.client.getTranslation.bind(b.client);
    b.client.getTranslation = async (id, signal, read) => {
      const t = await getTranslation(id, signal, read);
      return t.status === 'failed' && t.error ? { ...t, error: { code: 'video_too_long', message: t.error.message } } : t;
    };
    const r = await b.run();
    await b.close();
    expect(r.counts).toMatchObject({ failed: 1 });
    expect(b.events.find((e) => e.type === 'failed')).toMatchObject({
      id: 'intro@es',
      code: 'E_TRANSLATION_FAILED',
      message: 'videos/intro.yaml: translations: es (video_too_long): The video is longer than the plan allows',
    });
    // The lockfile keeps HeyGen's own failure, code and reason, for plan's retry reason.
    expect(b.onDisk().videos.intro!.translations.es).toMatchObject({ status: 'failed', error: { code: 'video_too_long', message: 'The video is longer than the plan allows' } });
  });

  it('records a failed translation with HeyGen\'s reason and keeps the source video', async () => {
    const b = new Bench([spec('intro', [tr('es')])]);
    emu.faults.failTranslation = { count: 1, message: 'The audio could not be dubbed' };
    const r = await b.run();
    await b.close();
    expect(r.counts).toMatchObject({ done: 1, rendered: 1, failed: 1 });
    // HeyGen's reason, at the manifest's translation entry (as a failed proofread's).
    expect(b.events.find((e) => e.type === 'failed')).toMatchObject({ id: 'intro@es', code: 'E_TRANSLATION_FAILED', message: 'videos/intro.yaml: translations: es: The audio could not be dubbed' });
    const lock = b.onDisk().videos.intro!;
    expect(lock.status).toBe('completed');
    expect(lock.translations.es).toMatchObject({ status: 'failed', error: { message: 'The audio could not be dubbed' } });
    expect(b.plan().items.map((i) => [i.id, i.action])).toEqual([
      ['intro', 'unchanged'],
      ['intro@es', 'create'],
    ]);
  });

  it('a translation refused by HeyGen fails with its code and hint, as a video does', async () => {
    const b = new Bench([spec('intro', [tr('es'), tr('fr-FR')])]);
    emu.faults.httpStatus = { count: 1, status: 403, paths: /^\/v3\/video-translations$/ };
    const r = await b.run();
    await b.close();
    expect(r.counts).toMatchObject({ rendered: 1, failed: 2 });
    const failed = b.events.filter((e) => e.type === 'failed');
    expect(failed.map((e) => e.id).sort()).toEqual(['intro@es', 'intro@fr-FR']);
    for (const e of failed) {
      expect(e).toMatchObject({ code: 'E_HEYGEN_FORBIDDEN', message: expect.stringMatching(/^POST \/v3\/video-translations: not allowed for this key or plan .*\(hint: .*video translation needs a Scale or Enterprise plan\)\)$/) });
    }
  });

  /** Videos `a` (new) and `b` (already rendered) on one job slot; `b` is then given a Spanish translation to make. */
  async function newTranslationBeside(): Promise<Bench> {
    const a = spec('a');
    const b0 = spec('b');
    const bench = new Bench([a, b0], 1);
    await bench.open();
    const plan0 = bench.plan();
    await bench.run({ plan: { ...plan0, items: plan0.items.filter((i) => i.videoId === 'b') } });
    bench.specs.splice(0, 2, a, { ...b0, translations: [tr('es')] });
    emu.reset();
    return bench;
  }

  // A translation group never submitted because --fail-fast tripped (or Ctrl-C came) was counted failed.
  it('with --fail-fast, counts a translation it never submitted as skipped, not failed', async () => {
    const first = await newTranslationBeside();
    emu.faults.failRender = { count: 1, code: 'avatar_unavailable', message: 'The avatar is not available' };
    const p = first.plan();
    expect(p.items.map((i) => [i.id, i.action])).toEqual([
      ['a', 'create'],
      ['b', 'unchanged'],
      ['b@es', 'create'],
    ]);
    const r = await first.run({ plan: p, failFast: true });
    await first.close();
    expect(header(/^\/v3\/video-translations$/)).toEqual([]);
    expect(first.events.filter((e) => e.type === 'status' && e.state === 'skipped').map((e) => (e as { id: string }).id)).toEqual(['b@es']);
    expect(r.counts).toMatchObject({ failed: 1, skipped: 1 });
  });

  it('a translation not sent because the lockfile became conflicted fails with E_LOCKFILE_CONFLICT, as a clip does', async () => {
    const bench = await newTranslationBeside();
    // A `git stash pop` conflicting with the build: found at its first save (a's intent), whose POST follows.
    const text = readFileSync(bench.lockPath, 'utf8');
    writeFileSync(bench.lockPath, `<<<<<<< Updated upstream\n${text}=======\n${text}>>>>>>> Stashed changes\n`);
    const r = await bench.run();
    await bench.close();
    expect(header(/^\/v3\/videos$/)).toHaveLength(1);
    expect(header(/^\/v3\/video-translations$/)).toEqual([]);
    const failed = bench.events.filter((e) => e.type === 'failed');
    expect(failed.map((e) => [e.id, e.code])).toEqual([['b@es', 'E_LOCKFILE_CONFLICT']]);
    expect(r.counts).toMatchObject({ failed: 1, skipped: 0 });
  });

  it('legacy v2: a stop between two languages of a group sends no more of them; those are skipped, left unrecorded, and sent by the next build', async () => {
    const b = new Bench([spec('tour', [tr('es'), tr('fr-FR'), tr('de')])], 4, undefined, 'v2');
    await b.open();
    // Ctrl-C right after HeyGen answered the group's first language (v2 sends one POST per language).
    const ctrlC = new AbortController();
    const create = b.client.createTranslations.bind(b.client);
    b.client.createTranslations = (source, languages, opts) =>
      create(source, languages, {
        ...opts,
        onCreated: async (language, id) => {
          await opts.onCreated?.(language, id);
          ctrlC.abort();
        },
      });
    const r = await b.run({ signal: ctrlC.signal });
    const v2Posts = (): string[] => emu.requests.filter((x) => x.method === 'POST' && x.path === '/v2/video_translate').map((x) => (x.body as { output_language: string }).output_language);
    // The group goes sorted by language: German only.
    expect(v2Posts()).toEqual(['German (Germany)']);
    expect(b.events.filter((e) => e.type === 'failed')).toEqual([]);
    const skipped = b.events.flatMap((e) => (e.type === 'status' && e.state === 'skipped' ? [e.id] : []));
    expect(skipped).toEqual(expect.arrayContaining(['tour@es', 'tour@fr-FR']));
    expect(r.counts.failed).toBe(0);
    // German's id is journaled; the languages never sent leave no intent behind (no "may be billed twice" later).
    const t = b.onDisk().videos.tour!.translations;
    expect(Object.keys(t)).toEqual(['de']);
    expect(t.de).toMatchObject({ status: 'submitted', remoteId: expect.any(String) });

    emu.reset();
    b.client.createTranslations = create;
    const again = await b.run();
    await b.close();
    expect(again.counts).toMatchObject({ failed: 0 });
    expect(v2Posts().sort()).toEqual(['French (France)', 'Spanish (Spain)']);
    expect(b.events.filter((e) => e.type === 'warning')).toEqual([]);
    expect(Object.values(b.onDisk().videos.tour!.translations).map((x) => x.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('a translation reports its real states: submitting, rendering, downloading, done', async () => {
    const b = new Bench([spec('intro', [tr('es')])]);
    await b.run();
    await b.close();
    const states = b.events.flatMap((e) => (e.type === 'status' && e.id === 'intro@es' ? [e.state] : []));
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['submitting', 'rendering', 'downloading', 'done']);
  });

  it('sends languages with the same options in one request and saves their ids in one write', async () => {
    const b = new Bench([spec('tour', [tr('fr-FR'), tr('es'), tr('de', { mode: 'precision' })])]);
    const r = await b.run();
    await b.close();
    expect(r.counts).toMatchObject({ done: 4, rendered: 4, failed: 0 });
    const posts = emu.requests.filter((x) => x.method === 'POST' && x.path === '/v3/video-translations');
    const sent = posts.map((p) => (p.body as { output_languages: string[] }).output_languages);
    expect(sent).toHaveLength(2);
    expect(sent).toContainEqual(['Spanish (Spain)', 'French (France)']);
    expect(sent).toContainEqual(['German (Germany)']);
    // The group's two ids arrive in one answer: no saved lockfile has one without the other.
    const half = b.writes.filter((w) => {
      const t = w.videos.tour?.translations;
      return t?.es && t['fr-FR'] && Boolean(t.es.remoteId) !== Boolean(t['fr-FR'].remoteId);
    });
    expect(half).toEqual([]);
    const t = b.onDisk().videos.tour!.translations;
    expect(t.es?.idempotencyKey).toBe(t['fr-FR']?.idempotencyKey);
    expect(t.de?.idempotencyKey).not.toBe(t.es?.idempotencyKey);
    expect(Object.values(t).map((x) => x.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('counts a download item as restored, not rendered, and sends no paid request for it', async () => {
    const b = new Bench([spec('intro', [tr('es')]), spec('outro')]);
    await b.run();
    rmSync(join(b.root, 'out', 'intro.mp4'));
    rmSync(join(b.root, 'out', 'intro.es.mp4'));
    const p = b.plan();
    expect(p.items.map((i) => [i.id, i.action])).toEqual([
      ['intro', 'download'],
      ['intro@es', 'download'],
      ['outro', 'unchanged'],
    ]);
    emu.reset();
    const r = await b.run({ plan: p });
    await b.close();
    expect(r.counts).toMatchObject({ done: 2, rendered: 0, restored: 2, unchanged: 1 });
    expect(emu.requests.filter((x) => x.method === 'POST')).toEqual([]);
    expect(b.onDisk().videos.intro?.output?.size).toBeGreaterThan(0);
    expect(readFileSync(join(b.root, 'out', 'intro.es.mp4')).length).toBe(b.onDisk().videos.intro?.translations.es?.output?.size);
  });

  it('a composed video fails for its own reason when its failure cannot be saved (the disk still full): the record waits in memory', async () => {
    const b = new Bench([spec('intro')]);
    await b.open();
    emu.faults.failRender = { count: 1, code: 'avatar_unavailable', message: 'The avatar is not available' };
    // A clip's download that failed on a full disk is the real case: another download may refill the
    // space before the failure's record is written. Only that write fails here.
    b.failWrite = (next) => next.videos.intro?.status === 'failed';
    const p = b.plan({ scenes: true });
    expect(p.items[0]?.scenes).toBeDefined();
    const r = await b.run({ plan: p });
    expect(r.counts).toMatchObject({ failed: 1 });
    expect(b.events.find((e) => e.type === 'failed')).toMatchObject({ id: 'intro', code: 'E_RENDER_FAILED', message: expect.stringContaining('The avatar is not available') });
    expect(b.events).toContainEqual({ type: 'warning', message: expect.stringMatching(/^intro: its failure could not be recorded in the lockfile: the disk is full: could not write .*heygen\.lock\.yaml$/) });
    // Kept in memory: the build's next save (here, once the disk has room) writes it.
    b.failWrite = () => false;
    await b.store.update(() => undefined);
    await b.close();
    expect(b.onDisk().videos.intro).toMatchObject({ status: 'failed', error: { code: 'E_RENDER_FAILED' } });
  });

  it('a video whose clip another machine claimed with its HeyGen id: adopted, counted as adopted (not rendered), nothing POSTed', async () => {
    // Machine B renders the clip (on a store of its own); machine A then finds B's claim of the key, with its id.
    const store = (): string => {
      const dir = mkdtempSync(join(tmpdir(), 'hb-store-'));
      roots.push(dir);
      return dir;
    };
    const b = new Bench([spec('intro')], 4, `file://${store()}`);
    await b.open();
    expect((await b.run({ plan: b.plan({ scenes: true }) })).counts).toMatchObject({ rendered: 1, adopted: 0 });
    await b.close();
    const [key, clip] = Object.entries(b.onDisk().clips ?? {})[0]!;
    const storeA = store();
    const since = new Date().toISOString();
    const claim = { version: 1, key, idempotencyKey: clip.idempotencyKey, attempt: 1, job: 'runner-7:4242', host: 'runner-7', pid: 4242, at: since, heartbeat: since, remoteId: clip.remoteId };
    mkdirSync(join(storeA, 'claims'));
    writeFileSync(join(storeA, 'claims', key), JSON.stringify(claim));
    emu.reset();

    const a = new Bench([spec('intro')], 4, `file://${storeA}`);
    await a.open();
    const r = await a.run({ plan: a.plan({ scenes: true }) });
    await a.close();
    expect(header(/^\/v3\/videos$/)).toEqual([]);
    expect(a.events).toContainEqual({ type: 'adopted', id: 'intro#1', remoteId: clip.remoteId, job: 'runner-7:4242', since });
    expect(r.counts).toMatchObject({ done: 1, rendered: 0, adopted: 1 });
    expect(a.onDisk().videos.intro).toMatchObject({ status: 'completed' });
  });
});
