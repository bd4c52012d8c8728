import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffParts } from '../../src/hash/diff.js';
import { translationKey, videoKey } from '../../src/hash/key.js';
import type { AssetRef, VideoSpec } from '../../src/model/spec.js';
import { mutable, type Mutable, HEX64_A, HEX64_C, localAsset, sampleSpec, specArb } from './specs.js';

const clone = (s: VideoSpec): Mutable<VideoSpec> => mutable(s);

function edited(edit: (s: Mutable<VideoSpec>) => void): VideoSpec {
  const s = clone(sampleSpec());
  edit(s);
  return s;
}

const base = videoKey(sampleSpec());

describe('videoKey', () => {
  it('is a full sha256 with short part digests and a part per local asset', () => {
    expect(base.key).toMatch(/^[0-9a-f]{64}$/);
    expect(base.parts['asset examples/assets/bg.png']).toBe(HEX64_A.slice(0, 8));
    for (const [name, digest] of Object.entries(base.parts)) expect(digest, name).toMatch(/^[0-9a-f]{8}$/);
    expect(Object.keys(base.parts)).toEqual(
      expect.arrayContaining([
        'dimension',
        'caption',
        'avatar.id',
        'avatar.style',
        'voice.speed',
        'background',
        'scenes.length',
        'scenes[0].script',
        'scenes[1].voice.id',
        'scenes[1].background',
        'scenes[2].audio',
        'scenes[3].silence',
        'asset examples/assets/outro.mp3',
      ]),
    );
  });

  it('does not depend on key order', () => {
    const s = sampleSpec();
    const reversed = JSON.parse(JSON.stringify(s, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    )) as VideoSpec;
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(s)[0]);
    expect(videoKey(reversed)).toEqual(base);
  });

  it.each<[string, (s: Mutable<VideoSpec>) => void]>([
    ['title', (s) => (s.title = 'Other')],
    ['description', (s) => (s.description = undefined)],
    ['tags', (s) => s.tags.push('x')],
    ['output', (s) => (s.output = 'elsewhere/intro.mp4')],
    ['id', (s) => (s.id = 'renamed')],
    ['source', (s) => (s.source = 'videos/moved.yaml')],
    ['avatar label', (s) => (s.avatar!.label = 'alias')],
    ['voice label', (s) => (s.voice!.label = 'alias')],
    ['scene voice label', (s) => (s.scenes[1]!.voice!.label = 'alias')],
    ['translations', (s) => s.translations.push({ language: 'fr', mode: 'precision', captions: true, audioOnly: false })],
  ])('keeps the key and parts when only %s changes', (_name, edit) => {
    expect(videoKey(edited(edit))).toEqual(base);
  });

  it.each<[string, (s: Mutable<VideoSpec>) => void, string[]]>([
    ['a script edit', (s) => (s.scenes[1]!.input = { type: 'script', text: 'Changed.' }), ['scenes[1].script']],
    ['voice speed', (s) => (s.voice!.speed = 1.2), ['voice.speed']],
    ['scene voice id', (s) => (s.scenes[1]!.voice!.id = 'other'), ['scenes[1].voice.id']],
    ['dimension', (s) => (s.dimension = { width: 1080, height: 1920 }), ['dimension']],
    ['caption', (s) => (s.caption = 'burn'), ['caption']],
    ['avatar style', (s) => (s.avatar!.style = 'circle'), ['avatar.style']],
    ['silence length', (s) => (s.scenes[3]!.input = { type: 'silence', seconds: 2 }), ['scenes[3].silence']],
    [
      'asset bytes',
      (s) => {
        if (s.background?.type === 'image') s.background.source = localAsset('examples/assets/bg.png', HEX64_C);
      },
      ['asset examples/assets/bg.png'],
    ],
    [
      'an added scene',
      (s) => s.scenes.push({ input: { type: 'script', text: 'One more thing.' } }),
      ['scenes.length', 'scenes[4].script'],
    ],
    [
      'a scene override added',
      (s) => (s.scenes[0]!.background = { type: 'color', color: '#000000' }),
      ['scenes[0].background'],
    ],
    [
      'a background changed to another file',
      (s) => {
        if (s.background?.type === 'image') s.background.source = localAsset('examples/assets/bg2.png', HEX64_C);
      },
      ['asset examples/assets/bg.png', 'asset examples/assets/bg2.png', 'background'],
    ],
  ])('changes the key on %s and names exactly the changed parts', (_name, edit, changed) => {
    const after = videoKey(edited(edit));
    expect(after.key).not.toBe(base.key);
    expect(diffParts(base.parts, after.parts)).toEqual(changed);
  });

  it('changes the key when scenes swap order', () => {
    const after = videoKey(edited((s) => s.scenes.reverse()));
    expect(after.key).not.toBe(base.key);
    expect(diffParts(base.parts, after.parts)).toContain('scenes[0].script');
  });

  it('keeps the key when an asset moves (same bytes, new path), but the parts say so', () => {
    const after = videoKey(
      edited((s) => {
        if (s.background?.type === 'image') s.background.source = localAsset('moved/bg.png');
      }),
    );
    expect(after.key).toBe(base.key);
    expect(diffParts(base.parts, after.parts)).toEqual(['asset examples/assets/bg.png', 'asset moved/bg.png', 'background']);
  });

  it('hashes a URL as the URL', () => {
    const url = (u: string) =>
      videoKey(edited((s) => (s.background = { type: 'image', source: { kind: 'url', url: u }, fit: 'cover' })));
    expect(url('https://a.example/x.png').key).toBe(url('https://a.example/x.png').key);
    expect(url('https://a.example/x.png').key).not.toBe(url('https://a.example/y.png').key);
  });
});

