/** Frame arithmetic of the exports: scenes shared out in whole frames, caption words timed in frames. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion, captionWords, sceneFrames } from '../../src/export/frames.js';

describe('export frames', () => {
  it('rounds a scene to whole frames like the compositor, never to zero', () => {
    expect(sceneFrames(3.16, 25)).toBe(79);
    expect(sceneFrames(0.001, 25)).toBe(1);
  });

  it('shares frames out in proportion, summing exactly to the whole, each scene at least a frame', () => {
    expect(apportion([1, 1, 2], 100)).toEqual([25, 25, 50]);
    expect(apportion([1, 1, 1], 10)).toEqual([4, 3, 3]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 60, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 30, max: 100_000 }), (w, total) => {
        const out = apportion(w, total);
        expect(out.reduce((a, b) => a + b, 0)).toBe(total);
        expect(out.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
      }),
    );
  });

  it('times each caption word inside its cue, in order, longer words longer', () => {
    const words = captionWords([{ start: 1, end: 3, text: 'Hello wonderful\nworld' }, { start: 4, end: 5, text: 'Bye' }], 25);
    expect(words.map((w) => w.text)).toEqual(['Hello', 'wonderful', 'world', 'Bye']);
    expect(words[0]).toMatchObject({ from: 25, startMs: 1000 });
    expect(words[1]!.durationInFrames).toBeGreaterThan(words[0]!.durationInFrames);
    expect(words[2]!.endMs).toBe(3000);
    expect(words[2]!.from + words[2]!.durationInFrames).toBe(75);
    expect(words[3]).toEqual({ text: 'Bye', from: 100, durationInFrames: 25, startMs: 4000, endMs: 5000 });
  });
});
