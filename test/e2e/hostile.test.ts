/**
 * What a CI job or a busy checkout does to a build, against the real CLI and one shared emulator:
 * the lockfile replaced under a running build (a `git pull` or `checkout` brings a teammate's renders) or
 * left with merge-conflict markers,
 * an asset saved again while the build uploads it or lays it out, a lockfile naming renders HeyGen does not know.
 * What a user must see: no record of a paid render lost, nothing paid twice.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { serializeLockfile } from '../../src/lockfile/serialize.js';
import type { Lockfile } from '../../src/model/lock.js';
import { BIN, cleanEnv, runCli, tempProject } from '../helpers/cli.js';
import { posts, sharedEmulator } from './emulator.js';
import { CONFIG } from './project.js';

let emu: Emulator;
let env: Record<string, string>;
sharedEmulator({ apiKey: 'test-key-hostile-4e1', renderMs: 200, translateMs: 200 }, (e, v) => ((emu = e), (env = v)));

const video = (script: string): string => `avatar: presenter\nbackground: "#223344"\nscenes:\n  - script: ${script}\n`;

function readLock(dir: string): Lockfile | undefined {
  const file = join(dir, 'heygen.lock.yaml');
  return existsSync(file) ? parseLockfile(readFileSync(file, 'utf8'), 'heygen.lock.yaml') : undefined;
}

/** Every file under `dir` (the lockfile, `.heygen/`, outputs), as text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file, text: readFileSync(file, 'latin1') };
    });
}

/** A 320x180 PNG of one colour written as `<color>.png` in `dir`, and its bytes. */
function pngIn(dir: string, color: string): Buffer {
  const file = join(dir, `${color}.png`);
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=320x180`, '-frames:v', '1', '-y', file]);
  return readFileSync(file);
}

async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('hostile CI (real CLI, one emulator)', () => {
  it('a lockfile pulled in during a build keeps the renders it brings: the build joins them instead of writing over them', async () => {
    const mine = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': video('Hostile pull, video one.') });
    expect((await runCli(['build'], { cwd: mine, env })).code).toBe(0);
    // A teammate's clone renders a video of their own and commits the lockfile.
    const theirs = tempProject({ 'videos/four.yaml': video('Hostile pull, the teammate video four.') }, mine);
    expect((await runCli(['build'], { cwd: theirs, env })).code).toBe(0);
    const four = readLock(theirs)!.videos.four!;
    expect(four.status).toBe('completed');

    // My build renders video three; its POST is slow, and the pull lands while it waits.
    writeFileSync(join(mine, 'videos', 'three.yaml'), video('Hostile pull, my video three.'));
    emu.faults.slow = { count: 1, ms: 2500, paths: /^\/v3\/videos$/ };
    const before = posts(emu, /^\/v3\/videos$/);
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: mine, env: cleanEnv(env), stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    await until('the intent of three journaled', () => Object.values(readLock(mine)?.clips ?? {}).some((c) => c.status === 'pending'));
    cpSync(join(theirs, 'videos', 'four.yaml'), join(mine, 'videos', 'four.yaml'));
    cpSync(join(theirs, 'heygen.lock.yaml'), join(mine, 'heygen.lock.yaml'));
    expect(await exited).toBe(0);

    // The pulled record survived the build's saves: four is not rendered again, and the plan only
    // downloads it (its output is not in this checkout).
    const after = readLock(mine)!;
    expect(after.videos.four).toMatchObject({ key: four.key, status: 'completed' });
    expect(after.videos.three?.status).toBe('completed');
    const plan = JSON.parse((await runCli(['plan', '--json'], { cwd: mine, env })).stdout) as { items: { id: string; action: string }[] };
    expect(plan.items.find((i) => i.id === 'four')?.action).toBe('download');
    expect((await runCli(['build'], { cwd: mine, env })).code).toBe(0);
    // Only three was ever sent from this checkout after the first build.
    expect(posts(emu, /^\/v3\/videos$/) - before).toBe(1);
  });

  it('merge-conflict markers written into the lockfile during a build: the file is left as it is, the build records its renders beside it and sends nothing new, and the build after the resolve pays for none of them again', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/base.yaml': video('Conflict, the committed video.') });
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const lockPath = join(dir, 'heygen.lock.yaml');
    const upstream = readFileSync(lockPath, 'utf8');
    const committedClips = new Set(Object.keys(readLock(dir)!.clips ?? {}));
    for (const n of ['a', 'b', 'c', 'd']) writeFileSync(join(dir, 'videos', `${n}.yaml`), video(`Conflict, video ${n}.`));
    const sent = (): string[] => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos').map((r) => r.headers['idempotency-key']!);
    const before = sent().length;

    // One render at a time, each slow: the markers land while the first is rendering and the others wait.
    emu.timing.renderMs = 1500;
    let out = '';
    let code: number | null;
    try {
      const child = spawn(process.execPath, [BIN, 'build', '--concurrency', '1'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      const newlySent = (): number => {
        try {
          return Object.entries(readLock(dir)?.clips ?? {}).filter(([k, c]) => !committedClips.has(k) && c.remoteId !== undefined).length;
        } catch {
          return 0; // caught mid-rename: look again
        }
      };
      await until('the first render sent and journaled', () => newlySent() > 0);
      // Let a save already under way (the next clip's intent) land first: the markers come mid-render, not mid-write.
      await new Promise((r) => setTimeout(r, 300));
      // `git stash pop` (or a pull) conflicting with the build's own writes.
      const conflicted = `<<<<<<< Updated upstream\n${upstream}=======\n${readFileSync(lockPath, 'utf8')}>>>>>>> Stashed changes\n`;
      writeFileSync(lockPath, conflicted);
      code = await exited;
      expect(readFileSync(lockPath, 'utf8')).toBe(conflicted);
    } finally {
      emu.timing.renderMs = 200;
    }
    expect(code, out).toBe(1);
    expect(out.split('has git merge-conflict markers').length - 1).toBe(1); // warned once
    expect(out).toContain('this build records its state in heygen.lock.unmerged.yaml instead, and submits nothing new');
    expect(out).toContain('`git checkout --theirs -- heygen.lock.yaml`');
    const summary = /Build failed: (\d) rendered, 1 unchanged, (\d) failed/.exec(out);
    expect(summary, out).not.toBeNull();
    const [rendered, notSent] = [Number(summary![1]), Number(summary![2])];
    expect(rendered + notSent).toBe(4);
    expect(notSent).toBeGreaterThan(0);
    expect(out.match(/failed [a-d] \[E_LOCKFILE_CONFLICT\] not sent: /g)).toHaveLength(notSent);
    expect(out).toContain("this build's records are in heygen.lock.unmerged.yaml, not in the lockfile");
    // Every render paid for is recorded, in the journal.
    expect(sent().length - before).toBe(rendered);
    const journal = parseLockfile(readFileSync(join(dir, 'heygen.lock.unmerged.yaml'), 'utf8'), 'heygen.lock.unmerged.yaml');
    expect(Object.values(journal.videos).filter((e) => e.status === 'completed')).toHaveLength(rendered + 1);

    // Resolved by taking upstream's side whole, which knows none of this build's renders.
    writeFileSync(lockPath, upstream);
    const plan = JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as { items: { id: string; action: string }[] };
    expect(plan.items.filter((i) => i.action === 'create')).toHaveLength(notSent);
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`Build complete: ${notSent} rendered, ${rendered + 1} unchanged, 0 failed`));
    // Only the renders never sent were paid now: no key was sent twice, across both builds.
    const keys = sent().slice(before);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    const after = readLock(dir)!;
    for (const id of ['base', 'a', 'b', 'c', 'd']) expect(after.videos[id]?.status, id).toBe('completed');
    expect(existsSync(join(dir, 'heygen.lock.unmerged.yaml'))).toBe(false);
  });

  it('an asset changed while the build runs is not recorded under the digest the plan read: E_ASSET_CHANGED, no render paid', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': 'avatar: presenter\nbackground:\n  image: bg.png\nscenes:\n  - script: Hostile asset swap.\n' });
    const png = (color: string): Buffer => pngIn(dir, color);
    const red = png('red');
    const blue = png('blue');
    writeFileSync(join(dir, 'videos', 'bg.png'), red);
    // The build's first request waits; the editor saves the new picture meanwhile (after the plan read it).
    emu.faults.slow = { count: 1, ms: 2000, paths: /^\/v3\/users\/me$/ };
    const n = emu.requests.length;
    const renders = posts(emu, /^\/v3\/videos$/);
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    await until('the build asks HeyGen', () => emu.requests.slice(n).some((r) => r.path === '/v3/users/me'));
    writeFileSync(join(dir, 'videos', 'bg.png'), blue);
    expect(await exited, out).not.toBe(0);
    expect(out).toMatch(/\[E_ASSET_CHANGED\] videos\/bg\.png changed during the build/);
    expect(posts(emu, /^\/v3\/videos$/)).toBe(renders);
    // Nothing maps the planned (red) bytes to the uploaded (blue) asset.
    expect(Object.keys(readLock(dir)?.assets ?? {})).toEqual([]);

    // The next build plans with the file as it is, and records the asset by the bytes HeyGen has.
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const assets = Object.entries(readLock(dir)!.assets);
    expect(assets).toHaveLength(1);
    const [digest, rec] = assets[0]!;
    expect(emu.assets().find((a) => a.id === rec.remoteId)?.sha256).toBe(digest);
    expect(posts(emu, /^\/v3\/videos$/) - renders).toBe(1);
  });

  it('a background saved again while the clips render is not composed under the planned key: E_ASSET_CHANGED, no output, and the next build composes without paying', async () => {
    // A narrated slide: HeyGen renders the speech, the picture is laid out here, after the clip is back.
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/slide.yaml': 'background: { image: bg.png }\nvoice: narrator\nscenes:\n  - script: Hostile compose swap.\n' });
    const png = (color: string): Buffer => pngIn(dir, color);
    const [red, blue] = [png('red'), png('blue')];
    const bg = join(dir, 'videos', 'bg.png');
    writeFileSync(bg, red);
    // The speech is slow to come back; the checkout lands meanwhile (after the plan hashed the red picture).
    emu.faults.slow = { count: 1, ms: 1500, paths: /^\/v3\/voices\/speech$/ };
    const n = emu.requests.length;
    const speech = (): number => posts(emu, /^\/v3\/voices\/speech$/);
    const paid = speech();
    const child = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    await until('the speech is asked for', () => emu.requests.slice(n).some((r) => r.method === 'POST' && r.path === '/v3/voices/speech'));
    writeFileSync(bg, blue);
    expect(await exited, out).toBe(1);
    expect(out).toMatch(/\[E_ASSET_CHANGED\] videos\/bg\.png changed during the build/);
    expect(existsSync(join(dir, 'out', 'slide.mp4'))).toBe(false);
    const lock = readLock(dir)!;
    expect(lock.videos.slide?.status).not.toBe('completed');
    // The speech was paid for and is kept.
    expect(Object.values(lock.clips ?? {}).map((c) => c.status)).toEqual(['completed']);
    expect(speech() - paid).toBe(1);

    // The file is restored: the same plan, composed from the clip already paid for, and red.
    writeFileSync(bg, red);
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(speech() - paid).toBe(1);
    expect(readLock(dir)!.videos.slide?.status).toBe('completed');
    const pixel = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-i', join(dir, 'out', 'slide.mp4'), '-frames:v', '1', '-vf', 'format=rgb24,crop=1:1:600:40', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    expect([pixel[0]! > 200, pixel[2]! < 60]).toEqual([true, true]);
  });

  it('a HeyGen outage while a paid render is in flight: status polls ride it out (one warning when it starts, one when it ends), the build succeeds', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': video('Hostile outage while rendering.') });
    // Twelve 503s in a row on the status GETs, twice the client's six attempts per request: every poll
    // of the paid render fails for a while (about 2 s at these poll intervals), then HeyGen is back.
    const status = /^\/v3\/videos\/(?!statuses)[^/]+$|^\/v3\/videos\/statuses$/;
    emu.faults.serverError = { count: 12, status: 503, paths: status };
    const n = emu.requests.length;
    const r = await runCli(['build', '--json'], { cwd: dir, env }).finally(() => delete emu.faults.serverError);
    const failedPolls = emu.requests.slice(n).filter((q) => q.method === 'GET' && status.test(q.path) && q.status === 503);
    expect(failedPolls).toHaveLength(12);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string });
    const warnings = events.filter((e) => e.type === 'warning').map((e) => e.message ?? '');
    expect(warnings.filter((m) => /HeyGen status polls failing/.test(m))).toHaveLength(1);
    expect(warnings.filter((m) => /HeyGen answers status polls again/.test(m))).toHaveLength(1);
    expect(readLock(dir)!.videos.one?.status).toBe('completed');
    // Paid once: the failed polls sent nothing again.
    expect(emu.requests.slice(n).filter((q) => q.method === 'POST' && q.path === '/v3/videos')).toHaveLength(1);
  });

  it('build --detach during a HeyGen outage: a job in flight is left with remoteStatus unknown (not failed), and a later build collects it', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': video('Hostile outage, detached.') });
    const renderMs = emu.timing.renderMs;
    emu.timing.renderMs = 3000;
    const first = await runCli(['build', '--detach'], { cwd: dir, env }).finally(() => (emu.timing.renderMs = renderMs));
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // The second detached build asks about it once, and HeyGen answers 503 to every status GET.
    emu.faults.serverError = { count: 1000, status: 503, paths: /^\/v3\/videos\/[^/]+$/ };
    const second = await runCli(['build', '--detach', '--json'], { cwd: dir, env }).finally(() => delete emu.faults.serverError);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const events = second.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string; remoteStatus?: string; counts?: Record<string, number> });
    expect(events.filter((e) => e.type === 'detached').map((e) => e.remoteStatus)).toEqual(['unknown']);
    expect(events.filter((e) => e.type === 'failed')).toEqual([]);
    expect(events.filter((e) => e.type === 'warning' && /HeyGen status polls failing.*left rendering with status unknown/.test(e.message ?? ''))).toHaveLength(1);
    expect(Object.values(readLock(dir)!.clips ?? {}).map((c) => c.status)).toEqual(['submitted']);
    const n = emu.requests.length;
    const third = await runCli(['build'], { cwd: dir, env });
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(readLock(dir)!.videos.one?.status).toBe('completed');
    expect(emu.requests.slice(n).filter((q) => q.method === 'POST' && q.path === '/v3/videos')).toHaveLength(0);
  });

  it('credentials in a HeyGen base URL (userinfo, a query token, a fragment) are refused at start (E_CONFIG, naming the variable or setting) and reach no output, event, lockfile or .heygen file', async () => {
    const SECRETS = ['S3cretPass', 'T0kenSecret'];
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': video('Hostile secret in the base URL.') });
    // A good build first, so that there is a lockfile and a .heygen folder a refused run could write a secret into.
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const emuUrl = new URL(env.HEYGEN_API_BASE_URL!);
    const withUser = `http://alice:S3cretPass@${emuUrl.host}/`;
    const withQuery = `http://${emuUrl.host}/?token=T0kenSecret`;
    const withFragment = `http://${emuUrl.host}/#T0kenSecret`;
    const noScheme = `alice:S3cretPass@${emuUrl.host}/?token=T0kenSecret`;
    const outputs: string[] = [];
    const run = async (args: string[], api: string, upload: string, cwd = dir): Promise<string> => {
      const r = await runCli(args, { cwd, env: { ...env, HEYGEN_API_BASE_URL: api, HEYGEN_UPLOAD_BASE_URL: upload } });
      const out = `${args.join(' ')} -> ${r.code}\n${r.stdout}\n${r.stderr}`;
      outputs.push(out);
      expect(r.code, out).toBe(1);
      return out;
    };
    const sent = emu.requests.length;
    // Before: the query misrouted every request (HeyGen's 404), the user and password were dropped silently.
    expect(await run(['build', '--json'], withQuery, emuUrl.href)).toMatch(/"code":\s*"E_CONFIG"[\s\S]*HEYGEN_API_BASE_URL from the environment must be a plain http\(s\) URL[\s\S]*a query string/);
    expect(await run(['build'], emuUrl.href, withUser)).toMatch(/error \[E_CONFIG\] HEYGEN_UPLOAD_BASE_URL from the environment .*a user:password@ part[\s\S]*hint: change HEYGEN_UPLOAD_BASE_URL where the environment sets it .*: drop the user:password@ part:/);
    expect(await run(['plan'], withUser, withQuery)).toMatch(/error \[E_CONFIG\] HEYGEN_API_BASE_URL .*a user:password@ part/);
    expect(await run(['plan', '--json'], noScheme, noScheme)).toMatch(/"code":\s*"E_CONFIG"[\s\S]*HEYGEN_API_BASE_URL from the environment must be an http\(s\) URL/);
    expect(await run(['status', '--json'], withFragment, withFragment)).toMatch(/E_CONFIG[\s\S]*a fragment/);
    expect(await run(['validate', '--format', 'json'], withQuery, withQuery)).toMatch(/E_CONFIG/);
    // The config's own setting: refused by name (the config file itself holds the secret, so it is not searched).
    const configured = tempProject({ 'heygen.config.mjs': CONFIG.replace('heygen: {', `heygen: { baseUrl: ${JSON.stringify(withQuery)},`) }, dir);
    expect(await run(['build', '--json'], emuUrl.href, emuUrl.href, configured)).toMatch(/heygen\.baseUrl must be a plain http\(s\) URL[\s\S]*a query string/);
    // From the project's .env (the environment has none): the message and hint name that file, not heygen.config.
    const dotenv = tempProject({ '.env': `HEYGEN_UPLOAD_BASE_URL=${withQuery}\n` }, dir);
    const { HEYGEN_UPLOAD_BASE_URL: _upload, ...noUpload } = env;
    const fromFile = await runCli(['plan'], { cwd: dotenv, env: noUpload });
    outputs.push(fromFile.stderr);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain(`error [E_CONFIG] HEYGEN_UPLOAD_BASE_URL from ${join(dotenv, '.env')} must be a plain http(s) URL`);
    expect(fromFile.stderr).toContain(`hint: change HEYGEN_UPLOAD_BASE_URL in ${join(dotenv, '.env')}: drop the query string:`);
    expect(fromFile.stderr).not.toContain('heygen.config');
    // Nothing was sent to HeyGen.
    expect(emu.requests.length).toBe(sent);

    const all = outputs.join('\n');
    const files = [...filesUnder(dir), ...filesUnder(configured).filter((f) => !f.file.endsWith('heygen.config.mjs'))];
    expect(files.some((f) => f.file.endsWith('heygen.lock.yaml'))).toBe(true);
    for (const secret of SECRETS) {
      expect(all).not.toContain(secret);
      for (const { file, text } of files) expect(text, file).not.toContain(secret);
    }
  });

  it('a file named .heygen (not the folder): plan, build and drafts fail at once with E_PATH_NOT_FOUND naming it and the fix, not an internal error', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': video('Hostile dot-heygen file.'), '.heygen': 'not a folder\n' });
    const renders = posts(emu, /^\/v3\/videos$/);
    for (const args of [['plan'], ['plan', '--json'], ['build'], ['build', '--json'], ['build', '--provider', 'local']]) {
      const r = await runCli(args, { cwd: dir, env });
      const out = r.stdout + r.stderr;
      expect(r.code, `${args.join(' ')}: ${out}`).toBe(1);
      expect(out).toContain('E_PATH_NOT_FOUND');
      expect(out).toContain(`${join(dir, '.heygen')} is a file, not a folder`);
      expect(out).toMatch(/remove or rename the file \.heygen/);
      expect(out).not.toMatch(/E_INTERNAL|internal error|EEXIST|ENOTDIR|\n\s+at /);
    }
    expect(posts(emu, /^\/v3\/videos$/)).toBe(renders);
    expect(readFileSync(join(dir, '.heygen'), 'utf8')).toBe('not a folder\n');
    // Renamed away, the same project builds.
    rmSync(join(dir, '.heygen'));
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir, env })).code).toBe(0);
  });

  it('a lockfile naming a render HeyGen does not know (another account, a deleted render) fails with E_HEYGEN_NOT_FOUND within a minute, not \'still rendering\' after 40', async () => {
    // The poll timeout is what bounds the wait here (the default grace is a minute): 3 s.
    const dir = tempProject({ 'heygen.config.mjs': CONFIG.replace('timeoutMs: 60000', 'timeoutMs: 3000'), 'videos/one.yaml': video('Hostile unknown id.') });
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    const lock = readLock(dir)!;
    const [key, clip] = Object.entries(lock.clips ?? {})[0]!;
    const { file: _downloaded, ...rest } = clip;
    (lock.clips ??= {})[key] = { ...rest, status: 'submitted', remoteId: 'deadbeefdeadbeefdeadbeefdeadbeef' };
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(lock));
    rmSync(join(dir, '.heygen', 'clips'), { recursive: true });
    rmSync(join(dir, 'out'), { recursive: true });
    const renders = posts(emu, /^\/v3\/videos$/);
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/\[E_HEYGEN_NOT_FOUND\] HeyGen does not know deadbeefdeadbeefdeadbeefdeadbeef/);
    expect(r.stdout + r.stderr).not.toContain('E_POLL_TIMEOUT');
    expect(posts(emu, /^\/v3\/videos$/)).toBe(renders);
  });
});

