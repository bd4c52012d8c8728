/**
 * Text overlays through the real CLI: a lower third drawn inside its window and not outside it, in a
 * draft and in a HeyGen build (the emulator over loopback); an edit of its text recomposes with no
 * request to HeyGen; `at: {word}` starts on the frame the word is said.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { sharedEmulator } from './emulator.js';
import { srtCues } from '../../src/execute/heygen/cues.js';
import { projectFactory, runCli } from '../helpers/cli.js';

const KEY = 'test-key-overlays-3c9';
let emu: Emulator;
let env: Record<string, string>;

sharedEmulator({ apiKey: KEY, renderMs: 100, translateMs: 100 }, (e, v) => ((emu = e), (env = v)));

const project = projectFactory(`export default {
  manifests: ['videos/**/*.yaml'],
  heygen: { poll: { minMs: 40, maxMs: 200, timeoutMs: 60000 } },
  avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } },
  voices: { narrator: '2d5b0e6cf36f460aa7fc47e3eee4ba54' },
  textStyles: {
    lowerThird: { font: 'sans-bold', size: 40, color: '#FFFFFF', background: '#FF0000', padding: 12 },
    cue: { size: 30, background: '#00FF00', padding: 10 },
  },
};
`);

/** A 720p video whose lower third (red box) shows from 1 s to 3 s. */
const manifest = (value: string, extra = ''): string => `avatar: presenter
background: "#0000FF"
caption: true
text:
  - value: "${value}"
    position: lower-third
    start: 1
    end: 3
    style: lowerThird
${extra}scenes:
  - script: Welcome to the tour of these new offices today. Our chief engineer Smith shows a lab next.
  - script: Thanks for watching this short tour.
`;

/** Inside the lower third's box, in its left padding (x = margin 36 + padding 12 - 6), mid line. */
const BOX = { x: 42, y: 572 };
const isRed = ([r, g, b]: number[]): boolean => r! > 180 && g! < 90 && b! < 90;
const isGreen = ([r, g, b]: number[]): boolean => g! > 180 && r! < 90 && b! < 90;

/** The RGB of one pixel of the frame at `t` seconds. */
function pixel(file: string, t: number, x: number, y: number): number[] {
  const raw = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return [raw[0]!, raw[1]!, raw[2]!];
}

/** One pixel of every frame, in order. */
function pixelTrack(file: string, x: number, y: number): number[][] {
  const raw = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-i', file, '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 });
  const out: number[][] = [];
  for (let i = 0; i + 2 < raw.length; i += 3) out.push([raw[i]!, raw[i + 1]!, raw[i + 2]!]);
  return out;
}

function fps(file: string): number {
  const r = execFileSync(ffprobeInstaller.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
  const [n, d] = r.split('/').map(Number);
  return n! / d!;
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const posts = (): number => emu.requests.filter((r) => r.method === 'POST').length;

/**
 * Adds an overlay starting at the first word of the sidecar's second cue (when the video says it),
 * builds again, and checks the overlay's first frame against that cue's start.
 */
async function checkAtWord(dir: string, file: string, args: string[], buildEnv: Record<string, string>): Promise<void> {
  const cue = srtCues(readFileSync(file.replace(/\.mp4$/, '.srt'), 'utf8'))[1]!;
  const word = cue.text.split(/\s+/)[0]!.replace(/[^\p{L}]/gu, '');
  const at = `    text:\n      - value: "${word}"\n        position: { x: 100, y: 100 }\n        at: { word: ${word} }\n        end: 1\n        style: cue\n`;
  const m = manifest('Our whole team').replace(/( {2}- script: Welcome[^\n]*\n)/, `$1${at}`);
  writeFileSync(join(dir, 'videos', 'tour.yaml'), m);
  emu.reset();
  const r = await runCli(args, { cwd: dir, env: buildEnv, timeoutMs: 180_000 });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(posts()).toBe(0); // an overlay added: composed again, nothing sent
  const rate = fps(file);
  // Inside the small green box's left padding.
  const track = pixelTrack(file, 95, 100 + 15);
  const first = track.findIndex(isGreen);
  expect(first).toBeGreaterThan(0);
  expect(Math.abs(first / rate - cue.start)).toBeLessThanOrEqual(1 / rate + 1e-6);
  // It lasts `end: 1` second from there.
  const last = track.findLastIndex(isGreen);
  expect(Math.abs((last + 1 - first) / rate - 1)).toBeLessThanOrEqual(1 / rate + 1e-6);
}

describe('text overlays', () => {
  it('a draft shows the lower third in its window only; an edit redraws it; `at: {word}` starts on its word', async () => {
    const dir = project({ 'videos/tour.yaml': manifest('Our team') });
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, timeoutMs: 180_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = join(dir, 'out', 'tour.draft.mp4');
    expect(isRed(pixel(out, 2, BOX.x, BOX.y))).toBe(true);
    expect(isRed(pixel(out, 0.5, BOX.x, BOX.y))).toBe(false);
    expect(isRed(pixel(out, 3.6, BOX.x, BOX.y))).toBe(false);
    const before = sha(out);

    writeFileSync(join(dir, 'videos', 'tour.yaml'), manifest('Our whole team'));
    expect((await runCli(['build', '--provider', 'local'], { cwd: dir, timeoutMs: 180_000 })).code).toBe(0);
    expect(sha(out)).not.toBe(before);
    expect(isRed(pixel(out, 2, BOX.x, BOX.y))).toBe(true);

    await checkAtWord(dir, out, ['build', '--provider', 'local'], {});
  });

  it('a HeyGen build draws the same layer; editing the text sends no request and changes the output', async () => {
    const dir = project({ 'videos/tour.yaml': manifest('Our team') });
    emu.reset();
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const paid = posts();
    expect(paid).toBeGreaterThan(0);
    const out = join(dir, 'out', 'tour.mp4');
    expect(isRed(pixel(out, 2, BOX.x, BOX.y))).toBe(true);
    expect(isRed(pixel(out, 0.5, BOX.x, BOX.y))).toBe(false);
    expect(isRed(pixel(out, 3.6, BOX.x, BOX.y))).toBe(false);
    const before = sha(out);

    writeFileSync(join(dir, 'videos', 'tour.yaml'), manifest('Our whole team'));
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toMatch(/~ update\s+tour\s+~\d+s\s+0\.00 cr\n\s+text\[0\]\.value\n\s+recompose only/);
    emu.reset();
    const again = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(posts()).toBe(0);
    expect(sha(out)).not.toBe(before);
    expect(isRed(pixel(out, 2, BOX.x, BOX.y))).toBe(true);

    await checkAtWord(dir, out, ['build'], env);
  });

  it('a translation is made once from the video without overlays; each language gets its own layer, redrawn for free', async () => {
    // A green box at the top right: the emulator's translations are a colour-bar pattern, cyan there.
    const translated = (es: string, def = 'Our team'): string => `avatar: presenter
