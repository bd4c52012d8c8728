/**
 * Overlays belong to the composition key only: an overlay edit changes the video's key (so it is
 * composed again) but no scene clip's key and no translation's key (so nothing is paid again).
 */
import { describe, expect, it } from 'vitest';
import { baseKey, contentKey, translationDraftKey, translationKey, videoParts } from '../../src/hash/key.js';
import { diffParts } from '../../src/hash/diff.js';
import type { TextOverlaySpec } from '../../src/model/overlay.js';
import type { TranslationSpec, VideoSpec } from '../../src/model/spec.js';
import { scenePlans } from '../../src/plan/scenes.js';
import { mutable, sampleSpec } from './specs.js';

const overlay = (value: Record<string, string>, over: Partial<TextOverlaySpec> = {}): TextOverlaySpec => ({
  value,
  position: { anchor: 'lower-third' },
  start: 1,
  end: 3,
  style: { font: 'sans-bold', size: 40, color: '#FFFFFF', background: '#FF0000', align: 'left', padding: 12 },
  ...over,
});

function withText(text: TextOverlaySpec[], sceneText?: TextOverlaySpec[]): VideoSpec {
  const s = mutable(sampleSpec());
  s.text = text;
  if (sceneText) s.scenes[0]!.text = sceneText;
  return s;
}

const es: TranslationSpec = { language: 'es', mode: 'speed', captions: false, audioOnly: false };
const clipKeys = (s: VideoSpec): (string | undefined)[] => scenePlans(s).map((p) => p.key);

describe('overlay keys', () => {
  it('leave the keys of a video without overlays as they were', () => {
    const plain = sampleSpec();
    // Pinned before overlays existed: adding the feature rebuilds nothing.
    expect(contentKey(plain)).toBe('6c7da9fd0342374576de73a2fd2c44bc8f11dc94f7af377774f920731b0a605f');
    expect(baseKey(plain)).toBe(contentKey(plain));
    expect(translationDraftKey(plain, es)).toBe(translationKey(contentKey(plain), es));
  });

  it('an edited value changes the composition key and its part, never a clip key or the translation key', () => {
    const a = withText([overlay({ default: 'Our team' })]);
    const b = withText([overlay({ default: 'Our whole team' })]);
    expect(contentKey(a)).not.toBe(contentKey(b));
    expect(diffParts(videoParts(a), videoParts(b))).toEqual(['text[0].value']);
    expect(clipKeys(a)).toEqual(clipKeys(b));
    expect(clipKeys(a)).toEqual(clipKeys(sampleSpec()));
    expect(translationKey(baseKey(a), es)).toBe(translationKey(baseKey(b), es));
    expect(baseKey(a)).toBe(contentKey(sampleSpec()));
  });

  it('a scene overlay, its timing and its style are parts of their own', () => {
    const a = withText([], [overlay({ default: 'Hi' })]);
    const b = withText([], [overlay({ default: 'Hi' }, { start: 2, style: { ...overlay({}).style, size: 50 } })]);
    expect(diffParts(videoParts(a), videoParts(b))).toEqual(['scenes[0].text[0].style', 'scenes[0].text[0].timing']);
    expect(clipKeys(a)).toEqual(clipKeys(b));
  });

  it("a language's own text changes that language's draft only, never the video's key", () => {
    const a = withText([overlay({ default: 'Our team', es: 'Nuestro equipo' })]);
    const b = withText([overlay({ default: 'Our team', es: 'Nuestro gran equipo' })]);
    expect(contentKey(a)).toBe(contentKey(b));
    expect(translationDraftKey(a, es)).not.toBe(translationDraftKey(b, es));
    expect(translationKey(baseKey(a), es)).toBe(translationKey(baseKey(b), es));
  });

  it('a style name is a label: the same look under another name keeps every key', () => {
    const a = withText([overlay({ default: 'x' }, { styleName: 'lowerThird' })]);
    const b = withText([overlay({ default: 'x' }, { styleName: 'brand' })]);
    expect(contentKey(a)).toBe(contentKey(b));
  });
});
