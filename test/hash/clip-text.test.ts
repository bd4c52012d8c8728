/**
 * The direct writer of a clip's hashed text (src/hash/clip-text.ts) gives the generic canonical
 * writer's text byte for byte, or declines: over the examples' clips, over generated clips of every
 * kind, and over damaged ones (a member it does not know, a wrong type, a value JSON cannot hold).
 * A key written differently would plan a changed scene as unchanged, or pay for an unchanged one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/hash/canonical.js';
import { clipKeyText } from '../../src/hash/clip-text.js';
import { loadManifests } from '../../src/manifest/index.js';
import type { AssetRef, VideoSpec } from '../../src/model/spec.js';
import type { SceneClip } from '../../src/model/clip.js';
import { CLIP_FORMAT, clipKey, sceneClip } from '../../src/plan/scenes.js';
import { makeConfig } from '../manifest/config.js';
import { cleanup, makeProject } from '../manifest/helpers.js';
import { sampleSpec } from './specs.js';
import { loadExamples } from '../manifest/examples-load.js';

/** What plan/scenes.ts hashed before the direct writer (its hashedClip, kept here as the reference). */
function referenceText(clip: SceneClip): string {
  const byBytes = (ref: AssetRef): unknown => (ref.kind === 'local' ? { sha256: ref.sha256 } : { url: ref.url });
  if (clip.kind === 'speech') return canonicalJson({ format: CLIP_FORMAT, clip });
  const speech = clip.speech.type === 'audio' ? { type: 'audio', source: byBytes(clip.speech.source) } : clip.speech;
  const background = clip.background?.type === 'image' ? { type: 'image', source: byBytes(clip.background.source) } : clip.background;
  return canonicalJson({ format: CLIP_FORMAT, clip: { ...clip, speech, background, photo: clip.photo && byBytes(clip.photo) } });
}

/** The direct text when it answers (it must then be the reference's), and whether it answered. */
function agrees(clip: unknown): boolean {
  let expected: string | undefined;
  try {
    expected = referenceText(clip as SceneClip);
  } catch {
    expected = undefined; // the generic writer refuses it: the direct one must decline
  }
  const direct = clipKeyText(CLIP_FORMAT, clip as SceneClip);
  if (direct !== undefined) expect(direct).toBe(expected);
  return direct !== undefined;
}

const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
const asset = fc.oneof(
  fc.record({ kind: fc.constant('local' as const), path: fc.string(), sha256: hex, size: fc.nat() }),
  fc.record({ kind: fc.constant('url' as const), url: fc.webUrl() }),
);
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constant(-0));
const voice = fc.record(
  {
    id: fc.string(),
    speed: number,
    pitch: number,
    locale: fc.string(),
    volume: number,
    elevenlabs: fc.record({ model: fc.string(), stability: number, style: fc.option(number, { nil: undefined }) }, { requiredKeys: ['model'] }),
  },
  { requiredKeys: ['id', 'speed', 'pitch'] },
);
const speech = fc.oneof(
  fc.record({ type: fc.constant('script' as const), text, voice }, { requiredKeys: ['type', 'text'] }),
  fc.record({ type: fc.constant('audio' as const), source: asset }),
  fc.record({ type: fc.constant('silence' as const), seconds: number }),
);
const background = fc.oneof(
  fc.record({ type: fc.constant('color' as const), color: fc.string() }),
  fc.record({ type: fc.constant('image' as const), source: asset }),
);
const avatarClip = fc.record(
  {
    kind: fc.constant('avatar' as const),
    layout: fc.constantFrom('heygen' as const, 'local' as const),
    avatarId: fc.string(),
    photo: asset,
    engine: fc.constantFrom('avatar_iii' as const, 'avatar_iv' as const, 'avatar_v' as const),
    expressiveness: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
    motion: fc.string(),
    speech,
    background,
    size: fc.record({ width: number, height: number }),
    captions: fc.boolean(),
  },
  { requiredKeys: ['kind', 'layout', 'speech', 'size', 'captions'] },
);
const speechClip = fc.record({ kind: fc.constant('speech' as const), text, voice });
const clip = fc.oneof(avatarClip, speechClip);

