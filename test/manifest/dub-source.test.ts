/**
 * A dub keeps where its manifest writes `source:` (the checks of the source report there after loading,
 * in `plan` and `build`): the same place whichever parser read the manifest, and from the warm cache.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

async function dubAt(text: string, cache = false) {
  const root = makeProject({ 'videos/webinar.yaml': text, 'videos/webinar.mov': 'not a video' });
  roots.push(root);
  const load = () => loadManifests([path.join(root, 'videos/webinar.yaml')], { config: makeConfig(root), manifestsRoot: '.', cache });
  const cold = await load();
  expect(cold.diagnostics).toEqual([]);
  const at = cold.specs[0]!.dub!.at;
  if (!cache) return at;
  const warm = await load();
  expect(warm.cacheHits).toBe(1);
  expect(warm.specs[0]!.dub!.at).toEqual(at);
  return at;
}

describe("a dub's source position", () => {
  it('is the value of `source:`, found from its own lines in a plain manifest, and kept by the warm cache', async () => {
    expect(await dubAt('# a webinar\n\nsource: webinar.mov\noutput: ../out/webinar.mp4\ntranslations: [es]\n', true)).toEqual({ line: 3, column: 9 });
    expect(await dubAt('output: ../out/webinar.mp4\ntranslations: [es]\nsource:   "webinar.mov"   # quoted\n')).toEqual({ line: 3, column: 11 });
  });

  it('is the same when the whole file is parsed (YAML the fast parse leaves to `yaml`)', async () => {
    // An anchor and a `|` block: the fast parse declines them.
    expect(await dubAt('title: &t Webinar\ndescription: |\n  two\n  lines\nsource: webinar.mov\noutput: ../out/webinar.mp4\ntranslations: [es]\n')).toEqual({ line: 5, column: 9 });
    // A plain value on the line after its key: the fast parse leaves it to `yaml` too.
    expect(await dubAt('output: ../out/webinar.mp4\nsource:\n  webinar.mov\ntranslations: [es]\n')).toEqual({ line: 3, column: 3 });
  });
});
