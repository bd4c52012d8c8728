/** `heygen-build gc` as typed: its report, its JSON, its flags' errors. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { urlCopyPath } from '../../src/execute/url-copy-path.js';
import { projectFactory } from '../helpers/cli.js';
import { cli } from './run.js';

const CONFIG = `export default { manifests: ['videos/*.yaml'], voices: { narrator: 'v1' }, defaults: { voice: 'narrator', avatar: 'Daisy-inskirt-20220818' } };\n`;
const project = projectFactory(CONFIG);

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function withOldDraft(files: Record<string, string>): { dir: string; old: string } {
  const dir = project(files);
  const old = join(dir, '.heygen', 'drafts', `${'a'.repeat(64)}.mp4`);
  mkdirSync(join(old, '..'), { recursive: true });
  writeFileSync(old, 'x'.repeat(2000));
  return { dir, old };
}

describe('heygen-build gc', () => {
  it('--dry-run --json lists the unreferenced draft and keeps it; then gc removes it and says how much', async () => {
    const { dir, old } = withOldDraft({ 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    const dry = await cli(['-C', dir, 'gc', '--dry-run', '--older-than', '0', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      format_version: 1,
      dry_run: true,
      removed: [{ path: `.heygen/drafts/${'a'.repeat(64)}.mp4`, area: 'drafts', bytes: 2000 }],
      bytes: 2000,
      recent: { files: 0, bytes: 0 },
    });
    expect(existsSync(old)).toBe(true);

    const kept = await cli(['-C', dir, 'gc']);
    expect(kept.stdout).not.toContain('nothing to remove');
    expect(kept.stdout).toContain('kept 1 unreferenced file (2 KB) changed in the last 2 minutes');
    expect(existsSync(old)).toBe(true);

    const done = await cli(['-C', dir, 'gc', '--older-than', '0']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/\.heygen\/drafts\s+1 file\s+2 KB\nremoved 1 file \(2 KB\)/);
    expect(existsSync(old)).toBe(false);
  });

  it('reports the copy of a URL no manifest names any more under .heygen/remote, in the human report and as area "remote" in --json', async () => {
    const dir = project({ 'videos/a.yaml': 'background: { image: "https://cdn.example.com/week-2.png" }\nscenes:\n  - script: hi\n' });
    const old = urlCopyPath(dir, 'https://cdn.example.com/week-1.png');
    mkdirSync(join(old, '..'), { recursive: true });
    writeFileSync(old, 'x'.repeat(3000));
    writeFileSync(`${old}.json`, '{}');
    const name = old.slice(old.lastIndexOf('/') + 1);
    const dry = await cli(['-C', dir, 'gc', '--dry-run', '--older-than', '0', '--json']);
    expect((JSON.parse(dry.stdout) as { removed: unknown }).removed).toEqual([
      { path: `.heygen/remote/${name}`, area: 'remote', bytes: 3000 },
      { path: `.heygen/remote/${name}.json`, area: 'remote', bytes: 2 },
    ]);
    const done = await cli(['-C', dir, 'gc', '--older-than', '0']);
    expect(done.stdout).toMatch(/\.heygen\/remote\s+2 files\s+3 KB\nremoved 2 files \(3 KB\)/);
    expect(existsSync(old)).toBe(false);
  });

  it('refuses an age without a unit, and prints the JSON error document for broken manifests', async () => {
    const { dir, old } = withOldDraft({ 'videos/a.yaml': 'scenes:\n  - scirpt: hi\n' });
    const bad = await cli(['-C', dir, 'gc', '--older-than', '30']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('must be 0 or a number with a unit');
    const r = await cli(['-C', dir, 'gc', '--older-than', '0', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'E_INVALID_MANIFESTS' } });
    expect(existsSync(old)).toBe(true);
  });
});
