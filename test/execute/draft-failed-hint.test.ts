/** A draft that fails says what to do, as a failed HeyGen render does: the error's hint goes with its message. */
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
});
