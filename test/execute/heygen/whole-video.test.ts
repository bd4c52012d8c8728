/** A one-scene video whose clip HeyGen composited at the output's size is the clip itself: no ffmpeg pass. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { describe, expect, it } from 'vitest';
import { asWholeVideo } from '../../../src/execute/heygen/composed.js';
import { makeSpec } from '../../helpers/specs.js';

const dir = mkdtempSync(join(tmpdir(), 'hb-whole-'));
function clip(name: string, size: string): string {
  const file = join(dir, name);
  execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', `color=c=blue:s=${size}:d=1`, '-f', 'lavfi', '-i', 'sine=d=1', '-shortest',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file]);
  return file;
}

describe('asWholeVideo', () => {
  const fit = clip('fit.mp4', '1280x720');
  const small = clip('small.mp4', '320x180');
  const one = makeSpec('one', { scenes: [{ input: { type: 'script', text: 'Just one scene.' } }] });

  it('takes the clip as the video when it has the output size and codecs', async () => {
    expect(await asWholeVideo(one, [{ key: 'k', kind: 'scene', path: fit }])).toMatchObject({ path: fit });
  });

  it('composes otherwise: another size, a laid-out avatar, burned captions or several scenes', async () => {
    expect(await asWholeVideo(one, [{ key: 'k', kind: 'scene', path: small }])).toBeUndefined();
    expect(await asWholeVideo(one, [{ key: 'k', kind: 'alpha', path: fit }])).toBeUndefined();
    expect(await asWholeVideo({ ...one, caption: 'burn' }, [{ key: 'k', kind: 'scene', path: fit }])).toBeUndefined();
    const two = makeSpec('two');
    expect(await asWholeVideo(two, [{ key: 'a', kind: 'scene', path: fit }, { key: 'b', kind: 'scene', path: fit }])).toBeUndefined();
  });
});
