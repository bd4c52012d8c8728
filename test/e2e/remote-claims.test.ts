/**
 * Two machines on one content key, sharing a folder store (which honours conditional writes): the
 * claim stops the second POST, and two builds SIGKILLed mid-way then run again pay for each key once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { BIN, cleanEnv, runCli, tempProject } from '../helpers/cli.js';
import { emulator, posts } from './emulator.js';
import { remoteProject } from './remote-project.js';

const CLIP_KEYS = 3;

function submitted(dir: string): boolean {
  const file = join(dir, 'heygen.lock.yaml');
  if (!existsSync(file)) return false;
  try {
    return Object.values(parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml').clips ?? {}).some((c) => c.remoteId);
  } catch {
    return false;
  }
}

describe('claims (file:// store)', () => {
  it('two machines building the same keys at once: each key is POSTed once, the second machine adopts the job', async () => {
    const { emu, env } = await emulator({ renderMs: 1500 });
    const e = { ...env, TEST_REMOTE_URL: `file://${tempProject({})}` };
    const [a, b] = [remoteProject(), remoteProject()];
    const [ra, rb] = await Promise.all([runCli(['build'], { cwd: a, env: e }), runCli(['build'], { cwd: b, env: e })]);
    expect(ra.code, ra.stdout + ra.stderr).toBe(0);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/), 'no key submitted twice, not even as a replay').toBe(CLIP_KEYS);
    expect(emu.jobs().filter((j) => j.kind === 'video').length).toBe(CLIP_KEYS);
    expect(ra.stdout + rb.stdout).toMatch(/adopting .*'s render|restored|from the remote store/);
  });

  it('two builds SIGKILLed mid-build, then run again: every key is paid for exactly once', async () => {
    const { emu, env } = await emulator({ renderMs: 1500 });
    const e = { ...env, TEST_REMOTE_URL: `file://${tempProject({})}` };
    const dirs = [remoteProject(), remoteProject()];
    const children = dirs.map((cwd) => spawn(process.execPath, [BIN, 'build'], { cwd, env: cleanEnv(e), stdio: 'ignore' }));
    const exited = children.map((c) => new Promise<void>((r) => c.on('exit', () => r())));
    const deadline = Date.now() + 30_000;
    while (!dirs.some(submitted) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(exited);
    expect(emu.jobs().filter((j) => j.kind === 'video').length).toBeLessThanOrEqual(CLIP_KEYS);

    const reruns = await Promise.all(dirs.map((cwd) => runCli(['build'], { cwd, env: e })));
    for (const r of reruns) expect(r.code, r.stdout + r.stderr).toBe(0);
    const jobs = emu.jobs().filter((j) => j.kind === 'video');
    expect(jobs.length, 'one paid render per clip key').toBe(CLIP_KEYS);
    expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(CLIP_KEYS);
    for (const d of dirs) {
      const l = parseLockfile(readFileSync(join(d, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
      expect(Object.values(l.videos).every((v) => v.status === 'completed')).toBe(true);
    }
  });

  it('a whole video (a template), its translation and a proofread, built by two machines at once: each is POSTed once', async () => {
    const { emu, env } = await emulator({ renderMs: 1500, translateMs: 800 });
    const e = { ...env, TEST_REMOTE_URL: `file://${tempProject({})}` };
    const welcome = 'title: Welcome\ntemplate:\n  id: tpl_welcome\n  variables:\n    first_name: Ada\n    company: Acme\n    logo: https://example.com/acme.png\ntranslations:\n  - es\n  - language: fr\n    review: true\n';
    const [a, b] = [remoteProject({ 'videos/intro.yaml': welcome }), remoteProject({ 'videos/intro.yaml': welcome })];
    const [ra, rb] = await Promise.all([runCli(['build', 'videos/intro.yaml'], { cwd: a, env: e }), runCli(['build', 'videos/intro.yaml'], { cwd: b, env: e })]);
    expect(ra.code, ra.stdout + ra.stderr).toBe(0);
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/templates\//), 'the template render is claimed, then adopted').toBe(1);
    expect(posts(emu, /^\/v3\/video-translations$/), 'the translation is claimed, then adopted or restored').toBe(1);
    expect(posts(emu, /proofreads$/), 'the proofread session is claimed, then adopted or restored').toBe(1);
    for (const d of [a, b]) {
      const l = parseLockfile(readFileSync(join(d, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
      expect(l.videos.intro?.status).toBe('completed');
      expect(l.videos.intro?.translations.es?.status).toBe('completed');
      expect(l.videos.intro?.proofreads?.fr?.status).toBe('completed');
    }

    // The review approved on both machines at once: its render (`generate`) is claimed like any paid item.
    const approved = welcome.replace('review: true', 'review: approved');
    for (const d of [a, b]) writeFileSync(join(d, 'videos', 'intro.yaml'), approved);
    const [aa, ab] = await Promise.all([runCli(['build', 'videos/intro.yaml'], { cwd: a, env: e }), runCli(['build', 'videos/intro.yaml'], { cwd: b, env: e })]);
    expect(aa.code, aa.stdout + aa.stderr).toBe(0);
    expect(ab.code, ab.stdout + ab.stderr).toBe(0);
    expect(posts(emu, /proofreads\/[^/]+\/generate$/), 'the approved review is rendered once, not even replayed').toBe(1);
    for (const d of [a, b]) {
      const l = parseLockfile(readFileSync(join(d, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
      expect(l.videos.intro?.translations.fr?.status).toBe('completed');
      expect(existsSync(join(d, 'out', 'intro.fr.mp4'))).toBe(true);
    }
  });

  it('a language claimed by a machine that recorded no id is reported as held, and adopted by the next build once the id is recorded', async () => {
    const { emu, env } = await emulator({ renderMs: 300, translateMs: 300 });
    const storeDir = tempProject({});
    const e = { ...env, TEST_REMOTE_URL: `file://${storeDir}` };
    const welcome = 'title: Welcome\ntemplate:\n  id: tpl_welcome\n  variables:\n    first_name: Ada\n    company: Acme\n    logo: https://example.com/acme.png\ntranslations:\n  - es\n';
    const a = remoteProject({ 'videos/intro.yaml': welcome });
    const planned = JSON.parse((await runCli(['plan', '--json', 'videos/intro.yaml'], { cwd: a, env: e })).stdout) as { items: { id: string; key: string }[] };
    const key = planned.items.find((i) => i.id === 'intro@es')!.key;
    // Another machine claimed the language, then died before HeyGen answered (no id, no heartbeat for an hour).
    const ago = new Date(Date.now() - 3600_000).toISOString();
    const held = { version: 1, key, idempotencyKey: 'idem-of-runner-7', attempt: 1, job: 'runner-7:4242', host: 'runner-7', pid: 4242, at: ago, heartbeat: ago };
    mkdirSync(join(storeDir, 'claims'), { recursive: true });
    writeFileSync(join(storeDir, 'claims', key), JSON.stringify(held));

    const plan = await runCli(['plan', 'videos/intro.yaml'], { cwd: a, env: e });
    expect(plan.stdout).toMatch(/stale claim by runner-7:4242/);
    expect(plan.stdout + plan.stderr).toMatch(/intro@es: key [0-9a-f]{12} is claimed by runner-7:4242 since .*a build will not send it/);
    const r = await runCli(['build', '--json', 'videos/intro.yaml'], { cwd: a, env: e });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((x) => x.type === 'status' && x.id === 'intro@es' && x.state === 'skipped')).toMatchObject({
      held: { key, job: 'runner-7:4242', since: ago, why: 'group' },
      detail: expect.stringContaining('claimed by runner-7:4242'),
    });
    expect(posts(emu, /^\/v3\/video-translations$/), 'a held language is not sent').toBe(0);

    // The holder comes back and records its HeyGen id (made here by a machine on another store).
    const b = remoteProject({ 'videos/intro.yaml': welcome });
    const rb = await runCli(['build', 'videos/intro.yaml'], { cwd: b, env: { ...e, TEST_REMOTE_URL: `file://${tempProject({})}` } });
    expect(rb.code, rb.stdout + rb.stderr).toBe(0);
    const remoteId = parseLockfile(readFileSync(join(b, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml').videos.intro!.translations.es!.remoteId!;
    writeFileSync(join(storeDir, 'claims', key), JSON.stringify({ ...held, remoteId }));

    const again = await runCli(['build', 'videos/intro.yaml'], { cwd: a, env: e });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toContain(`adopting runner-7:4242's render ${remoteId}`);
    expect(posts(emu, /^\/v3\/video-translations$/), 'only the holder paid for the language').toBe(1);
    const l = parseLockfile(readFileSync(join(a, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(l.videos.intro?.translations.es).toMatchObject({ status: 'completed', remoteId });
  });

  it('stale claims taken over (--take-over-stale): a job HeyGen replays for the holder\'s key is adopted, not counted as ours; a new job is ours', async () => {
    const { emu, env } = await emulator({ renderMs: 300 });
    const storeDir = tempProject({});
    const e = { ...env, TEST_REMOTE_URL: `file://${storeDir}` };
    const a = remoteProject();
    const planned = JSON.parse((await runCli(['plan', '--json'], { cwd: a, env: e })).stdout) as { items: { id: string; scenes?: { key: string }[] }[] };
    const [introClip] = planned.items.find((i) => i.id === 'intro')!.scenes!.map((s) => s.key);
    const [tourClip] = planned.items.find((i) => i.id === 'tour')!.scenes!.map((s) => s.key);
    // Two machines claimed a clip each and died before recording HeyGen's answer (20 minutes ago). The
    // first had sent its POST: HeyGen accepted that job then (the emulator's clock, set back for it).
    const ago = Date.now() - 20 * 60_000;
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 20 * 60_000);
    try {
      const body = { type: 'avatar', avatar_id: 'Daisy-inskirt-20220818', voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', script: 'Sent by the holder before it died.' };
      const res = await fetch(`${emu.url}/v3/videos`, { method: 'POST', headers: { 'x-api-key': env.HEYGEN_API_KEY!, 'content-type': 'application/json', 'Idempotency-Key': 'idem-of-runner-7' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    } finally {
      clock.mockRestore();
    }
    const holderJob = emu.jobs()[0]!.id;
    mkdirSync(join(storeDir, 'claims'), { recursive: true });
    const stale = (key: string, idempotencyKey: string, job: string): string =>
      JSON.stringify({ version: 1, key, idempotencyKey, attempt: 1, job, host: job.split(':')[0], pid: 4242, at: new Date(ago).toISOString(), heartbeat: new Date(ago).toISOString() });
    writeFileSync(join(storeDir, 'claims', introClip!), stale(introClip!, 'idem-of-runner-7', 'runner-7:4242'));
    writeFileSync(join(storeDir, 'claims', tourClip!), stale(tourClip!, 'idem-of-runner-8', 'runner-8:4242'));

    const r = await runCli(['build', '--json', '--take-over-stale'], { cwd: a, env: e });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // intro's one clip is the holder's job, replayed: adopted (runner-7 paid). tour's clips are new jobs: ours.
    expect(events.filter((x) => x.type === 'adopted')).toEqual([expect.objectContaining({ id: 'intro#1', remoteId: holderJob, job: 'runner-7:4242' })]);
    expect(emu.jobs().filter((j) => j.kind === 'video')).toHaveLength(3);
    expect(events.find((x) => x.type === 'done')).toMatchObject({ counts: { rendered: 1, adopted: 1 } });
    const l = parseLockfile(readFileSync(join(a, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(l.clips![introClip!]).toMatchObject({ status: 'completed', remoteId: holderJob });
  });
});
