/** A draft that fails says what to do, as a failed HeyGen render does: the error's hint goes with its message. */
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

const CONFIG = `export default { avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'v1' } };\n`;

describe('a failed draft', () => {
  it('prints its hint (an audio file that is not audio): the manifest and scene that use it, and how to see why', async () => {
    const dir = tempProject({
      'heygen.config.mjs': CONFIG,
      'videos/my fake.mp3': 'not audio\n',
      'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: Hello there.\n  - audio: my fake.mp3\n',
    });
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/failed intro \[E_DRAFT_ASSET\] videos\/intro\.yaml, scene 2's audio: cannot read the duration of videos\/my fake\.mp3: /);
    expect(out).toContain("(hint: check that videos/my fake.mp3 is an audio or video file ffmpeg can read: `ffprobe 'videos/my fake.mp3'` says why it is not)");
  });

  it('a corrupt background image: E_DRAFT_ASSET naming the manifest, scene and file, nothing half-written, the other video still drafted', async () => {
    const dir = tempProject({
      'heygen.config.mjs': CONFIG,
      'videos/assets/tour-bg2.png': 'garbage\n',
      'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: Hello there.\n  - script: Here is the tour.\n    background: {image: assets/tour-bg2.png}\n',
      'videos/other.yaml': 'avatar: presenter\nscenes:\n  - script: Another video.\n',
    });
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, env: { PATH: '' } });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/failed intro \[E_DRAFT_ASSET\] videos\/intro\.yaml, scene 2's background: cannot read the image videos\/assets\/tour-bg2\.png: it is not a PNG image/);
    expect(out).toContain('(hint: re-export videos/assets/tour-bg2.png as PNG or JPEG');
    expect(out).not.toContain('E_FFMPEG');
    // The failing video leaves nothing (no draft, no temp file); the other one is drafted as before.
    expect(readdirSync(join(dir, 'out'))).toEqual(['other.draft.mp4']);
    expect(readdirSync(join(dir, '.heygen', 'drafts')).filter((f) => f.endsWith('.mp4'))).toHaveLength(1);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.map((f) => f.name).filter((f) => /part|tmp/i.test(f))).toEqual([]);
    expect(out).toMatch(/saved other -> out\/other\.draft\.mp4/);
  });

  it('an espeak-ng that writes no readable speech: E_DRAFT_SPEECH naming the manifest and scene, with commands to run, not a deleted temp file', async () => {
    // Exits 0 having written something that is not audio (a broken install, a wrapper script).
    const fake = '#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = -w ]; then echo "not a wav" > "$2"; fi; shift; done\ncat > /dev/null\n';
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'bin/espeak-ng': fake, 'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - script: Hello there.\n' });
    const espeak = join(dir, 'bin', 'espeak-ng');
    chmodSync(espeak, 0o755);
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` } });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/failed intro \[E_DRAFT_SPEECH\] videos\/intro\.yaml, scene 1's speech: espeak-ng ran but wrote no speech ffmpeg can read/);
    expect(out).toContain(`(hint: check espeak-ng (${espeak}) and ffmpeg: \`${espeak} -w hello.wav hello\` should write a WAV that `);
    expect(out).toContain('take espeak-ng off PATH to render silent drafts');
    // The speech was a temp file, deleted with the draft's work folder: nothing may send the user to it.
    expect(out).not.toMatch(/speech\d+\.wav/);
  });
});
