import { describe, expect, it } from 'vitest';
import { toV2GenerateRequest, toV2TranslationRequest, v2Problems, v2TranslationProblems } from '../../../src/providers/heygen/map-v2.js';
import { avatar, ctx, local, remote, script, video, voice } from './helpers/specs.js';

describe('toV2GenerateRequest', () => {
  it('maps a multi-scene video to the documented v2 shape, keeping every value', () => {
    const spec = video({
      title: 'Tour',
      caption: 'file',
      dimension: { width: 1440, height: 1080 },
      avatar: avatar({ style: 'circle', scale: 0.8, offset: { x: 0.2, y: -0.1 } }),
      voice: voice({ speed: 1.8, pitch: -12, emotion: 'Friendly', locale: 'en-US' }),
      scenes: [
        script('Hi.'),
        { input: { type: 'audio', source: local('a.mp3') }, background: { type: 'image', source: local('bg.jpg'), fit: 'contain' } },
        { input: { type: 'audio', source: remote('https://cdn.example/b.mp3') }, background: { type: 'image', source: remote('https://cdn.example/bg.png'), fit: 'crop' } },
        { input: { type: 'silence', seconds: 1.5 }, background: { type: 'video', source: local('loop.mp4'), play: 'fit_to_scene', fit: 'cover' } },
        { input: { type: 'silence', seconds: 2 }, background: { type: 'video', source: remote('https://cdn.example/v.mp4'), play: 'once', fit: 'none' } },
      ],
    });
    const body = toV2GenerateRequest(spec, ctx);
    const character = { type: 'avatar', avatar_id: 'Angela-inblackskirt-20220820', avatar_style: 'circle', scale: 0.8, offset: { x: 0.2, y: -0.1 } };
    expect(body).toEqual({
      video_inputs: [
        {
          character,
          voice: { type: 'text', voice_id: voice().id, input_text: 'Hi.', speed: 1.8, pitch: -12, emotion: 'Friendly', locale: 'en-US' },
          background: { type: 'color', value: '#112233' },
        },
        { character, voice: { type: 'audio', audio_asset_id: 'asset-a_mp3' }, background: { type: 'image', image_asset_id: 'asset-bg_jpg', fit: 'contain' } },
        { character, voice: { type: 'audio', audio_url: 'https://cdn.example/b.mp3' }, background: { type: 'image', url: 'https://cdn.example/bg.png', fit: 'crop' } },
        { character, voice: { type: 'silence', duration: 1.5 }, background: { type: 'video', video_asset_id: 'asset-loop_mp4', play_style: 'fit_to_scene', fit: 'cover' } },
        { character, voice: { type: 'silence', duration: 2 }, background: { type: 'video', url: 'https://cdn.example/v.mp4', play_style: 'once', fit: 'none' } },
      ],
      dimension: { width: 1440, height: 1080 },
      caption: true,
      callback_id: ctx.callbackId,
      title: 'Tour',
    });
  });

  it('burns captions with caption_mode burn_in, and sends none as caption false', () => {
    expect(toV2GenerateRequest(video({ caption: 'burn' }), ctx)).toMatchObject({ caption: true, caption_mode: 'burn_in' });
    const none = toV2GenerateRequest(video(), ctx);
    expect(none.caption).toBe(false);
    expect(none).not.toHaveProperty('caption_mode');
  });

  it('omits character and background when the scene has none, and titles by id', () => {
    const body = toV2GenerateRequest(video({ avatar: undefined, background: undefined }), ctx);
    expect(body.video_inputs[0]).toEqual({ voice: expect.objectContaining({ type: 'text' }) });
    expect(body.title).toBe('welcome');
  });

  it('needs a voice for a script (v2 has no avatar default voice)', () => {
    const spec = video({ voice: undefined });
    expect(v2Problems(spec)).toEqual(['welcome: scenes[0].voice: v2 needs a voice for a script (it has no avatar default voice)']);
    expect(() => toV2GenerateRequest(spec, ctx)).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
  });
});

describe('toV2TranslationRequest', () => {
  const opts = { mode: 'speed' as const, captions: false, audioOnly: true, callbackId: 'hb-k-0' };
  it('is one body per language', () => {
    expect(toV2TranslationRequest('https://files.example/v.mp4', 'Spanish', opts)).toEqual({
      video_url: 'https://files.example/v.mp4',
      output_language: 'Spanish',
      translate_audio_only: true,
      callback_id: 'hb-k-0',
    });
  });
  it('refuses captions and precision mode, which the v2 translate API does not have', () => {
    expect(v2TranslationProblems({ mode: 'precision', captions: true })).toHaveLength(2);
    expect(() => toV2TranslationRequest('https://x/v.mp4', 'German', { ...opts, captions: true })).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
  });
});
