/**
 * Dubbing a video you already have (`source:` + `translations`): the real CLI against the emulator.
 * The source is uploaded once by content; each language is keyed by the source's digest, the language
 * and its options. A local source HeyGen would not take (a QuickTime .mov, an MP4 cut short) is warned of by
 * `plan` and refused by `build` before anything of that dub is sent. With --fail-fast, a dub (and a prompt
 * video) queued behind a failure is not sent, and the next build pays for exactly those. One emulator for
 * the whole file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { spawn } from 'node:child_process';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { BIN, cleanEnv, projectFactory, runCli } from '../helpers/cli.js';
import { expectPlanWarning } from './plan-warning.js';

const KEY = 'test-key-dub-91b';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 100, translateMs: 100 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 10, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  defaults: { dimension: '720p' },
};
`);

const dub = (languages: string): string => `source: webinar.mp4
output: ../out/webinar.mp4
translations:
${languages}`;

const TWO = `  - es
  - language: fr
    mode: precision
    speaker_num: 2
`;

/**
 * A small video of `seconds` at a given tone, so two sources differ in their bytes; in the container its
 * name says (a `.mov` is a QuickTime movie), unless `format` names another.
 */
function makeSource(file: string, seconds: number, hz: number, format?: 'mp4'): void {
  execFileSync(ffmpegInstaller.path, [
    '-v', 'error', '-f', 'lavfi', '-i', `color=c=0x223344:s=320x180:r=12:d=${seconds}`, '-f', 'lavfi', '-i', `sine=f=${hz}:d=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', ...(format ? ['-f', format] : []), '-y', file,
  ]);
}

const translationPosts = (): { body: Record<string, unknown>; headers: Record<string, string> }[] =>
  emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/video-translations') as unknown as { body: Record<string, unknown>; headers: Record<string, string> }[];
const languagesPosted = (from: number): number => translationPosts().slice(from).reduce((n, r) => n + (r.body.output_languages as string[]).length, 0);
const uploads = (): number => emu.requests.filter((r) => r.method === 'POST' && /^\/v3\/assets/.test(r.path)).length;

describe('dubbing a source video', () => {
  it('adds a language for one translation, re-renders every language when the source is replaced, and uploads each source once', async () => {
    const dir = project({ 'videos/webinar.yaml': dub(TWO) });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 4, 440);

    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    const items = (JSON.parse(plan.stdout) as { items: { id: string; estimate: { seconds: number; credits: number } }[] }).items;
    expect(items.map((i) => i.id)).toEqual(['webinar@es', 'webinar@fr']);
    // Probed locally: 4 s at 0.05 cr/s (speed) and 0.1 cr/s (precision).
    expect(items[0]!.estimate).toEqual({ seconds: 4, credits: 0.2 });
    expect(items[1]!.estimate).toEqual({ seconds: 4, credits: 0.4 });

    let n = translationPosts().length;
    const up = uploads();
    const first = await runCli(['build'], { cwd: dir, env });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(languagesPosted(n)).toBe(2);
    expect(uploads() - up).toBe(1);
    const sent = translationPosts().slice(n).map((r) => r.body);
    expect(sent.every((b) => (b.video as { type: string }).type === 'asset_id')).toBe(true);
    expect(sent.find((b) => (b.output_languages as string[]).length === 1 && b.mode === 'precision')).toMatchObject({ speaker_num: 2 });
    expect(existsSync(join(dir, 'out', 'webinar.es.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'webinar.fr.mp4'))).toBe(true);

    // A third language: one translation paid, the source not uploaded again.
    writeFileSync(join(dir, 'videos', 'webinar.yaml'), dub(`${TWO}  - de\n`));
    n = translationPosts().length;
    const third = await runCli(['build'], { cwd: dir, env });
    expect(third.code, third.stderr + third.stdout).toBe(0);
    expect(translationPosts().length - n).toBe(1);
    expect(languagesPosted(n)).toBe(1);
    expect(uploads() - up).toBe(1);

    // A new source: every language again, said so.
    makeSource(join(dir, 'videos', 'webinar.mp4'), 3, 660);
    const replan = await runCli(['plan'], { cwd: dir, env });
    expect(replan.stdout.match(/source changed/g)).toHaveLength(3);
    n = translationPosts().length;
    const replaced = await runCli(['build'], { cwd: dir, env });
    expect(replaced.code, replaced.stderr + replaced.stdout).toBe(0);
    expect(languagesPosted(n)).toBe(3);
    expect(uploads() - up).toBe(2);

    const settled = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(settled.code).toBe(0);
  });

  it("changing one language's options re-renders that language only", async () => {
    const dir = project({ 'videos/webinar.yaml': dub(TWO) });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 550);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    writeFileSync(join(dir, 'videos', 'webinar.yaml'), dub(TWO.replace('speaker_num: 2', 'speaker_num: 3')));
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toContain('translation options changed');
    const n = translationPosts().length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(languagesPosted(n)).toBe(1);
    expect(translationPosts().at(-1)!.body).toMatchObject({ output_languages: ['French (France)'], speaker_num: 3 });
  });

  it('restores a deleted dubbed output without a new translation', async () => {
    const dir = project({ 'videos/webinar.yaml': dub('  - es\n') });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 350);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const out = join(dir, 'out', 'webinar.es.mp4');
    const bytes = readFileSync(out);
    execFileSync('rm', [out]);
    const n = translationPosts().length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(translationPosts().length).toBe(n);
    expect(readFileSync(out).equals(bytes)).toBe(true);
  });

  it('a build killed while its translation POST is in flight pays for each language once after a rerun', async () => {
    const dir = project({ 'videos/webinar.yaml': dub(TWO) });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 770);
    const jobs = (): number => emu.jobs().filter((j) => j.kind === 'translation').length;
    const before = jobs();
    // The POST stays in flight long enough to kill the build after its intent is journaled.
    emu.faults.slow = { count: 1, ms: 3000, paths: /^\/v3\/video-translations$/ };
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: 'ignore' });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    const lockFile = join(dir, 'heygen.lock.yaml');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const lock = existsSync(lockFile) ? parseLockfile(readFileSync(lockFile, 'utf8'), 'heygen.lock.yaml') : undefined;
      const langs = Object.values(lock?.videos.webinar?.translations ?? {});
      // Both intents journaled, one POST still in flight (only one is slowed: the other may have its id already).
      if (langs.length === 2 && langs.some((t) => t.status === 'pending')) break;
      if (Date.now() > deadline) throw new Error('the intent was never journaled');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(jobs() - before).toBe(2);
    expect(existsSync(join(dir, 'out', 'webinar.fr.mp4'))).toBe(true);
  });

  it('uploads a source above 32 MB through a direct upload, once', async () => {
    const dir = project({ 'videos/webinar.yaml': dub('  - es\n') });
    const file = join(dir, 'videos', 'webinar.mp4');
    makeSource(file, 2, 880);
    // Padding after the MP4's boxes: players and ffprobe ignore it, the upload carries every byte.
    appendFileSync(file, Buffer.alloc(33 * 1024 * 1024));
    const n = emu.requests.length;
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const sent = emu.requests.slice(n);
    expect(sent.filter((q) => q.method === 'POST' && q.path === '/v3/assets/direct-uploads')).toHaveLength(1);
    expect(sent.filter((q) => q.method === 'POST' && q.path === '/v3/assets')).toHaveLength(0);
    const posted = sent.find((q) => q.method === 'POST' && q.path === '/v3/video-translations')!.body as { video: { type: string; asset_id: string } };
    expect(emu.assets().find((a) => a.id === posted.video.asset_id)?.sizeBytes).toBeGreaterThan(32 * 1024 * 1024);
  });

  it("a dub's language that fails says why and what to do, in the log and in --json, and HeyGen's own failure names the entry", async () => {
    const dir = project({ 'videos/webinar.yaml': dub('  - es\n  - de\n') });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 1250);
    // A key without translation rights: HeyGen answers the group's POST with 403.
    emu.faults.httpStatus = { count: 1, status: 403, paths: /^\/v3\/video-translations$/ };
    const human = await runCli(['build'], { cwd: dir, env });
    expect(human.code).toBe(1);
    for (const id of ['webinar@es', 'webinar@de']) {
      expect(human.stdout).toMatch(new RegExp(`failed ${id} \\[E_HEYGEN_FORBIDDEN\\] POST /v3/video-translations: not allowed .*\\(hint: .*video translation needs a Scale or Enterprise plan\\)\\)`));
    }
    // Nothing was sent: the next build retries both; HeyGen fails one, in its words, at the manifest.
    emu.faults.failTranslation = { count: 1, message: 'No speech was found in the video' };
    const json = await runCli(['build', '--json'], { cwd: dir, env });
    expect(json.code).toBe(1);
    const failed = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'E_TRANSLATION_FAILED', message: expect.stringMatching(/^videos\/webinar\.yaml: translations: (es|de): No speech was found in the video$/) });
  });

  it('a dub whose every language HeyGen failed is retried as a new attempt, the source not uploaded again, each failure kept until its language is made', async () => {
    const dir = project({ 'videos/webinar.yaml': dub('  - es\n  - de\n') });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 1610);
    const lockOf = () => parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml').videos.webinar!;
    const up = uploads();
    let n = translationPosts().length;
    emu.faults.failTranslation = { count: 2, message: 'No speech was found in the video' };
    const first = await runCli(['build'], { cwd: dir, env });
    expect(first.code).toBe(1);
    expect(first.stdout.match(/\[E_TRANSLATION_FAILED\]/g)).toHaveLength(2);
    expect(languagesPosted(n)).toBe(2);
    // Each language records its failure and no file: nothing reads as made.
    for (const lang of ['es', 'de']) {
      expect(lockOf().translations[lang]).toMatchObject({ status: 'failed', attempt: 1, error: { message: 'No speech was found in the video' } });
      expect(lockOf().translations[lang]!.output).toBeUndefined();
      expect(existsSync(join(dir, 'out', `webinar.${lang}.mp4`))).toBe(false);
    }
    const firstKey = translationPosts().at(-1)!.headers['idempotency-key'];

    // The plan retries both, says why, and prices them.
    const plan = await runCli(['plan', '--json', '--detailed-exitcode'], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(2);
    const items = (JSON.parse(plan.stdout) as { items: { id: string; action: string; reasons: string[]; estimate: { credits: number } }[] }).items;
    expect(items.map((i) => [i.id, i.action])).toEqual([['webinar@de', 'create'], ['webinar@es', 'create']]);
    for (const i of items) {
      expect(i.reasons).toEqual(['previous dub failed: No speech was found in the video; retrying as attempt 2']);
      expect(i.estimate.credits).toBeGreaterThan(0);
    }

    // HeyGen fails one of them again: both are sent under a new Idempotency-Key (the old one would replay
    // the failure), the source is not uploaded again, and the one failed again still says so.
    n = translationPosts().length;
    emu.faults.failTranslation = { count: 1, message: 'The audio could not be dubbed' };
    const second = await runCli(['build'], { cwd: dir, env });
    expect(second.code).toBe(1);
    expect(languagesPosted(n)).toBe(2);
    expect(translationPosts().at(-1)!.headers['idempotency-key']).not.toBe(firstKey);
    expect(uploads() - up).toBe(1);
    const failed = ['es', 'de'].find((lang) => lockOf().translations[lang]!.status === 'failed')!;
    const made = failed === 'es' ? 'de' : 'es';
    expect(lockOf().translations[failed]).toMatchObject({ status: 'failed', attempt: 2, error: { message: 'The audio could not be dubbed' } });
    expect(lockOf().translations[made]).toMatchObject({ status: 'completed', attempt: 2 });
    expect(lockOf().translations[made]!.error).toBeUndefined();

    // The next build pays for the one language still failed, and only that.
    n = translationPosts().length;
    const third = await runCli(['build'], { cwd: dir, env });
    expect(third.code, third.stderr + third.stdout).toBe(0);
    expect(languagesPosted(n)).toBe(1);
    expect((translationPosts().at(-1)!.body.output_languages as string[])).toHaveLength(1);
    expect(lockOf().translations[failed]).toMatchObject({ status: 'completed', attempt: 3 });
    expect((await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env })).code).toBe(0);
  });

  it('drafts each language offline as the source under its banner', async () => {
    const dir = project({ 'videos/webinar.yaml': dub(TWO) });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 440);
    const n = emu.requests.length;
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {} });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(emu.requests.length).toBe(n);
    expect(existsSync(join(dir, 'out', 'webinar.es.draft.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'webinar.fr.draft.mp4'))).toBe(true);
  });
});

describe('a dub source HeyGen would not take', () => {
  const phoneSaid = 'videos/phone.yaml:2:9: source: HeyGen would not take videos/phone.mov: it is a QuickTime (MOV) file, and HeyGen takes only MP4 and WebM video';
  const phoneHint = 're-encode it as MP4 (`ffmpeg -i videos/phone.mov -c:v libx264 -pix_fmt yuv420p -c:a aac videos/phone.mp4`) and point the manifest at the new file';

  /**
   * Three dubs: a phone's QuickTime movie in two languages (HeyGen would not take it; its `source:` is on line
   * 2), an MP4 cut short before its index (ffmpeg writes it last: only a probe finds it), and an MP4 that
   * builds. Tones of their own: the file's shared emulator replays a request it has seen.
   */
  function refusedSourceProject(): string {
    const dir = project({
      'videos/phone.yaml': `# a phone recording\nsource: phone.mov\noutput: ../out/phone.mp4\ntranslations:\n${TWO}`,
      'videos/cut.yaml': 'source: cut.mp4\noutput: ../out/cut.mp4\ntranslations: [es]\n',
      'videos/webinar.yaml': dub('  - es\n'),
    });
    makeSource(join(dir, 'videos', 'phone.mov'), 2, 1410);
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 1330);
    const cut = join(dir, 'videos', 'cut.mp4');
    makeSource(cut, 2, 1490);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    return dir;
  }

  it('plan warns of a QuickTime .mov at its source: line with the re-encode hint, in --json too, and still prices its languages', async () => {
    const dir = refusedSourceProject();
    // The cut-short MP4 is one by its bytes: plan does not probe it for this (the build does). Re-encoded in
    // place (an MP4 under the old name): no warning.
    await expectPlanWarning(dir, env, { said: phoneSaid, hint: phoneHint, planned: /^\+ create +phone@fr +~2s +[\d.]+ cr$/m, fix: () => makeSource(join(dir, 'videos', 'phone.mov'), 2, 1410, 'mp4') });
  });

  it('build refuses it (and a cut-short MP4) before anything of that dub is sent, at its source: line, and builds the MP4 dub', async () => {
    const dir = refusedSourceProject();
    const digest = (name: string): string => createHash('sha256').update(readFileSync(join(dir, 'videos', name))).digest('hex');
    const n = emu.requests.length;
    const r = await runCli(['build', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string; code?: string; message?: string });
    const failed = events.filter((e) => e.type === 'failed').sort((a, b) => a.id!.localeCompare(b.id!));
    expect(failed.map((e) => [e.id, e.code])).toEqual([['cut@es', 'E_COMPOSE_ASSET'], ['phone@es', 'E_COMPOSE_ASSET'], ['phone@fr', 'E_COMPOSE_ASSET']]);
    expect(failed[0]!.message).toMatch(/^videos\/cut\.yaml:1:9: source: cannot read the video videos\/cut\.mp4: ffmpeg cannot read its length.*\(hint: re-export videos\/cut\.mp4 as MP4 or WebM/s);
    for (const e of failed.slice(1)) expect(e.message).toBe(`${phoneSaid} (hint: ${phoneHint})`);

    // One upload (the MP4's) and one translation POST, from it: nothing of the phone's or the cut dub's.
    const sent = emu.requests.slice(n).filter((q) => q.method === 'POST');
    expect(sent.filter((q) => q.path.startsWith('/v3/assets'))).toHaveLength(1);
    const posted = sent.filter((q) => q.path === '/v3/video-translations');
    expect(posted).toHaveLength(1);
    const assetId = (posted[0]!.body as { video: { asset_id: string } }).video.asset_id;
    expect(emu.assets().find((a) => a.id === assetId)?.sha256).toBe(digest('webinar.mp4'));
    expect(emu.assets().filter((a) => a.sha256 === digest('phone.mov') || a.sha256 === digest('cut.mp4'))).toEqual([]);
    expect(existsSync(join(dir, 'out', 'webinar.es.mp4'))).toBe(true);
    // No intent was journaled for the refused languages: the next build pays for each once, when fixed.
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(lock.videos.phone?.translations ?? {}).toEqual({});
    expect(lock.videos.cut?.translations ?? {}).toEqual({});
  });
});

