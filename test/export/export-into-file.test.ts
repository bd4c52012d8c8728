/** `export <dir>` where <dir> is an existing file: a user error naming it, not an internal error (EEXIST from mkdir). */
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/cli.js';

const CONFIG = `export default { avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: 'v1' } };\n`;

describe('export into a path that is a file', () => {
  it('is E_PATH_NOT_FOUND naming the path, exit 1, no stack trace', async () => {
    const dir = tempProject({ 'heygen.config.mjs': CONFIG, 'videos/a.yaml': 'avatar: presenter\nscenes:\n  - script: Hello.\n', 'pack': 'a file\n' });
    for (const format of ['remotion', 'otio']) {
      const r = await runCli(['export', format, 'pack'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error [E_PATH_NOT_FOUND] the export folder pack is a file, not a folder');
      expect(r.stderr).not.toContain('internal error');
    }
  });
});
