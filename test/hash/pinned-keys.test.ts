/**
 * Every key a plan compares, pinned: a key that changes re-renders every user's videos and costs
 * money, so a faster key writer must give the very same keys. The digests below were taken from the
 * code before the key writers were reworked for speed (a57599f), over the examples/ project and 400
 * generated videos; any change of one key, part digest, clip key or estimate changes them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/hash/canonical.js';
import { baseKey, contentKey, translationDraftKey, translationKey, videoParts } from '../../src/hash/key.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { sceneFacts } from '../../src/plan/derived.js';
import { specArb } from './specs.js';
import { loadExamples } from '../manifest/examples-load.js';

/** One line per video: each of its keys, in an order that never changes. */
function keyLine(spec: VideoSpec): string {
  const parts = videoParts(spec);
  const sorted = Object.keys(parts)
    .sort()
    .map((k) => `${k}=${parts[k]}`);
  const scenes = sceneFacts(spec).map((f) => `${f.seconds}/${f.clip ? `${f.clip.kind}/${f.clip.key}/${f.clip.engine ?? ''}` : '-'}`);
  const translations = spec.translations.map((t) => `${translationKey(baseKey(spec), t)}/${translationDraftKey(spec, t)}`);
  return [spec.id, contentKey(spec), baseKey(spec), sorted.join(','), scenes.join(','), translations.join(',')].join(' ');
}

/** In both orders (content key first, base key first): a key memo must not depend on which is asked for first. */
function digestOf(specs: readonly VideoSpec[], baseFirst: boolean): string {
  const lines = specs.map((s) => {
    const copy = structuredClone(s);
    if (baseFirst) baseKey(copy);
    return keyLine(copy);
  });
  return sha256Hex(lines.join('\n'));
}

describe('pinned keys', () => {
  it('the examples/ project keys every video as before', async () => {
    const r = await loadExamples();
    expect(r.diagnostics).toEqual([]);
    expect(r.specs.length).toBe(11);
    expect(digestOf(r.specs, false)).toBe(digestOf(r.specs, true));
    expect(digestOf(r.specs, false)).toBe('439b8ee2c9d01f6f83dabd67d02ae642040f889deb779dc798551b9dc7d60c5c');
  });

  it('400 generated videos key as before', () => {
    const specs = fc.sample(specArb, { seed: 27, numRuns: 400 });
    expect(digestOf(specs, false)).toBe(digestOf(specs, true));
    expect(digestOf(specs, false)).toBe('880ea9dfcf83693f399ac43c0a5ac1e3cb7594f51f020e5477c8737e5da3cce6');
  });
});
