/**
 * The direct writer of a video's base text (src/hash/base-text.ts) gives the generic canonical
 * writer's text of `baseValue` byte for byte, or declines: over the examples, over generated videos,
 * and over damaged ones (a member of the wrong kind, a value JSON cannot hold). A key written
 * differently would plan a changed video as unchanged, or pay for an unchanged one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseKeyText } from '../../src/hash/base-text.js';
import { canonicalJson } from '../../src/hash/canonical.js';
import { baseValue, HASH_FORMAT } from '../../src/hash/key.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { sampleSpec, specArb } from './specs.js';
import { loadExamples } from '../manifest/examples-load.js';
import { withOneMemberReplaced } from '../helpers/damage.js';

/** The direct text when it answers (it must then be the generic one), and whether it answered. */
function agrees(spec: VideoSpec): boolean {
  let expected: string | undefined;
  try {
    expected = canonicalJson(baseValue(spec));
  } catch {
    expected = undefined; // the generic writer refuses it: the direct one must decline
  }
  const direct = baseKeyText(HASH_FORMAT, spec);
  if (direct !== undefined) expect(direct).toBe(expected);
  return direct !== undefined;
}

describe('the direct base text', () => {
  it('is the generic text for every video of the examples it answers for (all but templates, prompts and dubs)', async () => {
    const { specs } = await loadExamples();
    for (const spec of specs) expect(agrees(spec), spec.id).toBe(!spec.template && !spec.prompt && !spec.dub);
    expect(agrees(sampleSpec())).toBe(true);
  });

  it('is the generic text for generated videos, and answers for nearly all of them', () => {
    let answered = 0;
    fc.assert(
      fc.property(specArb, (spec) => {
        if (agrees(spec)) answered++;
      }),
      { numRuns: 500, seed: 27 },
    );
    expect(answered).toBeGreaterThan(450);
  });

  it('declines or agrees when a member anywhere is replaced by anything', () => {
    const anything = fc.oneof(fc.anything(), fc.constantFrom(NaN, Infinity, -0, null, undefined, 0, '', false, 1n));
    fc.assert(
      fc.property(specArb, fc.nat(), anything, (spec, pick, value) => {
        agrees(withOneMemberReplaced(spec, pick, value));
      }),
      { numRuns: 1000, seed: 27 },
    );
  });
});
