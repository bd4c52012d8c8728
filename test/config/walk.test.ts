import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { walkManifests } from '../../src/config/walk.js';

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/.heygen/**'];

function tree(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-walk-'));
  for (const rel of files) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), 'x\n');
  }
  return dir;
}

/** What discovery's glob answers, with its ignores, for the same patterns. */
async function globbed(root: string, patterns: string[], outDir: string, lockfile: string): Promise<string[]> {
  const files = await glob(patterns, { cwd: root, absolute: true, ignore: [...IGNORE, `${outDir}/**`, lockfile], expandDirectories: false, dot: false });
  return [...new Set(files)].sort();
}

const FILES = [
  'videos/a.yaml', 'videos/b.yml', 'videos/deep/er/c.yaml', 'videos/C.YAML', 'videos/notes.md', 'videos/.hidden.yaml',
  'videos/.drafts/d.yaml', 'videos/node_modules/pkg/e.yaml', 'videos/out/f.yaml', 'videos/with space/g.yaml',
  'videos/dots.in.name/h.yaml', 'videos/yaml', 'videos/x.yaml.bak', 'top.yaml', 'heygen.lock.yaml', 'out/o.yaml',
  '.heygen/cache/i.yaml', 'node_modules/j.yaml', 'examples/k.yaml', 'examples/l.yml',
];

describe('walkManifests: the usual globs without tinyglobby', () => {
  it('finds exactly what the glob finds, ignores included', async () => {
    const root = tree(FILES);
    for (const patterns of [['videos/**/*.yaml'], ['videos/**/*.{yaml,yml}'], ['**/*.yaml'], ['**/*.{yaml,yml}'], ['videos/**/*.yaml', 'examples/**/*.yml'], ['missing/**/*.yaml'], ['videos/a.yaml/**/*.yaml'], ['videos/*.yaml'], ['videos/*.{yaml,yml}'], ['*.yaml'], ['videos/deep/*.yaml', 'examples/*.yml'], ['missing/*.yaml'], ['videos/a.yaml/*.yaml']]) {
      for (const [outDir, lockfile] of [['out', 'heygen.lock.yaml'], ['videos/out', 'videos/a.yaml']]) {
        const walked = walkManifests(root, patterns, outDir!, lockfile!);
        expect(walked, `${patterns.join(' ')} out=${outDir}`).toEqual(await globbed(root, patterns, outDir!, lockfile!));
      }
    }
  });

  it('leaves every other pattern, and a tree with a symbolic link, to the glob', () => {
    const root = tree(['videos/a.yaml']);
    for (const p of ['./videos/*.yaml', 'videos/*/*.yaml', 'videos/**/*.yaml/*.yaml', './videos/**/*.yaml', 'videos/**/a.yaml', 'vid*/**/*.yaml', '!videos/**/*.yaml', '../x/**/*.yaml', 'videos/**/*.y?ml', '/abs/**/*.yaml']) {
      expect(walkManifests(root, [p], 'out', 'heygen.lock.yaml'), p).toBeUndefined();
    }
    expect(walkManifests(root, ['videos/**/*.yaml'], './out', 'heygen.lock.yaml')).toBeUndefined();
    expect(walkManifests(root, [], 'out', 'heygen.lock.yaml')).toBeUndefined();
    symlinkSync(join(root, 'videos'), join(root, 'videos', 'loop'));
    expect(walkManifests(root, ['videos/**/*.yaml'], 'out', 'heygen.lock.yaml')).toBeUndefined();
    expect(walkManifests(root, ['videos/*.yaml'], 'out', 'heygen.lock.yaml')).toBeUndefined();
  });
});

describe('manifestsRoot and patterns without tinyglobby', () => {
  it('agrees with tinyglobby on what is a glob', async () => {
    const { isDynamicPattern } = await import('tinyglobby');
    const { manifestsRoot, resolveConfig } = await import('../../src/config/index.js');
    for (const first of ['videos/**/*.yaml', 'a/b/*.yml', 'a/{b,c}/*.yaml', 'a/[bc]/x.yaml', 'a/b?/x.yaml', 'a\\*b/c/*.yaml', 'a/!(b)/x.yaml', 'x.yaml', './v/**/*.yaml', 'my videos/**/*.yaml']) {
      const parts = first.split('/');
      const fixed: string[] = [];
      for (const p of parts.slice(0, -1)) {
        if (isDynamicPattern(p)) break;
        fixed.push(p);
      }
      const config = resolveConfig({ manifests: [first] }, { root: '/p', env: {} });
      expect(manifestsRoot(config), first).toBe(fixed.join('/').replace(/^\.\/?/, ''));
    }
  });
});
