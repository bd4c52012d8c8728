/** Every `--json` document a script reads on success starts with `format_version: 1`, as the error documents do. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyLockfile } from '../../src/model/lock.js';
import { serializeLockfile } from '../../src/lockfile/index.js';
import { runCli, tempProject } from '../helpers/cli.js';

describe('--json documents on success', () => {
  it('status, status --remote, push, pull, claims and lock merge each start with format_version 1', async () => {
    const store = mkdtempSync(join(tmpdir(), 'hb-store-'));
    const config = `export default { manifests: ['videos/*.yaml'], remote: { url: 'file://${store}' }, voices: { narrator: 'v1' }, defaults: { voice: 'narrator', avatar: 'Daisy-inskirt-20220818' } };\n`;
    const dir = tempProject({ 'heygen.config.mjs': config, 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    writeFileSync(join(dir, 'heygen.lock.yaml'), serializeLockfile(emptyLockfile()));
    writeFileSync(join(dir, 'other.lock.yaml'), serializeLockfile(emptyLockfile()));
    const commands = [['status'], ['status', '--remote'], ['push'], ['pull'], ['claims'], ['lock', 'merge', 'other.lock.yaml']];
    for (const args of commands) {
      const r = await runCli([...args, '--json'], { cwd: dir, env: { HEYGEN_API_KEY: 'k' } });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const doc = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(Object.keys(doc)[0], args.join(' ')).toBe('format_version');
      expect(doc.format_version, args.join(' ')).toBe(1);
    }
  });

  it('push and pull give their seconds to the millisecond', async () => {
    const store = mkdtempSync(join(tmpdir(), 'hb-store-'));
    const config = `export default { manifests: ['videos/*.yaml'], remote: { url: 'file://${store}' } };\n`;
    const dir = tempProject({ 'heygen.config.mjs': config, 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    for (const verb of ['push', 'pull']) {
      const doc = JSON.parse((await runCli([verb, '--json'], { cwd: dir })).stdout) as { seconds: number };
      expect(Number.isInteger(doc.seconds * 1000), verb).toBe(true);
    }
  });
});
