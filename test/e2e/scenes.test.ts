/**
 * Every manifest renders on HeyGen v3, scene by scene: the real CLI against the emulator, clips
 * composited locally, only changed scenes paid for. One emulator for the whole file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import type { Lockfile } from '../../src/model/lock.js';
import { spawn } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { BIN, cleanEnv, REPO, runCli, tempProject } from '../helpers/cli.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

const KEY = 'test-key-scenes-7a1';
const NO_MATTING = 'Stiff-no-matting-2024';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 150, translateMs: 150, noMattingAvatars: [NO_MATTING] }, (e, v) => ((emu = e), (env = v)));

const CONFIG = `export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 10, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' }, stiff: { id: '${NO_MATTING}', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54', upbeat: 'f8c69e517f424cafaecde32dde57096b' },
  defaults: { dimension: '720p' },
};
`;

/** Everything v3 refused as one video: an image behind an avatar, closeUp, an offset, fit contain, silence, audio, narration. */
const TOUR = `title: Tour
avatar: presenter
background: "#0F172A"
caption: true
scenes:
  - script: Welcome to the tour. Let us start.
  - script: This is the dashboard.
    background: { image: assets/bg.png, fit: cover }
  - script: A closer look, from the side.
    avatar: { alias: presenter, style: closeUp, offset: { x: 0.2, y: 0 } }
    background: { image: assets/bg.png, fit: contain }
  - silence: 1.5
  - audio: assets/outro.wav
`;

const NARRATED = `title: Narrated
background: { image: assets/bg.png }
voice: narrator
scenes:
  - script: A slide with a voice over it and no avatar.
`;

const fiveScenes = (third = 'Scene three of five, in the middle.'): string =>
  `avatar: presenter\nbackground: "#112233"\nscenes:\n${['Scene one of five, to begin.', 'Scene two of five, going on.', third, 'Scene four of five, nearly.', 'Scene five of five, the end.'].map((s) => `  - script: ${s}\n`).join('')}`;

function project(files: Record<string, string>): string {
  const dir = tempProject({ 'heygen.config.mjs': CONFIG, ...files });
  const assets = join(dir, 'videos', 'assets');
  mkdirSync(assets, { recursive: true });
  // A green image, so a pixel of it is easy to recognise in a composed frame.
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x00ff00:s=320x180', '-frames:v', '1', join(assets, 'bg.png')]);
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=1', '-ar', '16000', join(assets, 'outro.wav')]);
  return dir;
}

const lock = (dir: string): Lockfile => parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
const videoPosts = (): number => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos').length;

