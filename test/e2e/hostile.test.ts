/**
 * What a CI job or a busy checkout does to a build, against the real CLI and one shared emulator:
 * the lockfile replaced under a running build (a `git pull` or `checkout` brings a teammate's renders),
 * an asset saved again while the build uploads it or lays it out, a lockfile naming renders HeyGen does not know.
 * What a user must see: no record of a paid render lost, nothing paid twice.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('an asset changed while the build runs is not recorded under the digest the plan read: E_ASSET_CHANGED, no render paid', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/one.yaml': 'avatar: presenter\nbackground:\n  image: bg.png\nscenes:\n  - script: Hostile asset swap.\n' });
    const png = (color: string): Buffer => {
      const file = join(dir, `${color}.png`);
      execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=320x180`, '-frames:v', '1', '-y', file]);
      return readFileSync(file);
    };
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
    const png = (color: string): Buffer => {
      const file = join(dir, `${color}.png`);
      execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=320x180`, '-frames:v', '1', '-y', file]);
      return readFileSync(file);
    };
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

