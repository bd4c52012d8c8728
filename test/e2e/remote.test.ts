/**
 * The remote store end to end: the built CLI against the emulator and a real store (a folder, and S3 on
 * s3rver). What one machine rendered, another restores without paying; pushes survive an unreachable store.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { runCli, tempProject } from '../helpers/cli.js';
import { s3Server } from '../helpers/s3-server.js';
import { emulator, posts } from './emulator.js';
import { freshClone, remoteProject } from './remote-project.js';

function lock(dir: string): Lockfile {
  return parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every output the lockfile records is on disk with its digest. */
function expectOutputs(dir: string): void {
  const videos = Object.values(lock(dir).videos);
  expect(videos.length).toBe(2);
  for (const e of videos) {
    expect(e.status).toBe('completed');
    expect(sha(join(dir, e.output!.path))).toBe(e.output!.sha256);
  }
}

describe('remote store: file://', () => {
  it('a fresh clone restores every output from the remote with 0 HeyGen requests; a branch without the lockfile pays nothing', async () => {
    const { emu, env } = await emulator();
    const store = tempProject({});
    const e = { ...env, TEST_REMOTE_URL: `file://${store}` };
    const first = remoteProject();
    const r1 = await runCli(['build'], { cwd: first, env: e });
    expect(r1.code, r1.stdout + r1.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(3);
    const records = readdirSync(join(store, 'records'));
    expect(records.length, 'a record per clip and per video').toBe(5);
    expect(readdirSync(join(store, 'cas', 'sha256')).length).toBeGreaterThanOrEqual(5);
    expect(existsSync(join(first, '.heygen', 'push')) ? readdirSync(join(first, '.heygen', 'push')) : []).toEqual([]);

    emu.reset();
    const clone = freshClone(first);
    const r2 = await runCli(['build'], { cwd: clone, env: e });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(emu.requests, 'restoring talks to the store only').toEqual([]);
    expectOutputs(clone);
    expect(r2.stdout).toMatch(/2 restored/);

    emu.reset();
    const branch = freshClone(first, false);
    const r3 = await runCli(['build'], { cwd: branch, env: e });
    expect(r3.code, r3.stdout + r3.stderr).toBe(0);
    expect(emu.requests.filter((q) => q.method === 'POST'), 'nothing paid: every key has a record').toEqual([]);
    expectOutputs(branch);
    expect(r3.stdout, 'taken from the store: restored, not rendered').toMatch(/0 rendered, 2 restored/);
    expect(sha(join(branch, 'out', 'tour.mp4'))).toBe(sha(join(first, 'out', 'tour.mp4')));
  });
});

describe('remote store: a corrupt blob', () => {
  it('a clone without the lockfile takes each render from HeyGen by its record\'s id, paying nothing; it pays only once HeyGen has it no more', async () => {
    const { emu, env } = await emulator();
    const store = tempProject({});
    const e = { ...env, TEST_REMOTE_URL: `file://${store}` };
    const first = remoteProject();
    expect((await runCli(['build'], { cwd: first, env: e })).code).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(3);
    // Every blob of the store is damaged: no output or clip can come from it.
    const cas = join(store, 'cas', 'sha256');
    for (const f of readdirSync(cas)) writeFileSync(join(cas, f), 'not the bytes this digest names');

    emu.reset();
    const branch = freshClone(first, false);
    const r = await runCli(['build', '--json'], { cwd: branch, env: e });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(posts(emu, /^\/v3\/videos$/), 'no clip paid again: the records name HeyGen\'s renders').toBe(0);
    const ids = Object.values(lock(first).clips ?? {}).map((c) => c.remoteId);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(emu.requests.some((q) => q.method === 'GET' && q.path === `/v3/videos/${id}`), `${id} fetched from HeyGen`).toBe(true);
    expect(r.stdout).toMatch(/fetching HeyGen's render .* instead of paying again/);
    // Paid for by the first build: adopted, not counted as this build's renders.
    const done = JSON.parse(r.stdout.trim().split('\n').pop()!) as { type: string; counts: { rendered: number; adopted: number } };
    expect(done, JSON.stringify(done)).toMatchObject({ type: 'done', counts: { rendered: 0 } });
    expect(done.counts.adopted).toBeGreaterThan(0);
    expect(new Set(Object.values(lock(branch).clips ?? {}).map((c) => c.remoteId))).toEqual(new Set(ids));
    expectOutputs(branch);
    // The good copies were put back over the damaged blobs: the next machine restores from the store.
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; blob?: string });
    const repaired = events.flatMap((x) => (x.type === 'repaired' ? [x.blob!] : []));
    expect(repaired.length, 'each clip\'s video blob, at least').toBeGreaterThanOrEqual(ids.length);
    for (const blob of repaired) expect(sha(join(store, blob)), `${blob} repaired`).toBe(blob.split('/').pop());

    // Another HeyGen account (a new emulator) has none of those renders, and the store is damaged again:
    // each clip is paid for, once.
    for (const f of readdirSync(cas)) writeFileSync(join(cas, f), 'not the bytes this digest names');
    const other = await emulator();
    const r2 = await runCli(['build', '--json'], { cwd: freshClone(first, false), env: { ...other.env, TEST_REMOTE_URL: `file://${store}` } });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(posts(other.emu, /^\/v3\/videos$/)).toBe(3);
    expect(r2.stdout).toMatch(/HeyGen no longer has its render .* rendering it again/);
  });
});

