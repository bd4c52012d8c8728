/**
 * A prompt video's offline draft, through the real CLI with no key: a title card lasting the length the
 * prompt states, the attached picture shown as a thumbnail, the prompt's text on the card.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { describe, expect, it } from 'vitest';
import { oneLine, wrap } from '../../src/execute/local/prompt-card.js';
import { projectFactory, runCli } from '../helpers/cli.js';

const project = projectFactory(`export default { manifests: ['videos/**/*.yaml'] };\n`);

function seconds(file: string): number {
  return Number(execFileSync(ffprobeInstaller.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }));
}

/** The RGB of one pixel of the frame at `t` seconds. */
function pixel(file: string, t: number, x: number, y: number): [number, number, number] {
  const raw = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', `format=rgb24,crop=1:1:${x}:${y}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  return [raw[0]!, raw[1]!, raw[2]!];
}

describe('prompt video drafts', () => {
  it('a card as long as the prompt asks, with the attached picture as a thumbnail along the bottom', async () => {
    const dir = project({ 'videos/launch.yaml': 'prompt: A 12-second teaser for the launch.\nfiles: [red.png, "https://example.com/brief.pdf"]\n' });
    execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=320x180', '-frames:v', '1', join(dir, 'videos', 'red.png')]);
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'out', 'launch.draft.mp4');
    expect(Math.abs(seconds(out) - 12)).toBeLessThan(0.2);
    // One thumbnail, centred along the bottom of the 1280x720 card: red there, the card's slate above it.
    const [r0, g0, b0] = pixel(out, 1, 640, 600);
    expect(r0).toBeGreaterThan(200);
    expect(Math.max(g0, b0)).toBeLessThan(60);
    const [r1, , b1] = pixel(out, 1, 640, 400);
    expect(b1).toBeGreaterThan(r1);
  });

  it('says the first sentence aloud and wraps the prompt on the card, cut with … when too long', () => {
    expect(oneLine('Create a teaser. Then more.')).toBe('Prompt video: Create a teaser.');
    expect(wrap('one two three four five six', 9, 2)).toEqual(['one two', 'three…']);
    expect(wrap('short', 9, 2)).toEqual(['short']);
  });
});