// ---- properties over random specs -------------------------------------------------------

const ENUMS: Record<string, readonly string[]> = {
  style: ['normal', 'closeUp', 'circle'],
  emotion: ['Excited', 'Friendly', 'Serious', 'Soothing', 'Broadcaster'],
  fit: ['cover', 'contain', 'crop', 'none'],
  play: ['loop', 'once', 'freeze', 'fit_to_scene'],
  caption: ['none', 'file', 'burn'],
};
/** Top-level fields that are metadata, never part of the key. */
const TOP_LEVEL_METADATA = new Set(['id', 'source', 'title', 'description', 'tags', 'output', 'translations']);
/** Fields that never change a render on their own: aliases, discriminators, a path (bytes count), size (follows bytes). */
const NOT_A_LEAF = new Set(['label', 'kind', 'type', 'path', 'size']);

type Path = (string | number)[];

/** Every semantic leaf of a spec, as a path. */
function semanticLeaves(spec: VideoSpec): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (path.length === 0 && TOP_LEVEL_METADATA.has(k)) continue;
        if (NOT_A_LEAF.has(k) || x === undefined) continue;
        walk(x, [...path, k]);
      }
    } else out.push(path);
  };
  walk(spec, []);
  return out;
}

function getParent(root: unknown, path: Path): Record<string | number, unknown> {
  let v = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) v = v[p] as Record<string | number, unknown>;
  return v;
}

function allAssets(spec: Mutable<VideoSpec>): Mutable<Extract<AssetRef, { kind: 'local' }>>[] {
  const out: Extract<AssetRef, { kind: 'local' }>[] = [];
  JSON.stringify(spec, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as AssetRef).kind === 'local') out.push(v as Extract<AssetRef, { kind: 'local' }>);
    return v;
  });
  return out;
}

/** The resolver digests each path once: make random specs agree on one sha256 per path. */
function consistent(spec: VideoSpec): VideoSpec {
  const s = clone(spec);
  const byPath = new Map<string, string>();
  const fix = (ref: Mutable<AssetRef> | undefined): void => {
    if (ref?.kind !== 'local') return;
    const known = byPath.get(ref.path);
    if (known) ref.sha256 = known;
    else byPath.set(ref.path, ref.sha256);
  };
  const bg = (b: Mutable<VideoSpec>['background']): void => {
    if (b && b.type !== 'color') fix(b.source);
  };
  bg(s.background);
  for (const sc of s.scenes) {
    if (sc.input.type === 'audio') fix(sc.input.source);
    bg(sc.background);
  }
  return s;
}

/** Changes one leaf to a different valid value (new bytes apply to every use of that path). */
function mutate(spec: VideoSpec, path: Path): VideoSpec {
  const s = clone(spec);
  const parent = getParent(s, path);
  const key = path[path.length - 1]!;
  const old = parent[key];
  if (key === 'sha256') {
    const assetPath = (parent as { path: string }).path;
    const flipped = (old as string).replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const ref of allAssets(s)) if (ref.path === assetPath) ref.sha256 = flipped;
  } else if (typeof key === 'string' && ENUMS[key]) {
    const values = ENUMS[key];
    parent[key] = values[(values.indexOf(old as string) + 1) % values.length];
  } else if (typeof old === 'number') parent[key] = old + 1;
  else if (typeof old === 'string') parent[key] = `${old}x`;
  else if (typeof old === 'boolean') parent[key] = !old;
  else throw new Error(`unexpected leaf at ${path.join('.')}`);
  return s;
}

describe('videoKey properties', () => {
  it('any change of a semantic leaf changes the key and shows in the parts', () => {
    fc.assert(
      fc.property(specArb.map(consistent), fc.nat(), (spec, pick) => {
        const leaves = semanticLeaves(spec);
        const path = leaves[pick % leaves.length]!;
        const before = videoKey(spec);
        const after = videoKey(mutate(spec, path));
        expect(after.key, path.join('.')).not.toBe(before.key);
        expect(diffParts(before.parts, after.parts).length, path.join('.')).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('metadata, labels and asset paths never change the key', () => {
    fc.assert(
      fc.property(specArb.map(consistent), specArb, (spec, other) => {
        const s = clone(spec);
        s.id = other.id;
        s.title = other.title;
        s.tags = [...other.tags];
        s.output = other.output;
        s.translations = structuredClone(other.translations) as Mutable<VideoSpec>['translations'];
        if (s.avatar) s.avatar.label = `${s.avatar.label}-alias`;
        for (const ref of allAssets(s)) ref.path = `moved/${ref.path}`;
        expect(videoKey(s).key).toBe(videoKey(spec).key);
      }),
      { numRuns: 200 },
    );
  });
});

describe('translationKey', () => {
  it('depends on the source key and every translation field, nothing else', () => {
    const t = { language: 'es', mode: 'speed' as const, captions: false, audioOnly: false };
    const k = translationKey(base.key, t);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(translationKey(base.key, { ...t })).toBe(k);
    expect(translationKey('0'.repeat(64), t)).not.toBe(k);
    expect(translationKey(base.key, { ...t, language: 'fr' })).not.toBe(k);
    expect(translationKey(base.key, { ...t, mode: 'precision' })).not.toBe(k);
    expect(translationKey(base.key, { ...t, captions: true })).not.toBe(k);
    expect(translationKey(base.key, { ...t, audioOnly: true })).not.toBe(k);
  });

});
