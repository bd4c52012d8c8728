import { describe, expect, it } from 'vitest';
import { buildCues, formatSrt } from '../../../src/providers/local/index.js';
import { parseSrt } from './helpers.js';

describe('draft captions', () => {
  it('makes one cue per sentence, timed by word count within the scene', () => {
    const cues = buildCues([{ start: 2, seconds: 6, script: 'One two three four. Five six! Seven eight?' }]);
    expect(cues.map((c) => c.text)).toEqual(['One two three four.', 'Five six!', 'Seven eight?']);
    expect(cues[0]).toMatchObject({ start: 2, end: 5 }); // 4 of 8 words -> 3 s of 6
    expect(cues[1]!.start).toBeCloseTo(5);
    expect(cues[2]!.end).toBeCloseTo(8);
  });

  it('leaves pauses out of the word timing and shows no cue over them', () => {
    const cues = buildCues([{ start: 0, seconds: 4, script: 'Hello there. <break time="2s"/> Bye now.' }]);
    expect(cues).toHaveLength(2);
    expect(cues[0]).toMatchObject({ start: 0, end: 1 });
    expect(cues[1]!.start).toBeCloseTo(3);
    expect(cues[1]!.end).toBeCloseTo(4);
  });

  it('skips scenes without a script and splits very long sentences', () => {
    const long = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ') + '.';
    const cues = buildCues([{ start: 0, seconds: 3 }, { start: 3, seconds: 12, script: long }]);
    expect(cues.length).toBe(3);
    expect(cues[0]!.start).toBe(3);
    expect(cues.map((c) => c.text.split(/\s+/).length)).toEqual([10, 10, 10]);
  });

  it('writes numbered SubRip cues with millisecond times', () => {
    const srt = formatSrt([
      { start: 0.5, end: 1.25, text: 'first' },
      { start: 61.0004, end: 3725.5, text: 'second\nline' },
    ]);
    expect(srt).toBe('1\n00:00:00,500 --> 00:00:01,250\nfirst\n\n2\n00:01:01,000 --> 01:02:05,500\nsecond\nline\n');
    expect(parseSrt(srt)).toHaveLength(2);
  });
});