/** A clip damaged at one place: a member added, removed, set undefined, null, or to a value of another type. */
const damaged = fc
  .tuple(
    clip,
    fc.nat(),
    fc.constantFrom('add', 'delete', 'undefined', 'null', 'string', 'number', 'NaN', 'array', 'class'),
  )
  .map(([c, at, how]) => {
    const copy = structuredClone(c) as Record<string, unknown>;
    // Somewhere inside: the clip itself or one of its nested objects.
    const objects: Record<string, unknown>[] = [];
    const walk = (o: unknown): void => {
      if (typeof o !== 'object' || o === null) return;
      objects.push(o as Record<string, unknown>);
      for (const v of Object.values(o)) walk(v);
    };
    walk(copy);
    const target = objects[at % objects.length]!;
    const keys = Object.keys(target);
    const key = keys[at % Math.max(1, keys.length)] ?? 'extra';
    if (how === 'add') target.extra = 'x';
    else if (how === 'delete') delete target[key];
    else if (how === 'undefined') target[key] = undefined;
    else if (how === 'null') target[key] = null;
    else if (how === 'string') target[key] = 'text';
    else if (how === 'number') target[key] = 7;
    else if (how === 'NaN') target[key] = Number.NaN;
    else if (how === 'array') target[key] = [1];
    else target[key] = new (class Thing {})();
    return copy;
  });

/** The clips of every scene of `specs`, each checked against the reference; how many there were. */
function checkClips(specs: readonly VideoSpec[]): number {
  let clips = 0;
  for (const spec of specs) {
    for (let i = 0; i < spec.scenes.length; i++) {
      const c = sceneClip(spec, i);
      if (!c) continue;
      expect(clipKeyText(CLIP_FORMAT, c)).toBe(referenceText(c));
      expect(clipKey(c)).toBe(sha256Hex(referenceText(c)));
      clips++;
    }
  }
  return clips;
}

/** A generated project whose manifests vary every setting a clip holds (avatar, photo, layout, voice, speech, background, size). */
function generated(): string {
  const avatars = ['presenter', 'host', '{ id: Raw-look-1, style: circle }', '{ photo: ../assets/face.png, expressiveness: high, motion: nods }', '{ alias: presenter, scale: 0.8, engine: avatar_v }', '{ id: Raw-look-2, engine: avatar_iii }'];
  const voices = ['narrator', 'upbeat', '{ id: v-1, speed: 1.2, pitch: -3, locale: en-GB, volume: 0.7 }', '{ id: v-2, elevenlabs: { model: eleven_v3, stability: 0.4, style: 0.2 } }'];
  const backgrounds = ['"#10aaff"', '{ image: ../assets/bg.png, fit: cover }', '{ image: ../assets/bg.png, fit: contain }', '{ video: ../assets/loop.mp4 }', '{ image: "https://example.com/bg.png", fit: cover }'];
  const dimensions = ['720p', '1080p', '{ width: 1080, height: 1920 }', '{ width: 1000, height: 700 }'];
  const files: Record<string, string> = { 'assets/face.png': 'face', 'assets/bg.png': 'bg', 'assets/loop.mp4': 'loop', 'assets/voice.mp3': 'voice' };
  for (let i = 0; i < 48; i++) {
    const pick = <T>(list: readonly T[], k: number): T => list[(i + k) % list.length]!;
    const speech = ['script: "Hello \\"there\\" <break time=\\"1s\\"/> number ' + i + '."', 'audio: ../assets/voice.mp3', 'silence: 1.5', 'script: Caf\u00e9 \u{1F600} ' + i];
    files[`videos/v${i}.yaml`] =
      `avatar: ${pick(avatars, 0)}\nvoice: ${pick(voices, 1)}\ndimension: ${pick(dimensions, 2)}\ncaption: ${i % 2 === 0}\nbackground: ${pick(backgrounds, 3)}\nscenes:\n` +
      `  - ${pick(speech, 0)}\n  - ${pick(speech, 1)}\n    background: ${pick(backgrounds, 4)}\n` +
      `  - script: Scene three of ${i}.\n    voice: ${pick(voices, 2)}\n    avatar: ${pick(avatars, 3)}\n`;
  }
  return makeProject(files);
}

describe('clipKeyText', () => {
  it('writes every generated clip as the generic writer does', () => {
    let answered = 0;
    fc.assert(
      fc.property(clip, (c) => {
        if (agrees(c)) answered++;
      }),
      { numRuns: 2000 },
    );
    // The direct writer is taken for the shapes it was made for, not always declining.
    expect(answered).toBe(2000);
  });

  it('declines, or still agrees, for damaged clips', () => {
    fc.assert(fc.property(damaged, (c) => void agrees(c)), { numRuns: 3000 });
  });

  it('gives the keys of the generic writer for every clip of the examples and of a sample spec', async () => {
    const r = await loadExamples();
    expect(checkClips([...r.specs, sampleSpec()])).toBeGreaterThan(10);
  });

  it('gives the keys of the generic writer for every clip of a generated project', async () => {
    const root = generated();
    try {
      const files = readdirSync(path.join(root, 'videos')).map((f) => path.join(root, 'videos', f));
      const r = await loadManifests(files, { config: makeConfig(root), manifestsRoot: 'videos', cache: false });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.specs).toHaveLength(48);
      expect(checkClips(r.specs)).toBeGreaterThan(100);
    } finally {
      cleanup(root);
    }
  });
});