function probe(file: string): { width: number; height: number; duration: number; audio: boolean } {
  const out = execFileSync(ffprobeInstaller.path, ['-v', 'error', '-show_entries', 'stream=codec_type,width,height:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const j = JSON.parse(out) as { streams: { codec_type: string; width?: number; height?: number }[]; format: { duration: string } };
  const video = j.streams.find((s) => s.codec_type === 'video')!;
  return { width: video.width!, height: video.height!, duration: Number(j.format.duration), audio: j.streams.some((s) => s.codec_type === 'audio') };
}

/** The RGB of one pixel of the frame at `t` seconds. */
function pixel(file: string, t: number, x: number, y: number): [number, number, number] {
  const raw = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return [raw[0]!, raw[1]!, raw[2]!];
}

describe('scene by scene on v3', () => {
  it('builds what v3 refused as one video: a real MP4 of the manifest size, as long as its scenes, with sound', async () => {
    const dir = project({ 'videos/tour.yaml': TOUR, 'videos/narrated.yaml': NARRATED });
    emu.reset();
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = probe(join(dir, 'out', 'tour.mp4'));
    expect([out.width, out.height]).toEqual([1280, 720]);
    expect(out.audio).toBe(true);
    // Every scene of tour has the video's avatar: five avatar clips (the silent one lip-syncs to an
    // uploaded silent track, the audio one to the uploaded file); the video lasts what they last.
    const l = lock(dir);
    const clips = Object.values(l.clips ?? {});
    const avatar = clips.filter((c) => c.kind === 'avatar');
    expect(avatar).toHaveLength(5);
    expect(clips.filter((c) => c.kind === 'speech')).toHaveLength(1);
    const tourSeconds = avatar.reduce((s, c) => s + (c.durationSeconds ?? 0), 0);
    expect(Math.abs(out.duration - tourSeconds)).toBeLessThan(0.2);
    // The closeUp scene went as a transparent WebM; the image one was composited by HeyGen.
    const renders = emu.jobs().filter((j) => j.kind === 'video').map((j) => j.render);
    expect(renders.filter((x) => x?.outputFormat === 'webm')).toHaveLength(1);
    expect(renders.filter((x) => x?.background?.type === 'image')).toHaveLength(1);
    // The silent track (1.5 s) and the audio file were uploaded for their scenes.
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path === '/v3/assets').length).toBeGreaterThanOrEqual(3);
    expect(l.videos.tour).toMatchObject({ status: 'completed', composed: true });
    expect(existsSync(join(dir, 'out', 'tour.srt'))).toBe(true);
    const narrated = probe(join(dir, 'out', 'narrated.mp4'));
    expect(narrated.audio).toBe(true);
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path === '/v3/voices/speech')).toHaveLength(1);
  });

  it('shows the background image around a laid-out avatar', async () => {
    const dir = project({ 'videos/side.yaml': `avatar: { alias: presenter, style: circle, scale: 0.5 }\nbackground: { image: assets/bg.png, fit: cover }\nscenes:\n  - script: A small round avatar over a green picture.\n` });
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    const [red, green, blue] = pixel(join(dir, 'out', 'side.mp4'), 0.5, 10, 10);
    expect(green).toBeGreaterThan(180);
    expect(red).toBeLessThan(80);
    expect(blue).toBeLessThan(80);
  });

  it('composes with the picture a URL shows now: a changed one is fetched again, an unchanged one answered 304', async () => {
    // A plain asset host on loopback: a PNG with an ETag, answering If-None-Match with 304.
    const png = (color: string): Buffer =>
      execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${color}:s=320x180`, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-']);
    let picture = { body: png('0x00ff00'), etag: '"green"' };
    const asked: { headers: IncomingHttpHeaders; status: number }[] = [];
    const host = createServer((req, res) => {
      const status = req.headers['if-none-match'] === picture.etag ? 304 : 200;
      asked.push({ headers: req.headers, status });
      res.writeHead(status, { etag: picture.etag, 'content-type': 'image/png', ...(status === 200 ? { 'content-length': picture.body.length } : {}) });
      res.end(status === 200 ? picture.body : undefined);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/bg.png`;
      // A laid-out avatar: the background is composited here from the URL's copy, for both scenes.
      const manifest = (second: string): string =>
        `avatar: { alias: presenter, style: circle, scale: 0.5 }\nbackground: { image: "${url}", fit: cover }\nscenes:\n  - script: A small round avatar over a picture from a URL.\n  - script: ${second}\n`;
      const dir = project({ 'videos/byurl.yaml': manifest('The second scene, first version.') });
      const out = join(dir, 'out', 'byurl.mp4');
      expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
      expect(pixel(out, 0.5, 10, 10)[1]).toBeGreaterThan(180);
      expect(asked).toHaveLength(1); // two scenes, one URL: fetched once

      // The picture at the URL turns red; an edit of scene 2 composes the video again.
      picture = { body: png('0xff0000'), etag: '"red"' };
      writeFileSync(join(dir, 'videos', 'byurl.yaml'), manifest('The second scene, edited once.'));
      const second = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
      expect(second.code).toBe(0);
      const [red, green] = pixel(out, 0.5, 10, 10); // scene 1: its clip reused, its background the URL's new picture
      expect(red).toBeGreaterThan(180);
      expect(green).toBeLessThan(80);
      expect(asked.slice(1)).toMatchObject([{ headers: { 'if-none-match': '"green"' }, status: 200 }]);

      // Unchanged at the URL: the next composition asks once, is answered 304 and uses the copy.
      writeFileSync(join(dir, 'videos', 'byurl.yaml'), manifest('The second scene, edited twice.'));
      const third = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
      expect(third.code).toBe(0);
      expect(third.stderr).not.toContain('could not be checked');
      expect(asked.slice(2)).toMatchObject([{ headers: { 'if-none-match': '"red"' }, status: 304 }]);
      expect(pixel(out, 0.5, 10, 10)[0]).toBeGreaterThan(180);
    } finally {
      await new Promise((resolve) => host.close(resolve));
    }
  });

  it('a corrupt audio file of a scene composed here fails its video with E_COMPOSE_ASSET naming manifest, scene and file, not as a damaged clip', async () => {
    const dir = project({ 'videos/broken.yaml': `background: "#112233"\nscenes:\n  - silence: 1\n  - audio: assets/broken.wav\n` });
    writeFileSync(join(dir, 'videos', 'assets', 'broken.wav'), Buffer.from('RIFF\0\0\0\0WAVEnot really a wave file at all'));
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("[E_COMPOSE_ASSET] videos/broken.yaml, scene 2's audio: cannot read the audio videos/assets/broken.wav");
    expect(r.stdout + r.stderr).toContain('re-export videos/assets/broken.wav as WAV, MP3 or M4A');
  });

  it('pays for one scene when one of five is edited, and for none when they are reordered or the clips and outputs are lost', async () => {
    const dir = project({ 'videos/five.yaml': fiveScenes() });
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    const five = join(dir, 'videos', 'five.yaml');

    writeFileSync(five, fiveScenes('An edited third scene, paid alone.'));
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toMatch(/~ update\s+five[\s\S]*1 of 5 scenes to render, 4 reused/);
    emu.reset();
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    expect(videoPosts()).toBe(1);

    const lines = readFileSync(five, 'utf8').split('\n');
    const scenes = lines.slice(4, 9).reverse();
    writeFileSync(five, [...lines.slice(0, 4), ...scenes, ''].join('\n'));
    emu.reset();
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 })).code).toBe(0);
    expect(videoPosts()).toBe(0);

    rmSync(join(dir, '.heygen', 'clips'), { recursive: true });
    rmSync(join(dir, 'out'), { recursive: true });
    emu.reset();
    const again = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect(emu.requests.filter((q) => q.method === 'POST')).toHaveLength(0);
    expect(again.stdout).toMatch(/1 restored/);
    expect(probe(join(dir, 'out', 'five.mp4')).duration).toBeGreaterThan(5);
  });

  it('leaves the snapshot the next plan without a key prints: byte for byte a full plan, every video unchanged', async () => {
    const dir = project({ 'videos/five.yaml': fiveScenes() });
    const args = ['plan', '--provider', 'heygen'];
    // Says on stderr why a snapshot was not used or kept (the build too): silence is a hit.
    const debug = { HEYGEN_DEBUG_SNAPSHOT: '1' };
    // The first plan read files written a moment ago (not kept: stamp.ts); the second keeps.
    await runCli(args, { cwd: dir, env: debug });
    expect((await runCli(args, { cwd: dir, env: debug })).stderr).not.toContain('not kept');
    const b = await runCli(['build'], { cwd: dir, env: { ...env, ...debug }, timeoutMs: 120_000 });
    expect(b.code).toBe(0);
    expect(b.stderr).not.toContain('snapshot after the build');
    const hit = await runCli(args, { cwd: dir, env: debug });
    expect(hit.stderr).not.toContain('snapshot:');
    expect(hit.stdout).toMatch(/0 to create, 0 to update, 0 to resume, 0 to download, 1 unchanged/);
    const full = await runCli([...args, '--no-snapshot'], { cwd: dir, env: debug });
    expect({ code: hit.code, stdout: hit.stdout, stderr: hit.stderr }).toEqual({ code: full.code, stdout: full.stdout, stderr: full.stderr });
  });

  it('names the scene an avatar without matting failed, and builds the other videos', async () => {
    const dir = project({
      'videos/stiff.yaml': `avatar: stiff\nbackground: "#101010"\nscenes:\n  - script: Fine as HeyGen composes it.\n  - script: Needs a transparent avatar.\n    avatar: { alias: stiff, style: circle }\n`,
      'videos/ok.yaml': `avatar: presenter\nbackground: "#202020"\nscenes:\n  - script: This one is fine.\n`,
    });
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed stiff .*stiff#2: HeyGen failed the scene/);
    expect(r.stdout).toMatch(/trained with matting/);
    expect(existsSync(join(dir, 'out', 'ok.mp4'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'stiff.mp4'))).toBe(false);
    expect(lock(dir).videos.stiff).toMatchObject({ status: 'failed' });
  });

  it('refuses only the video that uses voice emotion, naming the field', async () => {
    const dir = project({
      'videos/moody.yaml': `avatar: presenter\nbackground: "#101010"\nvoice: { alias: narrator, emotion: Excited }\nscenes:\n  - script: So excited.\n`,
      'videos/calm.yaml': `avatar: presenter\nbackground: "#202020"\nscenes:\n  - script: Calm and fine.\n`,
    });
    // validate says so at the field, before any build, and still passes.
    const v = await runCli(['validate'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/videos\/moody\.yaml:3:\d+.*W_V3_EMOTION|W_V3_EMOTION[\s\S]*videos\/moody\.yaml:3:/);
    emu.reset();
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/failed moody \[E_UNSUPPORTED\] videos\/moody\.yaml: moody: voice\.emotion/);
    expect(existsSync(join(dir, 'out', 'calm.mp4'))).toBe(true);
    expect(videoPosts()).toBe(1);
  });

  it('makes a draft and a final of the same manifest with the same length, within a frame', async () => {
    const dir = project({ 'videos/tour.yaml': TOUR });
    expect((await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 })).code).toBe(0);
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir, env: {}, timeoutMs: 180_000 })).code).toBe(0);
    const final = probe(join(dir, 'out', 'tour.mp4')).duration;
    const draft = probe(join(dir, 'out', 'tour.draft.mp4')).duration;
    // The emulator times clips with the same words-per-minute estimate as drafts.
    expect(Math.abs(final - draft)).toBeLessThan(0.1);
  });

  it('builds every file in examples/ on v3: real MP4s of the manifest size, with sound', async () => {
    const dir = tempProject({});
    for (const p of ['examples', 'schema', 'heygen.config.ts']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
    writeFileSync(join(dir, 'heygen.config.ts'), readFileSync(join(dir, 'heygen.config.ts'), 'utf8').replace("from 'heygen-build'", `from '${join(REPO, 'dist', 'index.js')}'`));
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const videos = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.mp4'));
    expect(videos.sort()).toEqual(['launch-prompt.mp4', 'onboarding.es.mp4', 'onboarding.fr-FR.mp4', 'onboarding.mp4', 'photo-avatar.mp4', 'product-tour.mp4', 'webinar.es.mp4', 'welcome-template.mp4', 'welcome.mp4']);
    // French is reviewed first: its SRT is written for the pull request, and no render is paid for yet.
    expect(readFileSync(join(dir, 'translations', 'webinar-dub.fr.srt'), 'utf8')).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> /);
    expect(r.stdout).toMatch(/review webinar-dub@fr: edit translations\/webinar-dub\.fr\.srt/);
    // The voiceover is audio only, with its sidecar.
    expect(existsSync(join(dir, 'out', 'podcast-intro.mp3'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'podcast-intro.srt'))).toBe(true);
    for (const v of ['onboarding.mp4', 'product-tour.mp4', 'welcome.mp4']) {
      const p = probe(join(dir, 'out', v));
      expect([p.width, p.height, p.audio]).toEqual([1280, 720, true]);
    }
  });

  it('a build killed while composing leaves no partial output, and the next one pays for nothing', async () => {
    const dir = project({ 'videos/five.yaml': fiveScenes() });
    emu.reset();
    // Kill the build as soon as it starts composing: every clip is paid and recorded by then.
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'build', '--json'], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"detail":"composing"')) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`not killed while composing:\n${out}`))));
    });
    const paid = videoPosts();
    expect(paid).toBe(5);
    const left = existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : [];
    expect(left.filter((f) => f.endsWith('.mp4'))).toEqual([]);
    const again = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect(videoPosts()).toBe(paid);
    expect(readdirSync(join(dir, 'out')).filter((f) => /\.(tmp|part)$/.test(f))).toEqual([]);
    expect(probe(join(dir, 'out', 'five.mp4')).duration).toBeGreaterThan(5);
  });
});
