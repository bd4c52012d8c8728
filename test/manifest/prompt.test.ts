/** `prompt:` manifests: the spec Video Agent is asked with, and what a prompt video cannot take, at file:line:col. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

async function load(files: Record<string, string>, defaults: Record<string, unknown> = {}) {
  const root = makeProject(files);
  roots.push(root);
  const config = { ...makeConfig(root), defaults };
  const manifests = Object.keys(files).filter((f) => f.endsWith('.yaml')).map((f) => path.join(root, f));
  return loadManifests(manifests, { config, manifestsRoot: '.', cache: false });
}

describe('prompt manifests', () => {
  it('resolve to a prompt spec: files digested, the stated length, only the avatar and voice the manifest writes', async () => {
    const r = await load(
      {
        'a.yaml': 'prompt: A 45-second explainer of our API.\norientation: portrait\nstyle: sty_1\nbrand_kit: bk_1\nfiles: [img/logo.png, "https://example.com/x.pdf"]\n',
        'img/logo.png': 'png-bytes',
      },
      { avatar: { id: 'Daisy-inskirt-20220818' }, voice: { id: 'v1' }, background: '#000000', dimension: '720p' },
    );
    expect(r.diagnostics).toEqual([]);
    const s = r.specs[0]!;
    expect(s.prompt).toMatchObject({
      text: 'A 45-second explainer of our API.',
      orientation: 'portrait',
      style: 'sty_1',
      brandKit: 'bk_1',
      seconds: 45,
      statedAs: '45-second',
      files: [{ kind: 'local', path: 'img/logo.png', size: 9 }, { kind: 'url', url: 'https://example.com/x.pdf' }],
    });
    // The config's defaults choose nothing for the agent, and no size or background applies.
    expect([s.avatar, s.voice, s.background]).toEqual([undefined, undefined, undefined]);
    expect(s.dimension).toEqual({ width: 1080, height: 1920 });
    expect(s.scenes).toEqual([]);
  });

  it('an avatar the manifest writes is sent, with the voice its alias brings', async () => {
    const r = await load({ 'a.yaml': 'prompt: Hello.\navatar: {id: Tyler-incasualsuit-20220721}\nvoice: {id: v9}\n' });
    expect(r.diagnostics).toEqual([]);
    expect([r.specs[0]!.avatar?.id, r.specs[0]!.voice?.id]).toEqual(['Tyler-incasualsuit-20220721', 'v9']);
  });

  it('refuses what Video Agent cannot take, and prompt-only keys elsewhere, each at its key', async () => {
    const r = await load({
      'placement.yaml': 'prompt: Hello.\navatar:\n  id: Daisy-inskirt-20220818\n  scale: 0.5\nvoice: {id: v1, speed: 1.2}\n',
      'frame.yaml': 'prompt: Hello.\ndimension: 1080p\nbackground: "#000000"\n',
      'scenes.yaml': 'scenes:\n  - script: Hi.\nvoice: {id: v1}\norientation: portrait\nfiles: [a.png]\n',
      'audio.yaml': 'prompt: Hello.\noutput: out/a.mp3\n',
      'overlay.yaml': 'prompt: Hello.\ntext:\n  - value: Title\n',
      'render.yaml': 'prompt: Hello.\nengine: avatar_v\ntransparent: true\n',
    });
    const by = (f: string) => r.diagnostics.filter((d) => d.location?.file === f).map((d) => [d.code, d.location?.line, d.location?.column]);
    expect(by('placement.yaml')).toEqual([['E_SCHEMA', 4, 3], ['E_SCHEMA', 5, 17]]);
    expect(by('frame.yaml')).toEqual([['E_SCHEMA', 2, 1], ['E_SCHEMA', 3, 1]]);
    expect(by('scenes.yaml')).toEqual([['E_SCHEMA', 4, 1], ['E_SCHEMA', 5, 1]]);
    expect(by('audio.yaml')).toEqual([['E_OUTPUT', 2, 9]]);
    expect(by('overlay.yaml')).toEqual([['E_SCHEMA', 2, 1]]);
    expect(by('render.yaml').filter(([, line]) => line === 2 || line === 3).map(([code, line]) => [code, line])).toEqual(expect.arrayContaining([['E_SCHEMA', 2], ['E_SCHEMA', 3]]));
    expect(r.diagnostics.find((d) => d.location?.file === 'frame.yaml')?.hint).toContain('orientation');
  });
});
