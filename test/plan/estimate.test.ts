import { describe, expect, it } from 'vitest';
import { breakSeconds, estimateInputSeconds, estimateVideoSeconds, videoCredits, wordCount } from '../../src/plan/estimate.js';
import { makeSpec } from '../helpers/specs.js';

describe('estimates', () => {
  it('counts spoken words, not break tags or extra whitespace', () => {
    expect(wordCount('  Hello   world.\nNext <break time="1.5s"/> line  ')).toBe(4);
    expect(wordCount('')).toBe(0);
  });

  it('adds breaks in seconds and milliseconds', () => {
    expect(breakSeconds('a <break time="1.5s"/> b <break time="500ms"/> c')).toBe(2);
  });

  it('speaks 150 words a minute, slower voices take longer, silences last their seconds', () => {
    const words = Array.from({ length: 150 }, () => 'word').join(' ');
    expect(estimateInputSeconds({ type: 'script', text: words })).toBe(60);
    expect(estimateInputSeconds({ type: 'script', text: words }, 1.5)).toBe(40);
    expect(estimateInputSeconds({ type: 'script', text: `${words} <break time="2s"/>` })).toBe(62);
    expect(estimateInputSeconds({ type: 'silence', seconds: 3 })).toBe(3);
  });

  it('sums scenes with each scene\'s voice speed and prices by engine', () => {
    const spec = makeSpec('a', {
      scenes: [
        { input: { type: 'script', text: Array.from({ length: 75 }, () => 'w').join(' ') } },
        { input: { type: 'silence', seconds: 10 } },
      ],
    });
    expect(estimateVideoSeconds(spec)).toBe(40);
    expect(videoCredits(40, 'avatar_iv')).toBe(4);
    expect(videoCredits(40, 'draft')).toBe(0);
  });
});
