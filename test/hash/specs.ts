/** Spec builders and fast-check arbitraries shared by the hash tests. */
import fc from 'fast-check';
import type {
  AssetRef,
  AvatarSpec,
  BackgroundSpec,
  SceneInput,
  SceneSpec,
  TranslationSpec,
  VideoSpec,
  VoiceSpec,
} from '../../src/model/spec.js';

export const HEX64_A = 'a'.repeat(64);
export const HEX64_B = 'b'.repeat(64);
export const HEX64_C = 'c'.repeat(64);

export function localAsset(path: string, sha256 = HEX64_A, size = 1234): AssetRef {
  return { kind: 'local', path, sha256, size };
}

/** A realistic three-scene video using every kind of part. */
export function sampleSpec(): VideoSpec {
  return {
    id: 'intro',
    source: 'videos/intro.yaml',
    title: 'Intro',
    description: 'The first video',
    tags: ['onboarding'],
    output: 'out/intro.mp4',
    dimension: { width: 1920, height: 1080 },
    caption: 'file',
    avatar: { id: 'Daisy-inskirt-20220818', label: 'daisy', style: 'normal', scale: 1, offset: { x: 0, y: 0 } },
    voice: { id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', label: 'narrator', speed: 1, pitch: 0, emotion: 'Friendly' },
    background: { type: 'image', source: localAsset('examples/assets/bg.png'), fit: 'cover' },
    scenes: [
      { input: { type: 'script', text: 'Welcome to the product.' } },
      {
        input: { type: 'script', text: 'Here is how it works.' },
        voice: { id: 'f8c69e517f424cafaecde32dde57096b', label: 'second', speed: 1.1, pitch: 0 },
        background: { type: 'color', color: '#ffffff' },
      },
      { input: { type: 'audio', source: localAsset('examples/assets/outro.mp3', HEX64_B, 99) } },
      { input: { type: 'silence', seconds: 1.5 } },
    ],
    translations: [{ language: 'es', mode: 'speed', captions: false, audioOnly: false }],
  };
}

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const assetPath = fc.tuple(word, word).map(([d, f]) => `assets/${d}/${f}.bin`);

export const assetArb: fc.Arbitrary<AssetRef> = fc.oneof(
  fc.record({ kind: fc.constant('local' as const), path: assetPath, sha256: hex64, size: fc.nat() }),
  fc.record({ kind: fc.constant('url' as const), url: word.map((w) => `https://cdn.example.com/${w}.png`) }),
);

export const avatarArb: fc.Arbitrary<AvatarSpec> = fc.record({
  id: word,
  label: word,
  style: fc.constantFrom('normal', 'closeUp', 'circle'),
  scale: fc.double({ min: 0.1, max: 2, noNaN: true }),
  offset: fc.record({ x: fc.double({ min: -1, max: 1, noNaN: true }), y: fc.double({ min: -1, max: 1, noNaN: true }) }),
});

export const voiceArb: fc.Arbitrary<VoiceSpec> = fc.record(
  {
    id: word,
    label: word,
    speed: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
    pitch: fc.integer({ min: -50, max: 50 }),
    emotion: fc.constantFrom('Excited', 'Friendly', 'Serious', 'Soothing', 'Broadcaster'),
    locale: fc.constantFrom('en-US', 'en-GB', 'fr-FR'),
  },
  { requiredKeys: ['id', 'label', 'speed', 'pitch'] },
);

export const backgroundArb: fc.Arbitrary<BackgroundSpec> = fc.oneof(
  fc.record({ type: fc.constant('color' as const), color: fc.stringMatching(/^#[0-9a-f]{6}$/) }),
  fc.record({ type: fc.constant('image' as const), source: assetArb, fit: fc.constantFrom('cover', 'contain', 'crop', 'none') }),
  fc.record({
    type: fc.constant('video' as const),
    source: assetArb,
    play: fc.constantFrom('loop', 'once', 'freeze', 'fit_to_scene'),
    fit: fc.constantFrom('cover', 'contain', 'crop', 'none'),
  }),
);

export const inputArb: fc.Arbitrary<SceneInput> = fc.oneof(
  fc.record({ type: fc.constant('script' as const), text: fc.string({ minLength: 1, maxLength: 40 }) }),
  fc.record({ type: fc.constant('audio' as const), source: assetArb }),
  fc.record({ type: fc.constant('silence' as const), seconds: fc.double({ min: 0.1, max: 10, noNaN: true }) }),
);

export const sceneArb: fc.Arbitrary<SceneSpec> = fc.record(
  { input: inputArb, avatar: avatarArb, voice: voiceArb, background: backgroundArb },
  { requiredKeys: ['input'] },
);

export const translationArb: fc.Arbitrary<TranslationSpec> = fc.record({
  language: fc.constantFrom('es', 'fr-FR', 'German'),
  mode: fc.constantFrom('speed', 'precision'),
  captions: fc.boolean(),
  audioOnly: fc.boolean(),
});

export const specArb: fc.Arbitrary<VideoSpec> = fc.record(
  {
    id: word,
    source: word.map((w) => `videos/${w}.yaml`),
    title: fc.string(),
    description: fc.string(),
    tags: fc.array(word, { maxLength: 3 }),
    output: word.map((w) => `out/${w}.mp4`),
    dimension: fc.record({ width: fc.integer({ min: 16, max: 4096 }), height: fc.integer({ min: 16, max: 4096 }) }),
    caption: fc.constantFrom('none', 'file', 'burn'),
    avatar: avatarArb,
    voice: voiceArb,
    background: backgroundArb,
    scenes: fc.array(sceneArb, { minLength: 1, maxLength: 4 }),
    translations: fc.array(translationArb, { maxLength: 2 }),
  },
  { requiredKeys: ['id', 'source', 'tags', 'output', 'dimension', 'caption', 'scenes', 'translations'] },
);

/** A spec a test may change in place (specs are readonly everywhere else). */
export type Mutable<T> = T extends string | number | boolean | undefined | null ? T : { -readonly [K in keyof T]: Mutable<T[K]> };

/** A deep copy of `s` that the test may change. */
export function mutable(s: VideoSpec): Mutable<VideoSpec> {
  return structuredClone(s) as Mutable<VideoSpec>;
}
