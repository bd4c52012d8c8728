/**
 * Photo avatars, engines, 4K and transparent output: the real CLI against the emulator. Every v3 body
 * these tests send is checked against HeyGen's official schemas at the end, unknown fields flagged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { projectFactory, runCli } from '../helpers/cli.js';
import { alphaOf } from '../emulator/media-tools.js';
import { check, validator } from '../providers/heygen/helpers/openapi.js';

const KEY = 'test-key-engines-3c9';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 150, translateMs: 150 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 10, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  defaults: { dimension: '720p' },
};
`);

/** A flat-coloured PNG, as a photo to animate. */
function png(dir: string, rel: string, color: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=400x500`, '-frames:v', '1', join(dir, rel)]);
}

function probe(file: string): { streams: { codec_type: string; codec_name: string; width?: number; height?: number; tags?: Record<string, string> }[] } {
  return JSON.parse(execFileSync(ffprobeInstaller.path, ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' })) as never;
}

/** The RGB of one pixel of the first frame. */
function pixel(file: string, x: number, y: number): [number, number, number] {
  const out = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-i', file, '-vf', `crop=2:2:${x}:${y}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return [out[0]!, out[1]!, out[2]!];
}

const videoPosts = (): { body: Record<string, unknown> }[] =>
  emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos' && r.status === 200) as never;
const assetPosts = (): number => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/assets').length;

interface PlanJson {
  items: { id: string; action: string; reasons: string[]; estimate: { credits: number; seconds: number }; scenes?: { estimate: { credits: number; seconds: number } }[] }[];
}