/** Every kind of paid item, one of each: a whole-video template, a prompt, a translation, a dub, a proofread. */
const KINDS = {
  'videos/welcome.yaml': 'title: Welcome Ada\ntemplate:\n  id: tpl_welcome\n  variables:\n    first_name: Ada\n    company: Acme\n    logo: https://example.com/acme.png\n',
  'videos/pitch.yaml': 'prompt: Pitch our calendar app in 20 seconds.\n',
  'videos/intro.yaml': 'title: Intro\navatar: presenter\nbackground: "#112233"\nscenes:\n  - script: Hello and welcome to our product.\ntranslations: [es]\n',
  'videos/webinar.yaml': 'source: webinar.mp4\noutput: ../out/webinar.mp4\ntranslations:\n  - es\n  - language: fr\n    review: true\n',
};

/** The POSTs HeyGen bills (uploads are free). */
function paid(emu: { requests: readonly { method: string; path: string }[] }): string[] {
  return emu.requests.filter((q) => q.method === 'POST' && !q.path.startsWith('/v3/assets')).map((q) => q.path);
}

describe('remote store: every paid kind', () => {
  it('a template, a prompt, a translation, a dub, a proofread and a v2 video: a second clone without the lockfile pays for none', async () => {
    const { emu, env } = await emulator();
    const e = { ...env, TEST_REMOTE_URL: `file://${tempProject({})}` };
    const first = remoteProject(KINDS);
    execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x223344:s=320x180:r=12:d=2', '-f', 'lavfi', '-i', 'sine=f=440:d=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', join(first, 'videos', 'webinar.mp4')]);
    const r1 = await runCli(['build'], { cwd: first, env: e });
    expect(r1.code, r1.stdout + r1.stderr).toBe(0);
    const kinds = paid(emu);
    for (const path of [/^\/v3\/templates\//, /^\/v3\/video-agents$/, /^\/v3\/video-translations$/, /proofreads$/]) expect(kinds.some((k) => path.test(k)), `${path} paid once`).toBe(true);

    emu.reset();
    const branch = freshClone(first, false);
    // plan reads the store once: every paid key is a free restore, not a render.
    const planned = JSON.parse((await runCli(['plan', '--json'], { cwd: branch, env: e })).stdout) as {
      items: { id: string; action: string; reasons: string[] }[];
      totals: { credits: number; seconds: number; actions: Record<string, number> };
    };
    expect(planned.totals.credits).toBe(0);
    const restores = ['intro', 'intro@es', 'pitch', 'tour', 'webinar@es', 'webinar@fr', 'welcome'];
    expect(planned.items.filter((i) => i.reasons[0]?.startsWith('restore from remote')).map((i) => i.id).sort()).toEqual(restores);
    // Shown as restores, not as new renders: no new video, nothing to create.
    expect(planned.items.filter((i) => i.action === 'restore').map((i) => i.id).sort()).toEqual(restores);
    expect(planned.totals).toMatchObject({ seconds: 0, actions: { create: 0, update: 0, restore: restores.length } });
    const r2 = await runCli(['build', '--json'], { cwd: branch, env: e });
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(paid(emu), 'every key has a record: nothing paid').toEqual([]);
    const done = r2.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; counts?: Record<string, number> }).find((x) => x.type === 'done');
    expect(done?.counts).toMatchObject({ rendered: 0, adopted: 0 });
    const l1 = lock(first);
    const l2 = lock(branch);
    for (const [id, v] of Object.entries(l1.videos)) {
      if (v.output) expect(l2.videos[id]?.output?.sha256, id).toBe(v.output.sha256);
      for (const [lang, t] of Object.entries(v.translations)) expect(l2.videos[id]?.translations[lang]?.output?.sha256, `${id}@${lang}`).toBe(t.output!.sha256);
      for (const [lang, p] of Object.entries(v.proofreads ?? {})) expect(l2.videos[id]?.proofreads?.[lang]?.remoteId, `${id}@${lang} proofread`).toBe(p.remoteId);
    }
    for (const f of ['out/webinar.es.mp4', 'translations/webinar.fr.srt']) expect(sha(join(branch, f)), f).toBe(sha(join(first, f)));

    // A fresh clone with the lockfile restores every output from the store, translations and dubs
    // included: HeyGen hears only the template's free definition read (the key needs its digest).
    emu.reset();
    const clone = freshClone(first);
    const r5 = await runCli(['build'], { cwd: clone, env: e });
    expect(r5.code, r5.stdout + r5.stderr).toBe(0);
    expect(emu.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v3/templates/tpl_welcome']);
    for (const f of ['out/intro.es.mp4', 'out/webinar.es.mp4']) expect(sha(join(clone, f)), f).toBe(sha(join(first, f)));
    expect(readFileSync(join(clone, 'heygen.lock.yaml'), 'utf8'), 'the lockfile as the render left it').toBe(readFileSync(join(first, 'heygen.lock.yaml'), 'utf8'));

    // The legacy v2 API renders whole videos: the same path, the same record.
    emu.reset();
    const v2 = { ...e, TEST_HEYGEN_API: 'v2' };
    const legacy = remoteProject({ 'videos/intro.yaml': 'title: Legacy\navatar: presenter\nbackground: "#445566"\nscenes:\n  - script: An old API, a new store.\n' });
    const r3 = await runCli(['build', 'videos/intro.yaml'], { cwd: legacy, env: v2 });
    expect(r3.code, r3.stdout + r3.stderr).toBe(0);
    expect(paid(emu).length).toBe(1);
    emu.reset();
    const r4 = await runCli(['build', 'videos/intro.yaml'], { cwd: freshClone(legacy, false), env: v2 });
    expect(r4.code, r4.stdout + r4.stderr).toBe(0);
    expect(paid(emu)).toEqual([]);
  });
});

describe('remote store: s3:// (s3rver on loopback)', () => {
  it('push, pull and status --remote; a store lost mid-build leaves pushes pending, and push sends them later', async () => {
    const { emu, env } = await emulator({ renderMs: 800 });
    let s3 = await s3Server();
    const e = (): Record<string, string> => ({ ...env, ...s3.env, TEST_REMOTE_URL: `s3://${s3.bucket}/team`, TEST_REMOTE_ENDPOINT: s3.endpoint });
    const dir = remoteProject();
    // The store goes away while the clips render: lookups happened, pushes cannot. It is lost at once,
    // its open connections cut (test/helpers/s3-server.ts): a keep-alive connection the build was using
    // used to stay served until idle, so pushes got through and nothing was pending (flaky under load).
    const build = runCli(['build', '--json'], { cwd: dir, env: e() });
    for (let i = 0; i < 600 && !emu.jobs().some((j) => j.kind === 'video'); i++) await new Promise((r) => setTimeout(r, 25));
    await s3.stop();
    const r1 = await build;
    expect(r1.code, r1.stdout + r1.stderr).toBe(0);
    // A clip is pushed once rendered (800 ms after its POST), after the store is gone: every push waits.
    expect(r1.stdout).toMatch(/5 pushes pending/);
    // s3rver ignores If-None-Match: the build says so at its start, before any render.
    const events = r1.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string });
    const warned = events.findIndex((x) => x.type === 'warning' && /does not honour conditional writes/.test(x.message ?? ''));
    expect(warned, 'a warning that keys are not claimed').toBeGreaterThanOrEqual(0);
    expect(events.slice(0, warned).some((x) => x.type === 'submitted'), 'said before the first submit').toBe(false);
    const pending = readdirSync(join(dir, '.heygen', 'push')).length;
    expect(pending).toBe(5);

    s3 = await s3Server();
    const st0 = await runCli(['status', '--remote', '--json'], { cwd: dir, env: e() });
    const s0 = JSON.parse(st0.stdout) as { totals: Record<string, number> };
    // A new, empty store: everything is local only.
    expect(s0.totals).toMatchObject({ localOnly: 5, both: 0, pendingPushes: pending });

    const p = await runCli(['push', '--json'], { cwd: dir, env: e() });
    expect(p.code, p.stderr).toBe(0);
    const pushed = JSON.parse(p.stdout) as { pushed: number; bytes: number; bytesPerSecond: number };
    expect(pushed.pushed).toBe(5);
    expect(pushed.bytes).toBeGreaterThan(0);
    expect(readdirSync(join(dir, '.heygen', 'push'))).toEqual([]);
    const again = JSON.parse((await runCli(['push', '--json'], { cwd: dir, env: e() })).stdout) as { pushed: number; present: number };
    expect(again).toMatchObject({ pushed: 0, present: 5 });

    const clone = freshClone(dir);
    const st1 = JSON.parse((await runCli(['status', '--remote', '--json'], { cwd: clone, env: e() })).stdout) as { totals: Record<string, number> };
    expect(st1.totals).toMatchObject({ remoteOnly: 5, missing: 0 });
    const human = await runCli(['pull'], { cwd: clone, env: e() });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/pulled \d+ objects, [\d.]+ [kM]?B at [\d.]+ [kM]?B\/s/);
    expectOutputs(clone);
    const pulled = await runCli(['pull', '--json'], { cwd: clone, env: e() });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ store: `s3://${s3.bucket}/team`, pulled: 0, missing: [] });
    const st2 = JSON.parse((await runCli(['status', '--remote', '--json'], { cwd: clone, env: e() })).stdout) as { totals: Record<string, number> };
    expect(st2.totals).toMatchObject({ both: 5 });
  });

  it('expired credentials: the build says so with a coded error and no secret anywhere', async () => {
    const { env } = await emulator();
    const s3 = await s3Server();
    const secret = 'wJalrXUtnFEMI/K7MDENG/EXPIREDSECRET';
    const dir = remoteProject();
    const r = await runCli(['build', '--json'], {
      cwd: dir,
      env: { ...env, ...s3.env, AWS_ACCESS_KEY_ID: 'ASIAEXPIRED00000001', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: 'EXPIREDSESSIONTOKEN', TEST_REMOTE_URL: `s3://${s3.bucket}`, TEST_REMOTE_ENDPOINT: s3.endpoint },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/E_REMOTE_AUTH/);
    expect(r.stdout + r.stderr).toMatch(/refused the credentials/);
    const everything = r.stdout + r.stderr + readdirSync(dir, { recursive: true }).map((f) => {
      const p = join(dir, String(f));
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return '';
      }
    }).join('\n');
    for (const s of [secret, 'ASIAEXPIRED00000001', 'EXPIREDSESSIONTOKEN']) expect(everything).not.toContain(s);
  });
});
