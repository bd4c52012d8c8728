/** A draft that fails says what to do, as a failed HeyGen render does: the error's hint goes with its message. */
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

const CONFIG = `export default { avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'v1' } };\n`;

describe('a failed draft', () => {
  it('prints its hint (an audio file that is not audio)', async () => {
    const dir = tempProject({
      'heygen.config.mjs': CONFIG,
      'videos/fake.mp3': 'not audio\n',
      'videos/intro.yaml': 'avatar: presenter\nscenes:\n  - audio: fake.mp3\n',
    });
    const r = await runCli(['build', '--provider', 'local'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/failed intro \[E_DRAFT_ASSET\] cannot read the duration of [^\n]*fake\.mp3[\s\S]*\(hint: check that the file is a readable audio\/video file\)/);
  });
});