describe('photo avatars', () => {
  it('render as type: image from the uploaded photo (once for two videos); new photo bytes change the key; the draft shows the photo', async () => {
    const dir = project({
      'videos/photo.yaml': 'voice: narrator\navatar: {photo: assets/me.png, expressiveness: high, motion: nods while speaking}\nbackground: "#102030"\nscenes:\n  - script: Hello from a photo.\n',
      'videos/again.yaml': 'voice: narrator\navatar: {photo: assets/me.png}\nbackground: "#102030"\nscenes:\n  - script: The same photo, another script.\n',
    });
    png(dir, 'videos/assets/me.png', 'red');
    const before = videoPosts().length;
    const assets = assetPosts();
    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(assetPosts() - assets).toBe(1);
    const bodies = videoPosts().slice(before).map((r) => r.body);
    expect(bodies).toHaveLength(2);
    for (const b of bodies) {
      expect(b.type).toBe('image');
      expect(b.image).toEqual({ type: 'asset_id', asset_id: expect.any(String) as string });
      expect(b).not.toHaveProperty('engine');
      expect(b).not.toHaveProperty('avatar_id');
    }
    expect(bodies.find((b) => b.expressiveness === 'high')?.motion_prompt).toBe('nods while speaking');

    // Same bytes: nothing to do. New bytes under the same name: both videos change, and say why.
    expect((JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as PlanJson).items.map((i) => i.action)).toEqual(['unchanged', 'unchanged']);
    png(dir, 'videos/assets/me.png', 'lime');
    const plan = JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as PlanJson;
    expect(plan.items.map((i) => i.action)).toEqual(['update', 'update']);
    expect(plan.items[0]!.reasons.join(' ')).toMatch(/videos\/assets\/me\.png/);
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(assetPosts() - assets).toBe(2);
    expect(videoPosts().length - before).toBe(4);

    // The draft shows the photo itself in the avatar's place (lime), over the background.
    const draft = await runCli(['build', '--provider', 'local', 'videos/photo.yaml'], { cwd: dir, env: {} });
    expect(draft.code).toBe(0);
    const file = join(dir, 'out', 'photo.draft.mp4');
    const [r, g, b] = pixel(file, 640, 500);
    expect(g).toBeGreaterThan(180);
    expect(r + b).toBeLessThan(120);
    const [br, bg, bb] = pixel(file, 20, 20);
    expect([br, bg, bb].every((c) => c < 80)).toBe(true);
  }, 120_000);

  it('a corrupt, cut-short or mislabelled file a clip would upload fails its video before anything of it is sent; the other video is built', async () => {
    const dir = project({
      'videos/good.yaml': 'voice: narrator\navatar: {photo: assets/me.png}\nbackground: "#102030"\nscenes:\n  - script: A photo that is a photo.\n',
      'videos/notes.yaml': 'voice: narrator\navatar: {photo: assets/notes.png}\nbackground: "#102030"\nscenes:\n  - script: A text file saved as a PNG.\n',
      // Its second scene's photo is cut short: its first scene, whose photo is fine, is not paid for either.
      'videos/cut.yaml': 'voice: narrator\nbackground: "#102030"\nscenes:\n  - script: Fine.\n    avatar: {photo: assets/me.png}\n  - script: A JPEG cut short.\n    avatar: {photo: assets/cut.jpg}\n',
      'videos/webp.yaml': 'avatar: presenter\nscenes:\n  - script: A covering WebP background, which HeyGen would composite.\n    background: {image: assets/bg.webp, fit: cover}\n',
      'videos/voice.yaml': 'avatar: presenter\nbackground: "#102030"\nscenes:\n  - audio: assets/broken.wav\n',
    });
    png(dir, 'videos/assets/me.png', 'orange');
    writeFileSync(join(dir, 'videos/assets/notes.png'), 'these are my notes, not a picture\n');
    execFileSync(ffmpegInstaller.path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=s=640x480', '-frames:v', '1', join(dir, 'videos/assets/whole.jpg')]);
    const jpeg = readFileSync(join(dir, 'videos/assets/whole.jpg'));
    writeFileSync(join(dir, 'videos/assets/cut.jpg'), jpeg.subarray(0, jpeg.length / 2));
    execFileSync(ffmpegInstaller.path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=blue:s=320x180', '-frames:v', '1', join(dir, 'videos/assets/bg.webp')]);
    writeFileSync(join(dir, 'videos/assets/broken.wav'), Buffer.from('RIFF\0\0\0\0WAVEnot really a wave file at all'));
    const n = emu.requests.length;

    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 60_000 });
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toContain("[E_COMPOSE_ASSET] videos/notes.yaml, scene 1's avatar photo: cannot read the image videos/assets/notes.png: it is not a PNG image (its first bytes are not a PNG's signature: it starts with \"these are my notes, not\")");
    expect(out).toContain('re-export videos/assets/notes.png as PNG or JPEG');
    expect(out).toContain("[E_COMPOSE_ASSET] videos/cut.yaml, scene 2's avatar photo: cannot read the image videos/assets/cut.jpg: the file is cut short: its image data has no JPEG end marker (FFD9)");
    expect(out).toContain("[E_COMPOSE_ASSET] videos/webp.yaml, scene 1's background: HeyGen would not take videos/assets/bg.webp: it is a WebP picture, and HeyGen takes only PNG and JPEG pictures");
    expect(out).toContain('re-export it as PNG or JPEG (`ffmpeg -i videos/assets/bg.webp videos/assets/bg.png`)');
    expect(out).toContain("[E_COMPOSE_ASSET] videos/voice.yaml, scene 1's audio: cannot read the audio videos/assets/broken.wav");
    expect(out).toContain('re-export videos/assets/broken.wav as MP3 or WAV');

    // The good video is built; of the others nothing reached HeyGen: one upload (its photo), one POST (its clip).
    expect(existsSync(join(dir, 'out', 'good.mp4'))).toBe(true);
    const sent = emu.requests.slice(n);
    expect(sent.filter((q) => q.method !== 'GET' && q.path.startsWith('/v3/assets'))).toHaveLength(1);
    const posts = sent.filter((q) => q.method === 'POST' && q.path === '/v3/videos');
    expect(posts).toHaveLength(1);
    expect((posts[0]!.body as { type: string }).type).toBe('image');
    // Nothing journaled for them either: no intent, no failed render to retry.
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    expect(Object.keys(lock.videos)).toEqual(['good']);
    expect(Object.keys(lock.clips ?? {})).toHaveLength(1);
  }, 120_000);
});

