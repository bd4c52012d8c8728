import { describe, expect, it } from 'vitest';
import { avatarPlacement, clipFor, mergeCues, parseSrtCues, whyNotCopy, wordCues, type Clip, type MediaInfo } from '../../src/compose/index.js';
import type { VideoSpec } from '../../src/model/spec.js';
import { scenePlans } from '../../src/plan/scenes.js';

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

describe('cues from HeyGen', () => {
  it('reads a clip\'s SRT, whatever its line endings and millisecond separator', () => {
    const srt = '\uFEFF1\r\n00:00:00,500 --> 00:00:01,250\r\nHello there.\r\n\r\n2\r\n00:00:01.3 --> 00:01:02.000\r\nTwo\r\nlines\r\n\r\nbroken block\r\n';
    expect(parseSrtCues(srt)).toEqual([
      { start: 0.5, end: 1.25, text: 'Hello there.' },
      { start: 1.3, end: 62, text: 'Two\nlines' },
    ]);
  });

  it('groups TTS word timings into sentence cues shown while they are spoken', () => {
    const ws = 'One two three. Four five!'.split(' ').map((word, i) => ({ word, start: i * 0.5, end: i * 0.5 + 0.4 }));
    expect(wordCues(ws)).toEqual([
      { start: 0, end: 1.4, text: 'One two three.' },
      { start: 1.5, end: 2.4, text: 'Four five!' },
    ]);
    const long = Array.from({ length: 20 }, (_, i) => ({ word: `w${i}`, start: i, end: i + 1 }));
    expect(wordCues(long).map((c) => c.text.split(/\s+/).length)).toEqual([14, 6]);
  });
});

describe('clipFor', () => {
  const spec = (scenes: VideoSpec['scenes']): VideoSpec => ({
    id: 'v', source: 'v.yaml', tags: [], output: 'out/v.mp4', dimension: { width: 1280, height: 720 }, caption: 'file',
    avatar: { id: 'a', label: 'a', style: 'normal', scale: 1, offset: { x: 0, y: 0 } },
    voice: { id: 'v1', label: 'v1', speed: 1, pitch: 0 }, scenes, translations: [],
  });

  it('maps each planned scene clip to what the compositor does with it', () => {
    const s = spec([
      { input: { type: 'script', text: 'Hi.' }, background: { type: 'color', color: '#000000' } },
      { input: { type: 'script', text: 'Hi.' }, avatar: { id: 'a', label: 'a', style: 'circle', scale: 1, offset: { x: 0, y: 0 } } },
      { input: { type: 'script', text: 'Hi.' }, avatar: undefined },
      { input: { type: 'audio', source: { kind: 'local', path: 'a.wav', sha256: 'x', size: 1 } } },
      { input: { type: 'silence', seconds: 2 } },
    ]);
    const withAvatar = scenePlans(s); // scenes 1-2: the video's avatar, composited by HeyGen / laid out here
    const plans = scenePlans({ ...s, avatar: undefined }); // scenes 3-5: no avatar
    const r = { path: '/dl/x', seconds: 3, captions: [{ start: 0, end: 1, text: 'Hi.' }] };
    const ctx = { root: '/p' };
    expect(clipFor(s, withAvatar[0]!, r, ctx)).toEqual({ kind: 'scene', ...r });
    expect(clipFor(s, withAvatar[1]!, r, ctx)).toEqual({ kind: 'alpha', ...r });
    expect(clipFor(s, plans[2]!, r, ctx)).toEqual({ kind: 'audio', ...r });
    expect(clipFor(s, plans[3]!, undefined, ctx)).toEqual({ kind: 'audio', path: '/p/a.wav' });
    expect(clipFor(s, plans[4]!, undefined, ctx)).toEqual({ kind: 'audio', seconds: 2 });
    expect(() => clipFor(s, withAvatar[0]!, undefined, ctx)).toThrow(expect.objectContaining({ code: 'E_COMPOSE_CLIPS' }));
  });
});
