import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { loadExamples } from './examples-load.js';

describe('the examples/ project', () => {
  it('validates clean with the repo config (defaults 720p on #0F172A)', async () => {
    // The repository's own heygen.config.ts, as `npx heygen-build` loads it.
    const r = await loadExamples();
    expect(r.diagnostics).toEqual([]);
    // A template video: the defaults' background does not apply, and no size is forced on the template.
    const tpl = r.specs.find((s) => s.id === 'welcome-template');
    expect(tpl?.template).toMatchObject({ id: 'tpl_welcome', variables: { first_name: 'Ada', company: 'Acme Robotics' } });
    expect(tpl?.template?.dimension).toBeUndefined();
    expect(tpl?.background).toBeUndefined();
    expect(r.specs.map((s) => s.id)).toEqual([
      'launch-prompt',
      'onboarding',
      'photo-avatar',
      'podcast-intro',
      'product-tour',
      'webinar-dub',
      'welcome-rows/ac-101',
      'welcome-rows/ac-102',
      'welcome-rows/ac-103',
      'welcome-template',
      'welcome',
    ]);
    // A prompt video: the defaults' size and background do not apply; its file is digested like any asset.
    const prompt = r.specs.find((s) => s.id === 'launch-prompt');
    expect(prompt?.prompt).toMatchObject({ orientation: 'landscape', seconds: 20, statedAs: '20 seconds', files: [{ kind: 'local', path: 'examples/assets/tour-bg.png' }, { kind: 'url' }] });
    expect(prompt?.background).toBeUndefined();
    // A voiceover (audio output, with its sidecar) and a dub (a source, no scenes).
    expect(r.specs.find((s) => s.id === 'podcast-intro')).toMatchObject({ output: 'out/podcast-intro.mp3', caption: 'file' });
    expect(r.specs.find((s) => s.id === 'webinar-dub')).toMatchObject({ scenes: [], dub: { video: { kind: 'local', path: 'examples/assets/webinar-clip.mp4' } } });
    // The personalized example: one video per CSV row, scenes chosen by plan.
    const free = r.specs.find((s) => s.id === 'welcome-rows/ac-102');
    expect(free?.title).toBe('Welcome, Ben (Harbor & Sons, Ltd.)');
    expect(free?.scenes.map((s) => (s.input.type === 'script' ? s.input.text : '')).join(' ')).toContain('example.com/start/harbor-sons-ltd');
    expect(r.specs.find((s) => s.id === 'welcome-rows/ac-103')?.scenes).toHaveLength(3);
    const tour = r.specs.find((s) => s.id === 'product-tour');
    expect(tour?.scenes.map((s) => s.background?.type)).toEqual(['color', 'image', 'color']);
    // The middle scene is a narrated slide (no avatar); the last switches to the host.
    expect(tour?.scenes[1]?.avatar).toBeUndefined();
    expect(tour?.scenes[1]).toMatchObject({ voice: { label: 'upbeat' } });
    expect(tour?.scenes[2]).toMatchObject({ avatar: { label: 'host' }, voice: { label: 'narrator' } });
    // The photo avatar: its picture is an asset of the video (hashed by its bytes).
    expect(r.specs.find((s) => s.id === 'photo-avatar')?.avatar).toMatchObject({ photo: { kind: 'local', path: 'examples/assets/founder.png' }, expressiveness: 'medium' });
    const onboarding = r.specs.find((s) => s.id === 'onboarding');
    expect(onboarding?.caption).toBe('file');
    expect(onboarding?.translations.map((t) => [t.language, t.mode])).toEqual([
      ['es', 'speed'],
      ['fr-FR', 'precision'],
    ]);
  });

  it('every example points editors at the schema', () => {
    const dir = path.join(REPO, 'examples');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
      const first = readFileSync(path.join(dir, f), 'utf8').split('\n')[0];
      expect(first, f).toBe('# yaml-language-server: $schema=../schema/video.schema.json');
    }
  });
});
