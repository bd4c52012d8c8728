import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests, type LoadResult } from '../../src/manifest/index.js';
import { resolveDimension } from '../../src/manifest/resolve/index.js';
import { lookupAlias } from '../../src/manifest/aliases.js';
import { mergeDefaults } from '../../src/manifest/merge.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { makeConfig } from './config.js';
import { cleanup, fixture, makeProject } from './helpers.js';

const ROOT = fixture('basic');
const DEFAULTS = { dimension: '1080p', background: '#0f172a', tags: ['company'], translations: ['de'] };

function digest(rel: string): { sha256: string; size: number } {
  const bytes = readFileSync(path.join(ROOT, rel));
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

const presenter = { id: 'Daisy-inskirt-20220818', label: 'presenter', style: 'normal', scale: 1, offset: { x: 0, y: 0 } } as const;
const narrator = { id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', label: 'narrator', speed: 1, pitch: 0 } as const;

let result: LoadResult;
const byId = (id: string): VideoSpec | undefined => result.specs.find((s) => s.id === id);

beforeAll(async () => {
  const files = ['videos/intro.yaml', 'videos/tours/a.yaml', 'videos/raw.yml'].map((f) => path.join(ROOT, f));
  result = await loadManifests(files, { config: makeConfig(ROOT, { defaults: DEFAULTS }), manifestsRoot: 'videos', cache: false });
});

describe('resolution to VideoSpec', () => {
  it('loads the fixture project without problems, specs sorted by source', () => {
    // The fixture's `upbeat` voice asks for an emotion, which HeyGen v3 cannot render: a warning, never an error.
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...new Set(result.diagnostics.map((d) => d.code))]).toEqual(['W_V3_EMOTION']);
    expect(result.specs.map((s) => s.source)).toEqual(['videos/intro.yaml', 'videos/raw.yml', 'videos/tours/a.yaml']);
  });

  it('applies defaults under the manifest and takes the voice from the avatar alias', () => {
    expect(byId('intro')).toEqual({
      id: 'intro',
      source: 'videos/intro.yaml',
      title: 'Intro',
      tags: ['company'],
      output: 'out/intro.mp4',
      dimension: { width: 1920, height: 1080 },
      caption: 'none',
      avatar: presenter,
      voice: narrator,
      background: { type: 'color', color: '#0F172A' },
      scenes: [{ input: { type: 'script', text: 'Hello from the intro.' } }],
      translations: [{ language: 'de', mode: 'speed', captions: false, audioOnly: false }],
    } satisfies VideoSpec);
  });

  it('resolves aliases in map form, relative paths from the manifest folder, scene overrides, output', () => {
    expect(byId('tour-a')).toEqual({
      id: 'tour-a',
      source: 'videos/tours/a.yaml',
      tags: ['tour'], // a manifest list replaces the default list
      output: 'renders/tour-a.mp4',
      dimension: { width: 720, height: 1280 },
      caption: 'none',
      avatar: { id: 'Tyler-incasualsuit-20220721', label: 'host', style: 'normal', scale: 0.8, offset: { x: 0, y: 0 } },
      voice: { id: '1bd001e7e50f421d891986aad5158bc8', label: 'upbeat', speed: 1, pitch: 0, emotion: 'Friendly' },
      // An image background replaces the default color rather than merging with it.
      background: { type: 'image', source: { kind: 'local', path: 'videos/tours/img/bg.png', ...digest('videos/tours/img/bg.png') }, fit: 'cover' },
      scenes: [
        { input: { type: 'script', text: 'Scene one.' } },
        {
          input: { type: 'audio', source: { kind: 'local', path: 'assets/voice.mp3', ...digest('assets/voice.mp3') } },
          background: { type: 'video', source: { kind: 'url', url: 'https://example.com/loop.mp4' }, play: 'once', fit: 'cover' },
        },
        // A scene that switches to an alias with a voice gets that voice.
        { input: { type: 'silence', seconds: 2 }, avatar: presenter, voice: narrator },
      ],
      translations: [],
    } satisfies VideoSpec);
  });

  it('uses strings that are not alias-like as raw ids, and resolves captions, aspect and translation options', () => {
    expect(byId('raw')).toEqual({
      id: 'raw',
      source: 'videos/raw.yml',
      tags: ['company'],
      output: 'out/raw.mp4',
      dimension: { width: 1080, height: 1920 },
      caption: 'burn',
      avatar: { ...presenter, label: 'Daisy-inskirt-20220818' },
      voice: { id: 'anna', label: 'anna', speed: 1, pitch: -10, locale: 'en-GB' },
      background: { type: 'color', color: '#FF0000' },
      scenes: [{ input: { type: 'script', text: 'Raw ids <break time="0.5s"/> work too.' } }],
      translations: [{ language: 'Spanish (Spain)', mode: 'speed', captions: false, audioOnly: true }],
    } satisfies VideoSpec);
  });

  it('accepts the same file twice or through a non-normal path, and loads it once', async () => {
    const r = await loadManifests([`${ROOT}/videos/./intro.yaml`, path.join(ROOT, 'videos/intro.yaml'), 'videos/intro.yaml'], {
      config: makeConfig(ROOT, { defaults: DEFAULTS }),
      manifestsRoot: 'videos',
      cache: false,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.specs.map((s) => s.source)).toEqual(['videos/intro.yaml']);
  });

  it('omits optional keys instead of setting them to undefined (stable hashing)', () => {
    for (const spec of result.specs) {
      const walk = (v: unknown): void => {
        if (v && typeof v === 'object') for (const x of Object.values(v)) {
          expect(x).not.toBeUndefined();
          walk(x);
        }
      };
      walk(spec);
    }
  });
});

describe('defaults merge', () => {
  it('merges maps key by key; lists and scalars from the manifest win', () => {
    const m = mergeDefaults(
      { voice: 'narrator', tags: ['a'], caption: true, avatar: { id: 'presenter', scale: 2 } },
      { voice: { speed: 1.2 }, tags: ['b'], avatar: { scale: 0.5 } },
    );
    expect(m.value).toEqual({ voice: { id: 'narrator', speed: 1.2 }, tags: ['b'], caption: true, avatar: { id: 'presenter', scale: 0.5 } });
    expect([...m.fromDefaults].sort()).toEqual(['avatar/id', 'caption', 'voice/id']);
  });

  it('widens a bare alias to `alias` and a bare id to `id`, so a map over it keeps the alias rule', () => {
    const tables = { avatar: { presenter: {} }, voice: { narrator: {} } };
    const alias = mergeDefaults({ voice: 'narrator', avatar: 'Daisy-inskirt-20220818' }, { voice: { speed: 1.2 }, avatar: { scale: 0.5 } }, tables);
    expect(alias.value).toEqual({ voice: { alias: 'narrator', speed: 1.2 }, avatar: { id: 'Daisy-inskirt-20220818', scale: 0.5 } });
    // A map naming its own voice is a different voice: nothing of the default's is kept.
    const own = mergeDefaults({ voice: { alias: 'narrator', pitch: 5 } }, { voice: { id: 'abc123abc123', speed: 1.2 } }, tables);
    expect(own.value).toEqual({ voice: { id: 'abc123abc123', speed: 1.2 } });
  });

  it('does not merge different kinds of background or dimension', () => {
    expect(mergeDefaults({ background: { color: '#000000' } }, { background: { image: 'a.png' } }).value).toEqual({ background: { image: 'a.png' } });
    expect(mergeDefaults({ background: '#000000' }, { background: { image: 'a.png' } }).value).toEqual({ background: { image: 'a.png' } });
    expect(mergeDefaults({ background: { image: 'a.png', fit: 'contain' } }, { background: { image: 'b.png' } }).value).toEqual({
      background: { image: 'b.png', fit: 'contain' },
    });
    expect(mergeDefaults({ dimension: '720p' }, { dimension: { orientation: 'portrait' } }).value).toEqual({
      dimension: { preset: '720p', orientation: 'portrait' },
    });
    expect(mergeDefaults({ dimension: '16:9' }, { dimension: { width: 800, height: 600 } }).value).toEqual({ dimension: { width: 800, height: 600 } });
  });

  it('paths in defaults are relative to the project root, not to the manifest', async () => {
    const root = makeProject({
      'brand/bg.png': 'bytes',
      'videos/deep/v.yaml': 'avatar: presenter\nscenes:\n  - script: hi\n',
    });
    try {
      const r = await loadManifests([path.join(root, 'videos/deep/v.yaml')], {
        config: makeConfig(root, { defaults: { background: { image: 'brand/bg.png' } } }),
        manifestsRoot: 'videos',
        cache: false,
      });
      expect(r.diagnostics).toEqual([]);
      expect(r.specs[0]?.id).toBe('deep/v');
      expect(r.specs[0]?.background).toMatchObject({ type: 'image', source: { kind: 'local', path: 'brand/bg.png', size: 5 } });
    } finally {
      cleanup(root);
    }
  });

  it('a voice in defaults satisfies script scenes (without an avatar, whose default voice could speak them)', async () => {
    const root = makeProject({ 'v.yaml': 'scenes:\n  - script: hi\n' });
    try {
      const load = (defaults: Record<string, unknown>) =>
        loadManifests([path.join(root, 'v.yaml')], { config: makeConfig(root, { defaults }), manifestsRoot: '.', cache: false });
      expect((await load({})).diagnostics.map((d) => d.code)).toEqual(['E_NO_VOICE']);
      const r = await load({ voice: 'upbeat' });
      expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'W_V3_EMOTION']]);
      expect(r.specs[0]?.voice?.label).toBe('upbeat');
    } finally {
      cleanup(root);
    }
  });
});

