/**
 * Default ids (a manifest's path under the manifests root, without extension) are worked out by
 * string work in the usual case (index.ts, quickRelative): they must be exactly the ids the full
 * path.resolve / path.relative computation gives, or a video would get a new id on a cold load.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultIdFor } from '../../src/manifest/index.js';

/** The computation by paths alone, as defaultIdFor did it before its quick path. */
function byPaths(rel: string, root: string, manifestsRoot: string): string {
  const abs = path.resolve(root, rel);
  let r = path.relative(path.resolve(root, manifestsRoot), abs);
  if (r.startsWith('..') || path.isAbsolute(r)) r = path.relative(root, abs);
  return r.split(path.sep).join('/').replace(/\.ya?ml$/i, '');
}

const root = path.resolve('/tmp/project');
const segment = fc.constantFrom('videos', 'v', 'a b', 'é', '.', '..', '..x', 'x..', '', 'welcome', 'videos.yaml', 'ab');
const relPath = fc.array(segment, { minLength: 1, maxLength: 4 }).chain((segs) =>
  fc.constantFrom('.yaml', '.yml', '.YAML', '', '/').map((ext) => segs.join('/') + ext),
);

describe('defaultIdFor', () => {
  it.each([
    ['videos/welcome.yaml', 'videos', 'welcome'],
    ['videos/g0/a.yml', 'videos', 'g0/a'],
    ['other/a.yaml', 'videos', 'other/a'],
    ['a.yaml', '.', 'a'],
    ['videos/..x.yaml', 'videos', 'videos/..x'],
    ['../outside/a.yaml', 'videos', '../outside/a'],
    ['videos', 'videos', ''],
    ['videosx/a.yaml', 'videos', 'videosx/a'],
    ['videos/a.yaml', './videos/', 'a'],
    ['videos/a.yaml', '..', 'project/videos/a'],
  ])('%s under %s is %s', (rel, manifestsRoot, id) => {
    expect(defaultIdFor(rel, root, manifestsRoot)).toBe(id);
    expect(defaultIdFor(rel, root, manifestsRoot)).toBe(byPaths(rel, root, manifestsRoot));
  });

  it('gives the ids the full path computation gives, for any path and manifests root', () => {
    fc.assert(
      fc.property(relPath, relPath, (rel, manifestsRoot) => defaultIdFor(rel, root, manifestsRoot) === byPaths(rel, root, manifestsRoot)),
      { numRuns: 3000 },
    );
  });
});
