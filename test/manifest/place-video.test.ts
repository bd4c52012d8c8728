/** `locateVideo`: where a manifest declares a video or one of its scenes, for a render HeyGen failed. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { locateVideo } from '../../src/manifest/place.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

async function specs(files: Record<string, string>, defaults: Record<string, unknown> = { avatar: { id: 'Daisy-inskirt-20220818' }, voice: { id: 'v1' } }) {
  const root = makeProject(files);
  roots.push(root);
  const manifests = Object.keys(files).filter((f) => f.endsWith('.yaml')).map((f) => path.join(root, f));
  const r = await loadManifests(manifests, { config: { ...makeConfig(root), defaults }, manifestsRoot: '.', cache: false });
  expect(r.diagnostics).toEqual([]);
  return { root, specs: r.specs };
}

describe('locateVideo', () => {
  it("a scene at its item in scenes:, the video at its first key (past comments); an unreadable manifest nowhere", async () => {
    const { root, specs: [spec] } = await specs({ 'videos/a.yaml': '# intro\ntitle: A\nscenes:\n  - script: One.\n  -   script: Two.\n      background: "#000000"\n' });
    expect(locateVideo(root, spec!, 0)).toEqual({ file: 'videos/a.yaml', line: 4, column: 5 });
    expect(locateVideo(root, spec!, 1)).toEqual({ file: 'videos/a.yaml', line: 5, column: 7 });
    expect(locateVideo(root, spec!)).toEqual({ file: 'videos/a.yaml', line: 2, column: 1 });
    expect(locateVideo(root, { ...spec!, source: 'videos/gone.yaml' }, 0)).toBeUndefined();
  });

  it('rows: a scene at the manifest\'s scene when every row has every scene, else at the row; a row\'s video at its row', async () => {
    const { root, specs: plain } = await specs({
      'people.csv': 'name\nana\nbob\n',
      'videos/p.yaml': 'rows: ../people.csv\nid: p/{{ name }}\nscenes:\n  - script: Hi {{ name }}.\n  - script: Bye.\n',
    });
    const bob = plain.find((s) => s.id === 'p/bob')!;
    expect(locateVideo(root, bob, 1)).toEqual({ file: 'videos/p.yaml', line: 5, column: 5 });
    expect(locateVideo(root, bob)).toEqual({ file: 'people.csv', line: 3, column: 1 });

    const { root: r2, specs: chosen } = await specs({
      'people.csv': 'name,plan\nana,free\nbob,pro\n',
      'videos/w.yaml': 'rows: ../people.csv\nid: w/{{ name }}\nscenes:\n  - script: Free.\n    when: {column: plan, equals: free}\n  - script: Pro.\n',
    });
    // bob's first scene is the manifest's second: said at his row, not at the wrong scene.
    expect(locateVideo(r2, chosen.find((s) => s.id === 'w/bob')!, 0)).toEqual({ file: 'people.csv', line: 3, column: 1 });
  });

  it('a prompt video at prompt:; scenes the config\'s defaults give, at the video', async () => {
    const { root, specs: [agent] } = await specs({ 'videos/agent.yaml': 'title: Agent\nprompt: A short tour.\n' }, {});
    expect(locateVideo(root, agent!)).toEqual({ file: 'videos/agent.yaml', line: 2, column: 1 });
    const { root: r2, specs: [inherited] } = await specs({ 'videos/d.yaml': 'title: D\n' }, { avatar: { id: 'Daisy-inskirt-20220818' }, voice: { id: 'v1' }, scenes: [{ script: 'From defaults.' }] });
    expect(locateVideo(r2, inherited!, 0)).toEqual({ file: 'videos/d.yaml', line: 1, column: 1 });
  });
});
