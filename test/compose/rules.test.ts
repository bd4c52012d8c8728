import { describe, expect, it } from 'vitest';
import { avatarPlacement, mergeCues, whyNotCopy, type Clip, type MediaInfo } from '../../src/compose/index.js';

const dim = { width: 1920, height: 1080 };
const media = (over: { video?: Partial<NonNullable<MediaInfo['video']>>; audio?: Partial<NonNullable<MediaInfo['audio']>>; seconds?: number } = {}): MediaInfo => ({
  seconds: over.seconds ?? 4,
  video: { codec: 'h264', width: 1920, height: 1080, pixFmt: 'yuv420p', fps: 25, seconds: over.seconds ?? 4, profile: 'High', level: 40, extradata: 'MD5:a', ...over.video },
  audio: { codec: 'aac', sampleRate: 48000, channels: 2, ...over.audio },
  detailed: true,
});
const scenes = (n: number): Clip[] => Array.from({ length: n }, (_, i) => ({ kind: 'scene' as const, path: `s${i}.mp4` }));
const target = { dim, fps: 25, drawn: false };

describe('when clips are joined by stream copy', () => {
  it('copies scene clips that match the output and each other', () => {
    expect(whyNotCopy(scenes(2), new Map([[0, media()], [1, media({ seconds: 3 })]]), target)).toBeUndefined();
  });

  it('re-encodes when anything differs, and says why', () => {
    const one = (m: MediaInfo): string | undefined => whyNotCopy(scenes(2), new Map([[0, media()], [1, m]]), target);
    expect(one(media({ video: { width: 1280, height: 720 } }))).toMatch(/1280x720/);
    expect(one(media({ video: { fps: 30 } }))).toMatch(/30 fps/);
    expect(one(media({ video: { codec: 'hevc' } }))).toMatch(/hevc/);
    expect(one(media({ audio: { sampleRate: 44100 } }))).toMatch(/44100/);
    expect(one(media({ audio: { channels: 1 } }))).toMatch(/1 ch/);
    expect(one(media({ video: { extradata: 'MD5:b' } }))).toMatch(/parameter sets/);
    expect(one({ ...media(), detailed: false })).toMatch(/ffprobe/);
    expect(whyNotCopy(scenes(2), new Map([[0, media()], [1, media()]]), { ...target, drawn: true })).toMatch(/drawn/);
    const alpha: Clip[] = [{ kind: 'scene', path: 'a.mp4' }, { kind: 'alpha', path: 'b.webm' }];
    expect(whyNotCopy(alpha, new Map([[0, media()], [1, media()]]), target)).toMatch(/scene 2 is composited locally/);
    const retimed: Clip[] = [{ kind: 'scene', path: 'a.mp4', seconds: 5 }];
    expect(whyNotCopy(retimed, new Map([[0, media()]]), target)).toMatch(/retimed/);
  });
});

describe('mergeCues', () => {
  it('shifts each scene\'s cues by its start, keeps them inside the scene and in order', () => {
    const cues = mergeCues([
      { start: 0, seconds: 2, captions: [{ start: 1, end: 1.5, text: ' b ' }, { start: 0, end: 0.8, text: 'a' }] },
      { start: 2, seconds: 1, captions: [{ start: 0.5, end: 3, text: 'c' }, { start: 1.2, end: 1.4, text: 'gone' }, { start: 0.1, end: 0.2, text: '  ' }] },
      { start: 3, seconds: 2, script: 'Spread over the scene.' },
    ]);
    expect(cues).toEqual([
      { start: 0, end: 0.8, text: 'a' },
      { start: 1, end: 1.5, text: 'b' },
      { start: 2.5, end: 3, text: 'c' },
      { start: 3, end: 5, text: 'Spread over the scene.' },
    ]);
  });
});

describe('avatarPlacement', () => {
  it('cuts an avatar moved partly off the frame to the part that shows', () => {
    const p = avatarPlacement({ id: 'a', label: 'a', style: 'normal', scale: 1, offset: { x: -0.5, y: 0 } }, dim)!;
    expect(p.at.x).toBe(0);
    expect(p.crop.x).toBeGreaterThan(0); // the left part is off the frame
    expect(p.crop.x + p.crop.w).toBeLessThanOrEqual(p.width);
    expect(avatarPlacement({ id: 'a', label: 'a', style: 'normal', scale: 1, offset: { x: 2, y: 0 } }, dim)).toBeUndefined();
  });
});