describe('--fail-fast with prompt videos and dubs', () => {
  /**
   * An avatar video first in line (its id sorts first). Each test's says something else: the same content
   * would have the same Idempotency-Key, and the emulator (as HeyGen) would replay the earlier test's job.
   */
  const talk = (what: string): string => `avatar: Daisy-inskirt-20220818\nvoice: 2d5b0e6cf36f460aa7fc47e3eee4ba54\nscenes:\n  - script: A short talk about ${what}.\n`;
  const AGENT = 'prompt: A ten-second hello from our team, friendly and short.\n';
  const count = (path: RegExp, from: number): number => emu.requests.slice(from).filter((r) => r.method === 'POST' && path.test(r.path)).length;
  const lockOf = (dir: string) => parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');

  it('a failed render stops the prompt video and the dub behind it; the next build pays for exactly those', async () => {
    const dir = project({ 'videos/a-talk.yaml': talk('failing first'), 'videos/b-agent.yaml': AGENT, 'videos/c-dub.yaml': dub(TWO).replace('../out/webinar.mp4', '../out/c-dub.mp4') });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 990);
    const from = emu.requests.length;
    emu.faults.failRender = { count: 1, code: 'avatar_not_found', message: 'Avatar not found' };
    const r = await runCli(['build', '--fail-fast', '--concurrency', '1'], { cwd: dir, env });
    delete emu.faults.failRender;
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(count(/^\/v3\/videos$/, from)).toBe(1);
    expect(count(/^\/v3\/video-agents$/, from)).toBe(0);
    expect(count(/^\/v3\/video-translations$/, from)).toBe(0);
    expect(r.stdout).toMatch(/b-agent.*skipped/);
    expect(r.stdout).toMatch(/c-dub@es.*skipped/);
    // No intent was recorded for what was never sent.
    const lock = lockOf(dir);
    expect(lock.videos['b-agent']).toBeUndefined();
    expect(lock.videos['c-dub']?.translations ?? {}).toEqual({});

    const next = emu.requests.length;
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    // The failed render again (failures are not charged), the session and the two languages never sent.
    expect(count(/^\/v3\/videos$/, next)).toBe(1);
    expect(count(/^\/v3\/video-agents$/, next)).toBe(1);
    expect(languagesPosted(translationPosts().length - count(/^\/v3\/video-translations$/, next))).toBe(2);
  });

  it('a failure while a dub uploads its source keeps the dub from being sent', async () => {
    const dir = project({ 'videos/a-talk.yaml': talk('downloads that fail'), 'videos/c-dub.yaml': dub(TWO).replace('../out/webinar.mp4', '../out/c-dub.mp4') });
    makeSource(join(dir, 'videos', 'webinar.mp4'), 2, 1100);
    const from = emu.requests.length;
    // The talk renders, frees the only slot for the dub, then its download fails (every URL expired)
    // while the dub's source is still uploading.
    emu.faults.expireUrls = 10;
    emu.faults.slow = { count: 1, ms: 2500, paths: /^\/v3\/assets$/ };
    const r = await runCli(['build', '--fail-fast', '--concurrency', '1'], { cwd: dir, env });
    delete emu.faults.expireUrls;
    delete emu.faults.slow;
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toContain('E_DOWNLOAD_EXPIRED');
    expect(count(/^\/v3\/assets$/, from)).toBe(1);
    expect(count(/^\/v3\/video-translations$/, from)).toBe(0);
    expect(r.stdout).toMatch(/c-dub@fr.*skipped/);
    expect(lockOf(dir).videos['c-dub']?.translations ?? {}).toEqual({});

    const next = emu.requests.length;
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    // The talk's render is downloaded, not paid again; the dub's two languages go out once, its source not uploaded again.
    expect(count(/^\/v3\/videos$/, next)).toBe(0);
    expect(count(/^\/v3\/assets$/, next)).toBe(0);
    // es and fr differ in mode: one POST each.
    expect(count(/^\/v3\/video-translations$/, next)).toBe(2);
    expect(languagesPosted(translationPosts().length - 2)).toBe(2);
  });
});
