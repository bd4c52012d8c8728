import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../src/util/natural.js';

describe('naturalCompare', () => {
  it('orders warnings naming scenes as people count them, manifests first', () => {
    const warnings = [
      'videos/tour.yaml, scene 10: the audio copy is newer than the video',
      'videos/intro.yaml, scene 2: the audio copy is gone',
      'videos/tour.yaml, scene 2: the audio copy is newer than the video',
      'videos/tour.yaml, scene 1: the audio copy is gone',
    ];
    expect([...warnings].sort(naturalCompare)).toEqual([warnings[1], warnings[3], warnings[2], warnings[0]]);
  });
});
