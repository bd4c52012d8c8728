/**
 * Voiceovers (an .mp3/.wav/.m4a output): the real CLI against the emulator. Each script scene is one
 * `POST /v3/voices/speech`, keyed like any scene clip; silence and audio are joined locally; the output
 * is audio only, with an SRT from the word timings. One emulator for the whole file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { parseLockfile } from '../../src/lockfile/parse.js';
import { projectFactory, runCli } from '../helpers/cli.js';

const KEY = 'test-key-voiceover-3c2';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 100, translateMs: 100 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { concurrency: 4, poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54', legacy: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d' },
  defaults: { dimension: '720p', background: '#0F172A' },
};
`);

const voiceover = (third = 'And this is the third scene, after a pause.', voice = 'narrator'): string => `output: ../out/intro.mp3
voice: ${voice}
scenes:
  - script: Welcome to the show about building videos from a repository.
  - silence: 1.5
  - script: ${third}
`;

const speechPosts = (): number => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/voices/speech').length;
const videoPosts = (): number => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v3/videos').length;

function probe(file: string): { streams: string[]; duration: number } {
  const out = execFileSync(ffprobeInstaller.path, ['-v', 'error', '-show_entries', 'stream=codec_type:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const j = JSON.parse(out) as { streams: { codec_type: string }[]; format: { duration: string } };
  return { streams: j.streams.map((s) => s.codec_type), duration: Number(j.format.duration) };
}

describe('voiceover on HeyGen v3', () => {
  it('renders 3 scenes as audio only of their summed length with an SRT; editing one scene sends one speech POST', async () => {
    const dir = project({ 'videos/intro.yaml': voiceover() });
    const plan = await runCli(['plan', '--json'], { cwd: dir, env });
    expect(plan.code).toBe(0);
    const item = (JSON.parse(plan.stdout) as { items: { id: string; media?: string; estimate: { credits: number } }[] }).items[0]!;
    expect(item).toMatchObject({ id: 'intro', media: 'audio' });
    // TTS rate (0.000333 cr/s), not the avatar rate: a few seconds of speech round to 0.00.
    expect(item.estimate.credits).toBeLessThan(0.01);

    const before = speechPosts();
    const videosBefore = videoPosts();
    const r = await runCli(['build'], { cwd: dir, env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(speechPosts() - before).toBe(2);
    expect(videoPosts() - videosBefore).toBe(0);

    const out = join(dir, 'out', 'intro.mp3');
    const media = probe(out);
    expect(media.streams).toEqual(['audio']);
    const lock = parseLockfile(readFileSync(join(dir, 'heygen.lock.yaml'), 'utf8'), 'heygen.lock.yaml');
    const speech = Object.values(lock.clips ?? {}).map((c) => c.durationSeconds!);
    expect(speech).toHaveLength(2);
    const summed = speech[0]! + speech[1]! + 1.5;
    // An MP3 frame is 24 ms at 48 kHz, and the encoder pads a frame or two.
    expect(Math.abs(media.duration - summed)).toBeLessThan(0.1);

    const srt = readFileSync(join(dir, 'out', 'intro.srt'), 'utf8');
    expect(srt).toContain('Welcome to the show');
    expect(srt).toContain('third scene');
    // The third scene's first cue starts after the first speech and the silence.
    const starts = [...srt.matchAll(/(\d\d):(\d\d):(\d\d),(\d\d\d) -->/g)].map((m) => Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000);
    const third = srt.split('\n\n').findIndex((c) => c.includes('third scene'));
    expect(starts[third]!).toBeGreaterThanOrEqual(speech[0]! + 1.5 - 0.02);

    writeFileSync(join(dir, 'videos', 'intro.yaml'), voiceover('The third scene, said differently this time.'));
    const edited = speechPosts();
    const again = await runCli(['build'], { cwd: dir, env });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(speechPosts() - edited).toBe(1);
    expect(readFileSync(join(dir, 'out', 'intro.srt'), 'utf8')).toContain('said differently');

    // A deleted output is joined again from the recorded speech: nothing is paid.
    rmSync(join(dir, 'out', 'intro.mp3'));
    const restored = speechPosts();
    const restore = await runCli(['build'], { cwd: dir, env });
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(speechPosts()).toBe(restored);
    expect(probe(out).streams).toEqual(['audio']);
  });

  it('refuses at plan time a voice the speech endpoint cannot use, naming it and listing usable ones', async () => {
    const dir = project({ 'videos/intro.yaml': voiceover(undefined, 'legacy') });
    const before = speechPosts();
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.code).toBe(1);
    const text = plan.stdout + plan.stderr;
    // The account's catalog knows the voice: the refusal is placed at the voice, with usable ones named.
    expect(text).toContain('E_VOICE_NOT_STARFISH');
    expect(text).toMatch(/voice "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d" \(Legacy Mark\)/);
    // The voice comes from the config's alias: placed there, once.
    expect(text).toMatch(/heygen\.config\.mjs:\d+:\d+: voices\.legacy/);
    expect(text).toContain('Rachel (2d5b0e6cf36f460aa7fc47e3eee4ba54');
    const build = await runCli(['build'], { cwd: dir, env });
    expect(build.code).toBe(1);
    expect(speechPosts()).toBe(before);
  });

  it('drafts offline as the same timeline: an audio file with its SRT, no request sent (.mp3, .wav, .m4a)', async () => {
    const dir = project({
      'videos/intro.yaml': voiceover(),
      'videos/wav.yaml': voiceover().replace('intro.mp3', 'wav.wav'),
      'videos/m4a.yaml': voiceover().replace('intro.mp3', 'm4a.m4a'),
    });
    const n = emu.requests.length;
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, env: {} });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(emu.requests.length).toBe(n);
    expect(probe(join(dir, 'out', 'intro.draft.mp3')).streams).toEqual(['audio']);
    expect(existsSync(join(dir, 'out', 'intro.draft.srt'))).toBe(true);
    expect(probe(join(dir, 'out', 'wav.draft.wav')).streams).toEqual(['audio']);
    expect(probe(join(dir, 'out', 'm4a.draft.m4a')).streams).toEqual(['audio']);
    // Silent drafts (no espeak-ng here) last what the plan estimated, silence included.
    expect(probe(join(dir, 'out', 'wav.draft.wav')).duration).toBeGreaterThan(1.5);
  });
});
