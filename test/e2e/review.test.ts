/**
 * Translations reviewed in git (`review: true | approved`) through HeyGen v3 proofreads: the real CLI
 * against the emulator over HTTP. One emulator for the whole file.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { BIN, cleanEnv, projectFactory, runCli } from '../helpers/cli.js';

const KEY = 'test-key-review-3c7';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 100, translateMs: 150 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 10, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`);

/** A dub of `videos/tour.mp4` into Spanish (reviewed as `es`) and French (not reviewed). */
const dub = (review: string, extra = ''): string => `source: tour.mp4
output: ../out/tour.mp4
translations:
  - language: es
    review: ${review}
${extra}  - fr
`;

function makeSource(file: string, seconds: number, hz: number): void {
  execFileSync(ffmpegInstaller.path, [
    '-v', 'error', '-f', 'lavfi', '-i', `color=c=0x223344:s=320x180:r=12:d=${seconds}`, '-f', 'lavfi', '-i', `sine=f=${hz}:d=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', file,
  ]);
}

type Req = { method: string; path: string; body?: Record<string, unknown> };
const sent = (from: number): Req[] => (emu.requests as unknown as Req[]).slice(from);
const count = (reqs: Req[], method: string, path: RegExp): number => reqs.filter((r) => r.method === method && path.test(r.path)).length;
const PROOFREAD = /^\/v3\/video-translations\/proofreads$/;
const GENERATE = /^\/v3\/video-translations\/proofreads\/[^/]+\/generate$/;
const PUT_SRT = /^\/v3\/video-translations\/proofreads\/[^/]+\/srt$/;
const TRANSLATE = /^\/v3\/video-translations$/;

/**
 * Each project's source sounds its own tone: the tests share one emulator, and two sources alike would give
 * their proofreads one Idempotency-Key, a later test's POST then replaying an earlier test's session (a random
 * tone of 400 collided now and then: a set fault then went unused, and fell on the next test).
 */
let sources = 0;
function dubProject(review: string): string {
  const dir = project({ 'videos/tour.yaml': dub(review) });
  makeSource(join(dir, 'videos', 'tour.mp4'), 2, 440 + 20 * ++sources);
  return dir;
}

describe('reviewed translations', () => {
  it('review: true writes the SRT, pays for no render, exits 0 and waits; approved renders it once', async () => {
    const dir = dubProject('true');
    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    const items = (JSON.parse(plan.stdout) as { items: { id: string; review?: string; estimate: { credits: number } }[] }).items;
    const es = items.find((i) => i.id === 'tour@es')!;
    // A proofread is priced at 0.00833 cr/s (2 s), not as a translation (0.05 cr/s).
    expect(es).toMatchObject({ review: 'proofread', estimate: { credits: 0.02 } });

    let n = emu.requests.length;
    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.type === 'awaiting-review')).toMatchObject({ id: 'tour@es', language: 'es', file: 'translations/tour.es.srt' });
    const srt = readFileSync(join(dir, 'translations', 'tour.es.srt'), 'utf8');
    expect(srt).toMatch(/^1\n00:00:00,000 --> /);
    expect(srt).toContain('[Spanish (Spain)]');
    // One proofread, no Spanish render: the only translation POST is French's.
    expect(count(sent(n), 'POST', PROOFREAD)).toBe(1);
    expect(count(sent(n), 'POST', GENERATE)).toBe(0);
    expect(sent(n).filter((q) => q.method === 'POST' && TRANSLATE.test(q.path)).map((q) => q.body!.output_languages)).toEqual([['French (France)']]);
    expect(existsSync(join(dir, 'out', 'tour.es.mp4'))).toBe(false);
    expect(emu.jobs().filter((j) => j.kind === 'translation' && j.outputLanguage === 'Spanish (Spain)')).toHaveLength(0);

    const human = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/tour@es .*awaiting review/);
    expect(human.stdout).toContain('edit translations/tour.es.srt, then set review: approved');

    // A human build says which file to edit.
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code).toBe(0);

    writeFileSync(join(dir, 'videos', 'tour.yaml'), dub('approved'));
    n = emu.requests.length;
    const approved = await runCli(['build'], { cwd: dir, env });
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    expect(count(sent(n), 'PUT', PUT_SRT)).toBe(1);
    expect(count(sent(n), 'POST', GENERATE)).toBe(1);
    expect(count(sent(n), 'POST', PROOFREAD)).toBe(0);
    expect(count(sent(n), 'POST', TRANSLATE)).toBe(0);
    expect(existsSync(join(dir, 'out', 'tour.es.mp4'))).toBe(true);
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env })).code).toBe(0);
  });

  it('build --detach leaves an approved language rendering at HeyGen, recorded; status lists it; the next build collects it unpaid', async () => {
    const dir = dubProject('true');
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, 'videos', 'tour.yaml'), dub('approved'));
    emu.timing.translateMs = 6000;
    try {
      let n = emu.requests.length;
      const started = Date.now();
      const r = await runCli(['build', '--detach', '--json'], { cwd: dir, env });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      // Gone before the render could end: it was submitted, not waited for.
      expect(Date.now() - started).toBeLessThan(6000);
      expect(count(sent(n), 'POST', GENERATE)).toBe(1);
      // A render it has just sent cannot be done: HeyGen is not asked about it.
      expect(count(sent(n), 'GET', /^\/v3\/video-translations\/(?!proofreads)[^/]+$/)).toBe(0);
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.filter((e) => e.type === 'detached')).toMatchObject([{ id: 'tour@es', kind: 'translation', remoteId: expect.any(String) }]);
      expect(events.find((e) => e.type === 'done')).toMatchObject({ ok: true, counts: { detached: 1, failed: 0 } });
      const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
      expect(lock.videos.tour!.translations.es).toMatchObject({ status: 'submitted', remoteId: expect.any(String) });
      expect(existsSync(join(dir, 'out', 'tour.es.mp4'))).toBe(false);

      const s = await runCli(['status', '--json'], { cwd: dir, env });
      expect(JSON.parse(s.stdout)).toMatchObject({ jobs: [{ id: 'tour@es', kind: 'translation', local: 'submitted' }] });

      n = emu.requests.length;
      const collect = await runCli(['build'], { cwd: dir, env });
      expect(collect.code, collect.stderr + collect.stdout).toBe(0);
      expect(sent(n).filter((q) => q.method === 'POST')).toEqual([]);
      expect(existsSync(join(dir, 'out', 'tour.es.mp4'))).toBe(true);
    } finally {
      emu.timing.translateMs = 150;
    }
  });

  it('editing one line of an approved SRT re-renders that language only, through a proofread seeded with the file', async () => {
    const dir = dubProject('true');
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, 'videos', 'tour.yaml'), dub('approved'));
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);

    const file = join(dir, 'translations', 'tour.es.srt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Welcome to the tour.', 'Bienvenidos a la visita.'));
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toContain('translations/tour.es.srt changed');
    expect(plan.stdout).not.toMatch(/tour@fr/);

    const n = emu.requests.length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const created = sent(n).filter((q) => q.method === 'POST' && PROOFREAD.test(q.path));
    expect(created).toHaveLength(1);
    expect(created[0]!.body!.srt).toMatchObject({ type: 'asset_id' });
    expect(count(sent(n), 'POST', GENERATE)).toBe(1);
    expect(count(sent(n), 'POST', TRANSLATE)).toBe(0);
  });

  it('approving after the reviewed session expired seeds a new proofread with the file', async () => {
    const dir = dubProject('true');
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, 'videos', 'tour.yaml'), dub('approved'));
    emu.faults.expireProofread = { count: 1 };
    const n = emu.requests.length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('a new one is seeded with translations/tour.es.srt');
    const created = sent(n).filter((q) => q.method === 'POST' && PROOFREAD.test(q.path));
    expect(created.map((q) => (q.body!.srt as { type: string }).type)).toEqual(['asset_id']);
    expect(count(sent(n), 'POST', GENERATE)).toBe(1);
    expect(existsSync(join(dir, 'out', 'tour.es.mp4'))).toBe(true);
  });

  it('a build killed after its proofread POST never creates a second proofread', async () => {
    const dir = dubProject('true');
    const sessions = (): number => emu.jobs().filter((j) => j.kind === 'proofread').length;
    const before = sessions();
    emu.faults.slow = { count: 1, ms: 3000, paths: PROOFREAD };
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    const lockFile = join(dir, 'heygen.lock.yaml');
    const deadline = Date.now() + 20_000;
    // The intent is journaled and the POST in flight (held 3 s by the emulator, which then creates the
    // session whether or not the client is still there to read the answer).
    for (;;) {
      const lock = existsSync(lockFile) ? parseLockfile(readFileSync(lockFile, 'utf8'), 'heygen.lock.yaml') : undefined;
      if (lock?.videos.tour?.proofreads?.es?.status === 'pending') break;
      if (Date.now() > deadline) throw new Error('the proofread intent was never journaled');
      await new Promise((res) => setTimeout(res, 10));
    }
    child.kill('SIGKILL');
    await exited;
    delete emu.faults.slow;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(sessions() - before).toBe(1);
    expect(existsSync(join(dir, 'translations', 'tour.es.srt'))).toBe(true);
  });

  it("a failed proofread shows HeyGen's failure_message at the manifest's translation entry", async () => {
    const dir = dubProject('true');
    const message = "Your video's audio is missing or corrupted, please try with another video";
    emu.faults.failProofread = { count: 1, message };
    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    // `- language: es` is line 4, its map starts at column 5: in the message, and as the event's place.
    const failed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string }).find((e) => e.type === 'failed');
    expect(failed).toMatchObject({ code: 'E_PROOFREAD_FAILED', file: 'videos/tour.yaml', line: 4, column: 5, message: `videos/tour.yaml:4:5: translations: es: proofread failed: ${message}` });
    expect(existsSync(join(dir, 'translations', 'tour.es.srt'))).toBe(false);
    // The next build retries with a new proofread (a new attempt, so a new Idempotency-Key).
    const n = emu.requests.length;
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(count(sent(n), 'POST', PROOFREAD)).toBe(1);
  });

  it('a generated video goes through review too, and an offline draft still draws the language', async () => {
    const dir = project({
      'videos/intro.yaml': `avatar: presenter
background: "#0000FF"
scenes:
  - script: Welcome to the tour of these new offices today.
translations:
  - language: de
    review: true
`,
    });
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('edit translations/intro.de.srt, commit it, then set `review: approved`');
    expect(readFileSync(join(dir, 'translations', 'intro.de.srt'), 'utf8')).toContain('[German (Germany)]');
    expect(existsSync(join(dir, 'out', 'intro.de.mp4'))).toBe(false);
    const draft = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {} });
    expect(draft.code, draft.stderr + draft.stdout).toBe(0);
    expect(existsSync(join(dir, 'out', 'intro.de.draft.mp4'))).toBe(true);
  });

  it('sends enable_video_stretching as the create schema names it, and to proofreads as theirs', async () => {
    const dir = project({ 'videos/tour.yaml': dub('true', '    enable_video_stretching: false\n').replace('  - fr\n', '  - language: fr\n    enable_video_stretching: false\n') });
    makeSource(join(dir, 'videos', 'tour.mp4'), 2, 990);
    const n = emu.requests.length;
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const translate = sent(n).find((q) => q.method === 'POST' && TRANSLATE.test(q.path))!;
    expect(translate.body).toMatchObject({ enable_dynamic_duration: false });
    expect(translate.body).not.toHaveProperty('enable_video_stretching');
    const proofread = sent(n).find((q) => q.method === 'POST' && PROOFREAD.test(q.path))!;
    expect(proofread.body).toMatchObject({ enable_video_stretching: false });
    // Changing it re-renders that language: it is sent, so it is in the key.
    writeFileSync(join(dir, 'videos', 'tour.yaml'), readFileSync(join(dir, 'videos', 'tour.yaml'), 'utf8').replace('  - language: fr\n    enable_video_stretching: false', '  - language: fr\n    enable_video_stretching: true'));
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toMatch(/~ update\s+tour@fr/);
    expect(plan.stdout).toContain('translation options changed');
  });
});