describe('aliases and dimensions', () => {
  const table = { presenter: 1, host: 2 };
  it('follows the alias rule', () => {
    expect(lookupAlias('presenter', table)).toEqual({ kind: 'alias', name: 'presenter', value: 1 });
    expect(lookupAlias('hots', table)).toEqual({ kind: 'unknown', name: 'hots', suggestion: 'host' });
    expect(lookupAlias('narrator', table)).toEqual({ kind: 'unknown', name: 'narrator' });
    expect(lookupAlias('Daisy-inskirt-20220818', table)).toEqual({ kind: 'id', id: 'Daisy-inskirt-20220818' });
    expect(lookupAlias('2d5b0e6cf36f460aa7fc47e3eee4ba54', table)).toEqual({ kind: 'id', id: '2d5b0e6cf36f460aa7fc47e3eee4ba54' });
  });

  it('resolves presets, orientations, aspects and sizes', () => {
    expect(resolveDimension(undefined)).toEqual({ width: 1280, height: 720 });
    expect(resolveDimension('1080p')).toEqual({ width: 1920, height: 1080 });
    expect(resolveDimension({ preset: '1080p', orientation: 'square' })).toEqual({ width: 1080, height: 1080 });
    expect(resolveDimension({ preset: '720p', orientation: 'portrait' })).toEqual({ width: 720, height: 1280 });
    expect(resolveDimension('4:5')).toEqual({ width: 1080, height: 1350 });
    expect(resolveDimension('5:4')).toEqual({ width: 1350, height: 1080 });
    expect(resolveDimension('4:3')).toEqual({ width: 1440, height: 1080 });
    expect(resolveDimension({ width: 640, height: 480 })).toEqual({ width: 640, height: 480 });
  });
});
