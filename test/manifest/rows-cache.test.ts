/**
 * The rows cache on warm runs: what it skips must still see every change it depends on (the data
 * file's bytes, the template's), in the checks across files too.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { rowsConfig, rowsProject, TEMPLATE } from './rows-helpers.js';

const PLAIN = `id: hi/9
avatar: presenter
scenes:
  - script: Hello, everyone.
`;

/** A rows manifest next to a plain one, loaded with the caches on. */
function project(): { root: string; run: () => Promise<LoadResult> } {
  const root = rowsProject({ 'a.yaml': TEMPLATE, 'b.yaml': PLAIN, 'people.csv': 'id,name\n1,Ann\n2,Bo\n' });
  const config = rowsConfig(root);
  const run = (): Promise<LoadResult> => loadManifests(['a.yaml', 'b.yaml'].map((f) => path.join(root, f)), { config, manifestsRoot: '.', cache: true });
  return { root, run };
}

const codes = (r: LoadResult): string[] => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('checks across files with a rows manifest', () => {
  it('a data edit that gives a row the id of another manifest is reported after clean warm runs', async () => {
    const { root, run } = project();
    expect(codes(await run())).toEqual([]);
    expect(codes(await run())).toEqual([]);
    writeFileSync(path.join(root, 'people.csv'), 'id,name\n1,Ann\n9,Bo\n');
    const r = await run();
    expect(codes(r)).toEqual(['E_DUPLICATE_ID']);
    // The first manifest by path keeps the id; the other is not built.
    expect(r.specs.map((s) => `${s.source} ${s.id}`)).toEqual(['a.yaml hi/1', 'a.yaml hi/9']);
    // Still reported when nothing changes again (a run with problems records no clean check).
    expect(codes(await run())).toEqual(['E_DUPLICATE_ID']);
  });

  it('a template edit that makes a row write another video\'s output is reported after clean warm runs', async () => {
    const { root, run } = project();
    await run();
    expect(codes(await run())).toEqual([]);
    writeFileSync(path.join(root, 'a.yaml'), TEMPLATE.replace('avatar: presenter', 'output: out/hi/9.mp4\navatar: presenter'));
    expect(codes(await run())).toContain('E_DUPLICATE_OUTPUT');
  });
});