background: "#0000FF"
text:
  - value: { default: "${def}", es: "${es}" }
    position: { x: 1100, y: 300 }
    start: 1
    end: 3
    style: cue
scenes:
  - script: Welcome to the tour of these new offices today.
translations: [es]
`;
    const GREEN = { x: 1095, y: 315 };
    const dir = project({ 'videos/tour.yaml': translated('Nuestro equipo') });
    emu.reset();
    const r = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const translations = (): number => emu.requests.filter((q) => q.method === 'POST' && q.path === '/v3/video-translations').length;
    expect(translations()).toBe(1);
    const es = join(dir, 'out', 'tour.es.mp4');
    // (The emulator's translations last 2 s whatever the source: 1.5 s is inside the window.)
    expect(isGreen(pixel(es, 1.5, GREEN.x, GREEN.y))).toBe(true);
    expect(isGreen(pixel(es, 0.5, GREEN.x, GREEN.y))).toBe(false);
    const before = sha(es);
    const video = sha(join(dir, 'out', 'tour.mp4'));

    // A fix to the Spanish text: the translation is not paid again, its layer is drawn again.
    writeFileSync(join(dir, 'videos', 'tour.yaml'), translated('Nuestro gran equipo'));
    const plan = await runCli(['plan'], { cwd: dir, env });
    expect(plan.stdout).toMatch(/~ update\s+tour@es\s+~\d+s\s+0\.00 cr\n\s+text overlays \(es\) changed: recompose only/);
    expect(plan.stdout).not.toMatch(/~ update\s+tour\s/);
    emu.reset();
    const again = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(posts()).toBe(0);
    expect(sha(es)).not.toBe(before);
    expect(sha(join(dir, 'out', 'tour.mp4'))).toBe(video);
    expect(isGreen(pixel(es, 1.5, GREEN.x, GREEN.y))).toBe(true);

    // A fix to the default text recomposes the video only; the Spanish layer has its own text.
    writeFileSync(join(dir, 'videos', 'tour.yaml'), translated('Nuestro gran equipo', 'Our whole team'));
    emu.reset();
    const third = await runCli(['build'], { cwd: dir, env, timeoutMs: 180_000 });
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(posts()).toBe(0);
    expect(sha(join(dir, 'out', 'tour.mp4'))).not.toBe(video);
  });

  it('validate points at an unknown style, an unsaid word, a late end and text too wide', async () => {
    const dir = project({
      'videos/bad.yaml': `avatar: presenter
background: "#000000"
text:
  - value: "${'Far too long a title for any frame at this size '.repeat(3)}"
    style: { size: 90 }
scenes:
  - script: Hello there, this is short.
    text:
      - value: Name
        style: lowerThrid
      - value: Who
        at: { word: Smith }
      - value: Late
        start: 1
        end: 30
`,
    });
    const v = await runCli(['validate'], { cwd: dir });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/videos\/bad\.yaml:10:\d+[\s\S]*E_UNKNOWN_STYLE|E_UNKNOWN_STYLE[\s\S]*videos\/bad\.yaml:10:/);
    expect(v.stdout).toMatch(/did you mean "lowerThird"/);
    expect(v.stdout).toMatch(/E_OVERLAY_WORD[\s\S]*"Smith"|"Smith"[\s\S]*E_OVERLAY_WORD/);
    expect(v.stdout).toMatch(/videos\/bad\.yaml:12:\d+/);
    expect(v.stdout).toMatch(/E_OVERLAY_TIMING/);
    expect(v.stdout).toMatch(/videos\/bad\.yaml:15:\d+/);
    expect(v.stdout).toMatch(/W_TEXT_OVERFLOW/);
    expect(v.stdout).toMatch(/videos\/bad\.yaml:4:\d+/);
  });
});