describe('engine rules', () => {
  it('each forbidden combination is an error at file:line:col, before any request', async () => {
    const dir = project({
      'videos/a-photo-v.yaml': 'voice: narrator\nengine: avatar_v\navatar: {photo: assets/me.png}\nscenes:\n  - script: Hi.\n',
      'videos/b-photo-iii.yaml': 'voice: narrator\navatar: {photo: assets/me.png}\nscenes:\n  - script: Hi.\n    engine: avatar_iii\n',
      'videos/c-express-v.yaml': 'voice: narrator\nscenes:\n  - avatar: {id: look_photo_ready_0004, engine: avatar_v, expressiveness: low}\n    script: Hi.\n',
      'videos/d-motion-iii.yaml': 'voice: narrator\nengine: avatar_iii\navatar: {id: look_photo_ready_0004, motion: waves}\nscenes:\n  - script: Hi.\n',
      'videos/e-transparent-bg.yaml': 'transparent: true\navatar: presenter\nscenes:\n  - script: Hi.\n    background: "#000000"\n',
      'videos/f-transparent-none.yaml': 'voice: narrator\ntransparent: true\nscenes:\n  - script: Hi.\n    avatar: presenter\n',
    });
    png(dir, 'videos/assets/me.png', 'red');
    const seen = emu.requests.length;
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    const err = plan.stderr;
    expect(err).toMatch(/videos\/a-photo-v\.yaml:2:9 error E_AVATAR_ENGINE engine avatar_v cannot animate a photo/);
    expect(err).toMatch(/videos\/b-photo-iii\.yaml:5:13 error E_AVATAR_ENGINE engine avatar_iii cannot animate a photo/);
    expect(err).toMatch(/videos\/c-express-v\.yaml:3:75 error E_AVATAR_EXPRESSIVENESS expressiveness is set with the avatar_v engine/);
    expect(err).toMatch(/videos\/d-motion-iii\.yaml:3:45 error E_AVATAR_MOTION motion is set with the avatar_iii engine/);
    expect(err).toMatch(/videos\/e-transparent-bg\.yaml:5:5 error E_TRANSPARENT scenes\[0\] has a background, and the video is transparent/);
    expect(err).toMatch(/videos\/f-transparent-none\.yaml:2:1 error E_TRANSPARENT a transparent video needs a video-level `avatar:`/);
    expect(emu.requests.length).toBe(seen);
  });

  it('motion on a video avatar on Avatar IV is refused at its place from the catalog, before any POST; on avatar_v it renders', async () => {
    const dir = project({ 'videos/twin.yaml': 'voice: narrator\navatar: {id: look_twin_ready_0001, motion: leans in}\nbackground: "#223344"\nscenes:\n  - script: Hello.\n' });
    const posts = emu.requests.filter((r) => r.method === 'POST').length;
    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/videos\/twin\.yaml:2:9: .*E_AVATAR_MOTION|videos\/twin\.yaml:2:9 .*motion is set, and avatar "look_twin_ready_0001" .* digital_twin on the avatar_iv engine/);
    expect(emu.requests.filter((r) => r.method === 'POST').length).toBe(posts);
    writeFileSync(join(dir, 'videos', 'twin.yaml'), 'voice: narrator\nengine: avatar_v\navatar: {id: look_twin_ready_0001, motion: leans in}\nbackground: "#223344"\nscenes:\n  - script: Hello.\n');
    const before = videoPosts().length;
    const ok = await runCli(['build'], { cwd: dir, env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(videoPosts().slice(before).map((r) => [r.body.engine, r.body.motion_prompt])).toEqual([[{ type: 'avatar_v' }, 'leans in']]);
  }, 60_000);

  it('each engine is priced at its own rate in the plan', async () => {
    const script = 'One two three four five six seven eight nine ten eleven twelve.';
    const dir = project({
      'videos/rates.yaml': `avatar: presenter\nbackground: "#223344"\nscenes:\n  - script: ${script}\n  - script: ${script} Again.\n    engine: avatar_iii\n  - script: ${script} Once more.\n    avatar: {id: josh_lite3_20230714, engine: avatar_v}\n`,
    });
    const plan = JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as PlanJson;
    const [iv, iii, v] = plan.items[0]!.scenes!.map((s) => s.estimate);
    const at = (e: { seconds: number }, rate: number): number => Math.round(e.seconds * rate * 100) / 100;
    expect(iv!.credits).toBe(at(iv!, 0.1));
    expect(iii!.credits).toBe(at(iii!, 0.0033));
    expect(v!.credits).toBe(at(v!, 0.1));
    expect(iii!.credits).toBeLessThan(iv!.credits);
  });
});

describe('4K and transparent output', () => {
  it('4k renders 3840x2160', async () => {
    const dir = project({ 'videos/big.yaml': 'avatar: presenter\nbackground: "#223344"\ndimension: 4k\nscenes:\n  - script: A big hello.\n' });
    const before = videoPosts().length;
    const build = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(videoPosts().slice(before).map((r) => [r.body.resolution, r.body.aspect_ratio])).toEqual([['4k', '16:9']]);
    const v = probe(join(dir, 'out', 'big.mp4')).streams.find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([3840, 2160]);
  }, 150_000);

  it('transparent: a WebM with alpha, recorded and restored as .webm, and drafted as .draft.webm with alpha', async () => {
    const dir = project({
      'videos/cutout.yaml': 'avatar: presenter\ntransparent: true\nscenes:\n  - script: Nothing behind me.\n',
      'videos/cutouts.yaml': 'avatar: presenter\ntransparent: true\ncaption: {burn: true}\nscenes:\n  - script: First, as framed.\n  - script: Then closer.\n    avatar: {alias: presenter, style: closeUp}\n',
    });
    const before = videoPosts().length;
    const build = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const bodies = videoPosts().slice(before).map((r) => r.body);
    expect(bodies).toHaveLength(3);
    expect(bodies.every((b) => b.output_format === 'webm' && b.background === undefined)).toBe(true);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    for (const name of ['cutout', 'cutouts']) {
      const file = join(dir, 'out', `${name}.webm`);
      expect(lock.videos[name]?.output?.path).toBe(`out/${name}.webm`);
      const v = probe(file).streams.find((s) => s.codec_type === 'video')!;
      expect([v.codec_name, v.width, v.height, v.tags?.alpha_mode ?? v.tags?.ALPHA_MODE]).toEqual(['vp9', 1280, 720, '1']);
      const alpha = await alphaOf(readFileSync(file), 0.2);
      expect(alpha.min).toBe(0); // the clear background
      expect(alpha.max).toBe(255); // the avatar
    }
    // A lost output comes back from the clips, with nothing sent.
    rmSync(join(dir, 'out', 'cutouts.webm'));
    const posts = videoPosts().length;
    const restore = await runCli(['build'], { cwd: dir, env, timeoutMs: 120_000 });
    expect(restore.code).toBe(0);
    expect(videoPosts().length).toBe(posts);
    expect((await alphaOf(readFileSync(join(dir, 'out', 'cutouts.webm')), 0.2)).min).toBe(0);

    // Two scenes, one laid out, captions burned: the slow path (concat, drawtext, whole Opus frames).
    const draft = await runCli(['build', '--provider', 'local', 'videos/cutouts.yaml'], { cwd: dir, env: {}, timeoutMs: 180_000 });
    expect(draft.stderr).toBe('');
    expect(draft.code).toBe(0);
    const d = join(dir, 'out', 'cutouts.draft.webm');
    expect(existsSync(d)).toBe(true);
    const dv = probe(d).streams.find((s) => s.codec_type === 'video')!;
    expect(dv.codec_name).toBe('vp9');
    const da = await alphaOf(readFileSync(d), 0.2);
    expect([da.min, da.max]).toEqual([0, 255]);
  }, 360_000);
});

describe('voice settings', () => {
  it('volume and ElevenLabs settings are sent under HeyGen\'s names, and are part of the key', async () => {
    const voice = '{alias: narrator, volume: 0.6, elevenlabs: {model: eleven_v3, stability: 0.4, similarity_boost: 0.8, style: 0.2}}';
    const dir = project({ 'videos/tuned.yaml': `avatar: presenter\nvoice: ${voice}\nbackground: "#223344"\nscenes:\n  - script: Tuned.\n` });
    const before = videoPosts().length;
    expect((await runCli(['build'], { cwd: dir, env })).code).toBe(0);
    expect(videoPosts().slice(before).map((r) => r.body.voice_settings)).toEqual([
      { speed: 1, pitch: 0, volume: 0.6, engine_settings: { engine_type: 'elevenlabs', model: 'eleven_v3', stability: 0.4, similarity_boost: 0.8, style: 0.2 } },
    ]);
    writeFileSync(join(dir, 'videos', 'tuned.yaml'), `avatar: presenter\nvoice: ${voice.replace('0.6', '0.3')}\nbackground: "#223344"\nscenes:\n  - script: Tuned.\n`);
    const plan = JSON.parse((await runCli(['plan', '--json'], { cwd: dir, env })).stdout) as PlanJson;
    expect(plan.items[0]!.action).toBe('update');
    expect(plan.items[0]!.reasons.join(' ')).toMatch(/voice\.volume/);
  }, 60_000);
});

describe('what the tests sent', () => {
  it('every v3 body is valid against HeyGen\'s official schemas, unknown fields flagged', async () => {
    const videos = validator('VideoCreate', 'RequestSchema');
    const sent = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos' && r.body !== undefined);
    // Every kind of body this file's builds sent: photos, engines with motion, 4K, transparent.
    const bodies = sent.map((r) => r.body as Record<string, unknown>);
    expect(bodies.some((b) => b.type === 'image' && b.expressiveness === 'high' && b.motion_prompt !== undefined)).toBe(true);
    expect(bodies.some((b) => b.type === 'avatar' && b.engine !== undefined && b.motion_prompt !== undefined)).toBe(true);
    expect(bodies.some((b) => b.resolution === '4k')).toBe(true);
    expect(bodies.some((b) => b.output_format === 'webm')).toBe(true);
    expect(bodies.some((b) => (b.voice_settings as { engine_settings?: unknown } | undefined)?.engine_settings !== undefined)).toBe(true);
    for (const r of sent) check(videos, r.body);
    // The check does flag an unknown field, and so does the emulator (HeyGen's 400, naming it).
    const bad = { ...(sent[0]!.body as Record<string, unknown>), motion: 'waves' };
    expect(videos(bad)).toBe(false);
    const res = await fetch(`${emu.url}/v3/videos`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(bad) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('motion');
  });
});
