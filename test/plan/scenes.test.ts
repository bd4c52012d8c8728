/** The scene as the unit of rendering: which HeyGen request each scene needs, and what its key holds. */
import { describe, expect, it } from 'vitest';
import type { VideoSpec } from '../../src/model/spec.js';
import { clipKey, sceneClip, scenePlans, v3Size } from '../../src/plan/scenes.js';
import { mutable, type Mutable, HEX64_C, localAsset, sampleSpec } from '../hash/specs.js';

const clone = (s: VideoSpec): Mutable<VideoSpec> => mutable(s);

describe('sceneClip', () => {
  it('lets HeyGen composite an avatar over a color or a covering image, and lays out the rest locally', () => {
    const spec = sampleSpec();
    expect(sceneClip(spec, 0)).toMatchObject({ kind: 'avatar', layout: 'heygen', background: { type: 'image' } });
    expect(sceneClip(spec, 1)).toMatchObject({ kind: 'avatar', layout: 'heygen', background: { type: 'color', color: '#FFFFFF' } });
    for (const change of [
      (s: Mutable<VideoSpec>) => (s.avatar!.style = 'closeUp'),
      (s: Mutable<VideoSpec>) => (s.avatar!.scale = 0.5),
      (s: Mutable<VideoSpec>) => (s.avatar!.offset = { x: 0.1, y: 0 }),
      (s: Mutable<VideoSpec>) => (s.background = { type: 'image', source: localAsset('a.png'), fit: 'contain' }),
      (s: Mutable<VideoSpec>) => (s.background = { type: 'video', source: localAsset('a.mp4'), play: 'loop', fit: 'cover' }),
      (s: Mutable<VideoSpec>) => delete s.background,
    ]) {
      const s = clone(spec);
      change(s);
      const clip = sceneClip(s, 0);
      expect(clip).toMatchObject({ kind: 'avatar', layout: 'local' });
      expect(clip).not.toHaveProperty('background');
    }
  });

  it('speaks a script with no avatar through TTS, and needs nothing from HeyGen for audio or silence alone', () => {
    const s = clone(sampleSpec());
    delete s.avatar;
    expect(sceneClip(s, 0)).toMatchObject({ kind: 'speech', text: 'Welcome to the product.' });
    expect(sceneClip(s, 2)).toBeUndefined();
    expect(sceneClip(s, 3)).toBeUndefined();
  });

  it('keeps a silent avatar scene as an avatar clip of that length', () => {
    expect(sceneClip(sampleSpec(), 3)).toMatchObject({ kind: 'avatar', speech: { type: 'silence', seconds: 1.5 } });
  });
});

describe('clip keys', () => {
  it('do not change when scenes are reordered or moved to another video', () => {
    const a = sampleSpec();
    const b = clone(a);
    b.id = 'other';
    b.output = 'out/other.mp4';
    b.scenes.reverse();
    const keys = (s: VideoSpec) => scenePlans(s).map((p) => p.key).filter(Boolean).sort((x, y) => x!.localeCompare(y!));
    expect(keys(b)).toEqual(keys(a));
  });

  it('change with what HeyGen renders, and not with a background HeyGen never sees', () => {
    const base = sampleSpec();
    const key = (s: VideoSpec, i = 0) => clipKey(sceneClip(s, i)!);
    const script = clone(base);
    script.scenes[0]!.input = { type: 'script', text: 'Welcome, again.' };
    expect(key(script)).not.toBe(key(base));
    const bytes = clone(base);
    bytes.background = { type: 'image', source: localAsset('examples/assets/bg.png', HEX64_C), fit: 'cover' };
    expect(key(bytes)).not.toBe(key(base));
    // Laid out locally: the background is the compositor's business, so the paid clip stays the same.
    const local = clone(base);
    local.avatar!.style = 'circle';
    const localOther = clone(local);
    localOther.background = { type: 'image', source: localAsset('elsewhere.png', HEX64_C), fit: 'cover' };
    expect(key(localOther)).toBe(key(local));
    // Metadata and paths never count.
    const meta = clone(base);
    meta.title = 'Another title';
    meta.background = { type: 'image', source: localAsset('moved/bg.png'), fit: 'cover' };
    expect(key(meta)).toBe(key(base));
  });
});

describe('v3Size', () => {
  it('keeps a size v3 renders and picks the nearest v3 size at least as large otherwise', () => {
    expect(v3Size({ width: 1280, height: 720 })).toEqual({ width: 1280, height: 720 });
    expect(v3Size({ width: 1080, height: 1920 })).toEqual({ width: 1080, height: 1920 });
    expect(v3Size({ width: 1000, height: 1000 })).toEqual({ width: 1080, height: 1080 });
    expect(v3Size({ width: 1366, height: 768 })).toEqual({ width: 1920, height: 1080 });
  });
});
