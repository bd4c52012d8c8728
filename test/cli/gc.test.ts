/** `heygen-build gc` as typed: its report, its JSON, its flags' errors. */
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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

  it('--dry-run lists each file gc then removes, with its size and the total, stale temps of killed processes included', async () => {
    const { dir } = withOldDraft({ 'videos/a.yaml': 'scenes:\n  - script: hi\n' });
    const DEAD = 999_999_999;
    const put = (rel: string, bytes: number, ageMs = 0): void => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), 'x'.repeat(bytes));
      if (ageMs) utimesSync(join(dir, rel), new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
    };
    const twoHours = 2 * 3_600_000;
    put(`.heygen.lock.yaml.${DEAD}.0a1b2c3d4e5f.tmp`, 300); // a lockfile write a killed build left
    put(`.heygen/drafts/.k.mp4.${DEAD}.0a1b2c3d4e5f.tmp.mp4`, 4000); // a draft render's temp, its process gone
    put('.heygen/drafts/old.mp4.part', 500, twoHours); // an earlier version's temp name, in an area: listed once, as a temp
    put('.heygen/tmp/abc123.mp4', 700, twoHours); // a draft render killed before it was cached
    put(`.heygen/drafts/.live.mp4.${process.pid}.0a1b2c3d4e5f.tmp.mp4`, 100); // a live writer's: kept
    // Every file but the manifest cache, which loading the project (re)writes.
    const files = (): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
        .filter((f) => f !== '.heygen/cache/manifests.json')
        .sort();
    const before = files();

    const human = await cli(['-C', dir, 'gc', '--dry-run', '--older-than', '0']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => l.trim().split(/\s{2,}/))).toEqual([
      [`.heygen/drafts/${'a'.repeat(64)}.mp4`, '2 KB'],
      [`.heygen.lock.yaml.${DEAD}.0a1b2c3d4e5f.tmp`, '300 B'],
      [`.heygen/drafts/.k.mp4.${DEAD}.0a1b2c3d4e5f.tmp.mp4`, '4 KB'],
      ['.heygen/drafts/old.mp4.part', '500 B'],
      ['.heygen/tmp/abc123.mp4', '700 B'],
    ]);
    expect(lines.at(-1)).toBe('would remove 5 files (8 KB); run without --dry-run to remove them');
    expect(files()).toEqual(before);

    const dry = JSON.parse((await cli(['-C', dir, 'gc', '--dry-run', '--older-than', '0', '--json'])).stdout) as { removed: { path: string; area: string; bytes: number }[]; bytes: number };
    expect(dry.removed.map((f) => [f.area, f.bytes])).toEqual([['drafts', 2000], ['temp', 300], ['temp', 4000], ['temp', 500], ['temp', 700]]);
    expect(dry.bytes).toBe(7500);
    expect(files()).toEqual(before);

    // gc removes exactly what the dry run listed, and says so file for file in --json.
    const real = JSON.parse((await cli(['-C', dir, 'gc', '--older-than', '0', '--json'])).stdout) as { dry_run: boolean; removed: unknown[]; bytes: number };
    expect(real).toMatchObject({ dry_run: false, removed: dry.removed, bytes: dry.bytes });
    const gone = new Set(dry.removed.map((f) => f.path));
    expect(files()).toEqual(before.filter((f) => !gone.has(f)));
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
