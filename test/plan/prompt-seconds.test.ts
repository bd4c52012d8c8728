/** The length a prompt states: what a prompt video's estimate assumes. */
import { describe, expect, it } from 'vitest';
import { PROMPT_DEFAULT_SECONDS, promptLength } from '../../src/plan/prompt-seconds.js';

describe('promptLength', () => {
  it.each([
    ['Make it in 30 seconds.', 30, '30 seconds'],
    ['A 60-second product demo.', 60, '60-second'],
    ['A 2-minute explainer', 120, '2-minute'],
    ['about 1.5 minutes long', 90, '1.5 minutes'],
    ['90 secs, punchy', 90, '90 secs'],
    ['one minute, no more', 60, 'one minute'],
    ['one and a half minutes', 90, 'one and a half minutes'],
    ['Keep it to half a minute', 30, 'half a minute'],
    ['Twenty seconds of hype', 20, 'Twenty seconds'],
    // Several lengths: the longest is the video's (a part is never longer than the whole).
    ['A 90-second video with a 5-second pause after the intro', 90, '90-second'],
  ])('%s -> %d s', (prompt, seconds, statedAs) => {
    expect(promptLength(prompt)).toEqual({ seconds, statedAs });
  });

  it.each([
    'Tell the story of the 1990s.',
    'Reach 2m users by spring.',
    'Then make a second video for Europe.',
    'A launch video for our calendar app.',
  ])('states no length: %s', (prompt) => {
    expect(promptLength(prompt)).toEqual({ seconds: PROMPT_DEFAULT_SECONDS });
  });
});
