/** Which paths a watch ignores and which folders it watches: pure path arithmetic. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globBase, isIgnoredPath, manifestFolders, minimalFolders, missingAssetPath } from '../../src/watch/paths.js';

const root = '/proj';
const project = { root, outDir: 'out', lockfile: 'heygen.lock.yaml' };
const at = (rel: string): string => join(root, rel);

describe('isIgnoredPath', () => {
  it.each([
    'out/welcome.draft.mp4',
    'out/nested/x.yaml',
    '.heygen/drafts/abc.mp4',
    '.heygen/cache/manifests.json',
    'heygen.lock.yaml',
    '.heygen.lock.yaml.123.abcdef.tmp',
    'videos/.welcome.yaml.swp',
    'videos/welcome.yaml~',
    'videos/.#welcome.yaml',
    'videos/.out.mp4.1a2b3c.part',
    'videos/4913',
    'node_modules/pkg/video.yaml',
    '.git/HEAD',
  ])('ignores %s', (rel) => {
    expect(isIgnoredPath(project, at(rel))).toBe(true);
  });

  it.each(['videos/welcome.yaml', 'assets/bg.png', 'heygen.config.ts', '.env', 'output/x.yaml', 'videos/out/x.yaml'])('watches %s', (rel) => {
    expect(isIgnoredPath(project, at(rel))).toBe(false);
  });

  it('follows the configured out folder and lockfile', () => {
    const custom = { root, outDir: 'videos/rendered/', lockfile: 'locks/videos.lock.yaml' };
    expect(isIgnoredPath(custom, at('videos/rendered/a.yaml'))).toBe(true);
    expect(isIgnoredPath(custom, at('locks/videos.lock.yaml'))).toBe(true);
    expect(isIgnoredPath(custom, at('out/a.yaml'))).toBe(false);
  });

  it('never ignores the project root itself, nor assets outside it', () => {
    expect(isIgnoredPath(project, root)).toBe(false);
    expect(isIgnoredPath(project, '/shared/media/bg.png')).toBe(false);
  });
});

describe('watched folders', () => {
  it('takes the fixed part of a glob', () => {
    expect(globBase('videos/**/*.yaml')).toBe('videos');
    expect(globBase('./videos/*.{yaml,yml}')).toBe('videos');
    expect(globBase('content/en/**/*.yaml')).toBe('content/en');
    expect(globBase('**/*.yaml')).toBe('');
    expect(globBase('videos/intro.yaml')).toBe('videos');
  });

  it('watches the config globs, or the given paths instead', () => {
    expect(manifestFolders(root, root, ['videos/**/*.yaml', 'videos/extra/*.yml', 'more/*.yaml'], [])).toEqual([at('more'), at('videos')]);
    expect(manifestFolders(root, at('sub'), ['videos/**/*.yaml'], ['clips', 'x/**/*.yml'])).toEqual([at('sub/clips'), at('sub/x')]);
    // A single file is watched through its folder, which covers the others here.
    expect(manifestFolders(root, at('sub'), ['videos/**/*.yaml'], ['a.yaml', 'clips', 'x/**/*.yml'])).toEqual([at('sub')]);
  });

  it('drops folders inside others', () => {
    expect(minimalFolders(['/a/b', '/a', '/c', '/ab'])).toEqual(['/a', '/ab', '/c']);
  });

  it('reads the asset path out of a missing-asset message', () => {
    expect(missingAssetPath('background image "bg.png" not found (looked for videos/bg.png); did you mean "bg.jpg"?')).toBe('videos/bg.png');
    expect(missingAssetPath('something else')).toBeUndefined();
  });
});
