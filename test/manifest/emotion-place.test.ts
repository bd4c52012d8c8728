/** W_V3_EMOTION points where the emotion comes from: the manifest's emotion, voice or avatar, or the config's defaults. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.js';
import { EXAMPLE_ALIASES, makeConfig } from './config.js';
import { cleanup, makeProject, posOf } from './helpers.js';

const roots: string[] = [];
afterAll(() => roots.forEach(cleanup));

const config = (root: string, defaults: Record<string, unknown> = {}): ReturnType<typeof makeConfig> =>
  makeConfig(root, {
    defaults,
    avatars: { ...EXAMPLE_ALIASES.avatars, cheery: { id: 'Tyler-incasualsuit-20220721', voice: 'upbeat' } },
  });

async function warnings(text: string, defaults?: Record<string, unknown>): Promise<{ file: string; found: { at: string; message: string; hint: string | undefined }[] }> {
  const root = makeProject({ 'a.yaml': text });
  roots.push(root);
  const r = await loadManifests([path.join(root, 'a.yaml')], { config: config(root, defaults), manifestsRoot: '.', cache: false });
  const found = r.diagnostics
    .filter((d) => d.code === 'W_V3_EMOTION')
    .map((d) => ({ at: `${d.location?.file}:${d.location?.line}:${d.location?.column}`, message: d.message, hint: d.hint }));
  return { file: path.join(root, 'a.yaml'), found };
}

const place = (file: string, needle: string, after?: string): string => {
  const p = posOf(file, needle, after);
  return `a.yaml:${p.line}:${p.column}`;
};

describe('W_V3_EMOTION', () => {
  it('points at the avatar or voice whose config alias brings the emotion, and names the alias', async () => {
    const { file, found } = await warnings(`avatar: cheery
scenes:
  - script: One
  - script: Two
    voice: upbeat
  - script: Three
    voice: {alias: narrator, emotion: Soothing}
`);
    const from = '(emotion "Friendly" from the voice alias "upbeat" in heygen.config.ts)';
    expect(found).toEqual([
      { at: place(file, 'cheery'), message: expect.stringContaining(from), hint: 'remove emotion from the voice alias "upbeat" in heygen.config.ts (the avatar alias "cheery" speaks with it), or set `voice:` here' },
      { at: place(file, 'upbeat'), message: expect.stringContaining(from), hint: 'remove emotion from the voice alias "upbeat" in heygen.config.ts, or use another voice here' },
      { at: place(file, 'Soothing'), message: expect.not.stringContaining('alias'), hint: 'remove emotion to render this video with HeyGen' },
    ]);
  });

  it('points at the scene avatar that brings it, and at the config when defaults bring it', async () => {
    const scene = await warnings(`voice: narrator
scenes:
  - script: One
  - script: Two
    avatar: cheery
`);
    expect(scene.found.map((f) => f.at)).toEqual([place(scene.file, 'cheery')]);
    const byDefaults = await warnings('scenes:\n  - script: One\n', { avatar: 'cheery' });
    expect(byDefaults.found).toHaveLength(1);
    expect(byDefaults.found[0]!.at).toMatch(/^heygen\.config\.ts:/);
    expect(byDefaults.found[0]!.message).toContain('(from defaults in heygen.config.ts)');
  });
});
