import { describe, expect, it } from 'vitest';
import { HeygenBuildError } from '../../../src/errors.js';
import { toV3TranslationRequest, toV3VideoRequest, v3Dimension, v3Problems } from '../../../src/providers/heygen/map-v3.js';
import { check, validator } from './helpers/openapi.js';
import { avatar, ctx, local, remote, script, video, voice } from './helpers/specs.js';

const videoCreate = validator('VideoCreate', 'RequestSchema');
const translateCreate = validator('VideoTranslateCreate', 'RequestSchema');

function unsupported(fn: () => unknown): HeygenBuildError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HeygenBuildError);
    expect((e as HeygenBuildError).code).toBe('E_UNSUPPORTED');
    return e as HeygenBuildError;
  }
  throw new Error('expected E_UNSUPPORTED');
}

describe('the schema check itself', () => {
  it('rejects a misnamed field and a wrong discriminator, so the checks below can fail', () => {
    const good = toV3VideoRequest(video(), ctx);
    expect(videoCreate({ ...good, background: { type: 'color', color: '#112233' } })).toBe(false);
    expect(videoCreate({ ...good, type: 'avatar_video' })).toBe(false);
    expect(videoCreate({ ...good, avatar_style: 'circle' })).toBe(false);
  });
});

describe('toV3VideoRequest: one avatar scene', () => {
  it('is a schema-valid type:avatar body with script, voice, size, background and callback', () => {
    const body = toV3VideoRequest(video({ voice: voice({ speed: 1.2, pitch: 3, locale: 'en-GB' }), title: 'Welcome' }), ctx);
    check(videoCreate, body);
    expect(body).toEqual({
      type: 'avatar',
      avatar_id: 'Angela-inblackskirt-20220820',
      script: 'Hello and welcome.',
      voice_id: '1bd001e7e50f421d891986aad5158bc8',
      voice_settings: { speed: 1.2, pitch: 3, locale: 'en-GB' },
      title: 'Welcome',
      resolution: '1080p',
      aspect_ratio: '16:9',
      background: { type: 'color', value: '#112233' },
      callback_id: ctx.callbackId,
    });
  });

  it('sends captions as a sidecar, and adds the burn-in style for burn', () => {
    const file = toV3VideoRequest(video({ caption: 'file' }), ctx);
    const burn = toV3VideoRequest(video({ caption: 'burn' }), ctx);
    check(videoCreate, file);
    check(videoCreate, burn);
    expect(file).toMatchObject({ caption: { file_format: 'srt' } });
    expect((file as { caption: object }).caption).not.toHaveProperty('style');
    expect(burn).toMatchObject({ caption: { file_format: 'srt', style: 'default' } });
    expect(toV3VideoRequest(video(), ctx)).not.toHaveProperty('caption');
  });

  it('maps audio input and image backgrounds to uploaded asset ids or URLs', () => {
    const uploaded = toV3VideoRequest(
      video({ scenes: [{ input: { type: 'audio', source: local('media/voice.mp3') } }], background: { type: 'image', source: local('media/bg.png'), fit: 'cover' } }),
      ctx,
    );
    check(videoCreate, uploaded);
    expect(uploaded).toMatchObject({ audio_asset_id: 'asset-media_voice_mp3', background: { type: 'image', asset_id: 'asset-media_bg_png' } });
    expect(uploaded).not.toHaveProperty('script');
    expect(uploaded).not.toHaveProperty('voice_settings');

    const urls = toV3VideoRequest(
      video({ scenes: [{ input: { type: 'audio', source: remote('https://cdn.example/a.mp3') } }], background: { type: 'image', source: remote('https://cdn.example/bg.jpg'), fit: 'cover' } }),
      ctx,
    );
    check(videoCreate, urls);
    expect(urls).toMatchObject({ audio_url: 'https://cdn.example/a.mp3', background: { type: 'image', url: 'https://cdn.example/bg.jpg' } });
  });

  it('leaves voice_id out when there is no voice (the avatar speaks with its default voice)', () => {
    const body = toV3VideoRequest(video({ voice: undefined }), ctx);
    check(videoCreate, body);
    expect(body).not.toHaveProperty('voice_id');
  });

  it('refuses a local asset that was not uploaded', () => {
    expect(() => toV3VideoRequest(video({ scenes: [{ input: { type: 'audio', source: local('a.mp3') } }] }), { ...ctx, assetId: () => undefined })).toThrow(
      /a\.mp3 has not been uploaded/,
    );
  });
});

describe('toV3VideoRequest: several scenes', () => {
  it('is a schema-valid studio body with avatar, narrated-image and silent-image scenes', () => {
    const spec = video({
      caption: 'burn',
      dimension: { width: 1080, height: 1920 },
      scenes: [
        script('First.'),
        script('Second.', { avatar: avatar({ id: 'other-look' }), voice: voice({ id: 'v2', locale: 'fr-FR' }), background: { type: 'color', color: '#ffffff' } }),
        { input: { type: 'audio', source: local('a.wav') }, avatar: avatar() },
        { input: { type: 'silence', seconds: 2.5 } },
      ],
    });
    // Scene 4 has no avatar of its own but inherits the video's: give the video none and scenes their own.
    spec.avatar = undefined;
    spec.scenes[0]!.avatar = avatar();
    spec.scenes[3]!.background = { type: 'image', source: local('slide.png'), fit: 'cover' };
    spec.scenes.push(script('Over a slide.', { background: { type: 'image', source: remote('https://cdn.example/s.png'), fit: 'cover' } }));

    const body = toV3VideoRequest(spec, ctx);
    check(videoCreate, body);
    expect(body).toMatchObject({ type: 'studio', resolution: '1080p', aspect_ratio: '9:16', caption: { file_format: 'srt', style: 'default' }, callback_id: ctx.callbackId });
    expect((body as { scenes: unknown[] }).scenes).toEqual([
      {
        type: 'avatar_video',
        input: { type: 'avatar', avatar_id: 'Angela-inblackskirt-20220820', script: 'First.', voice_id: voice().id, voice_settings: { speed: 1, pitch: 0 }, background: { type: 'color', color: '#112233' } },
      },
      {
        type: 'avatar_video',
        input: { type: 'avatar', avatar_id: 'other-look', script: 'Second.', voice_id: 'v2', voice_settings: { speed: 1, pitch: 0, locale: 'fr-FR' }, background: { type: 'color', color: '#ffffff' } },
      },
      { type: 'avatar_video', input: { type: 'avatar', avatar_id: 'Angela-inblackskirt-20220820', audio_asset_id: 'asset-a_wav', background: { type: 'color', color: '#112233' } } },
      { type: 'image', source: { type: 'asset_id', asset_id: 'asset-slide_png' }, duration: 2.5 },
      { type: 'image', source: { type: 'url', url: 'https://cdn.example/s.png' }, script: 'Over a slide.', voice_id: voice().id, voice_settings: { speed: 1, pitch: 0 } },
    ]);
  });

  it('names the field of an image background behind an avatar in a studio scene', () => {
    const spec = video({ scenes: [script('a'), script('b', { background: { type: 'image', source: local('bg.png'), fit: 'cover' } })] });
    const err = unsupported(() => toV3VideoRequest(spec, ctx));
    expect(err.message).toBe('welcome: scenes[1].background: an image background cannot be expressed in a v3 studio scene');
    expect(err.hint).toMatch(/--provider local/);
    expect(err.hint).not.toMatch(/v2/);
  });
});

describe('what v3 cannot express is an error, never dropped', () => {
  const cases: [string, Parameters<typeof video>[0], string][] = [
    ['circle style', { avatar: avatar({ style: 'circle' }) }, 'welcome: avatar.style: '],
    ['closeUp style', { scenes: [script('x', { avatar: avatar({ style: 'closeUp' }) })] }, 'welcome: scenes[0].avatar.style: '],
    ['scale', { avatar: avatar({ scale: 1.5 }) }, 'welcome: avatar.scale: '],
    ['offset', { avatar: avatar({ offset: { x: 0.1, y: 0 } }) }, 'welcome: avatar.offset: '],
    ['emotion', { voice: voice({ emotion: 'Friendly' }) }, 'welcome: voice.emotion: '],
    ['video background', { background: { type: 'video', source: local('loop.mp4'), play: 'loop', fit: 'cover' } }, 'welcome: background: a video background'],
    ['background fit', { background: { type: 'image', source: local('bg.png'), fit: 'contain' } }, 'welcome: background.fit: '],
    ['silence with an avatar', { scenes: [{ input: { type: 'silence', seconds: 1 } }] }, 'welcome: scenes[0]: a silent scene with an avatar'],
    ['4:3', { dimension: { width: 1440, height: 1080 } }, 'welcome: dimension: 1440x1080 cannot'],
    ['1000x700', { dimension: { width: 1000, height: 700 } }, 'welcome: dimension: 1000x700 cannot'],
    ['16:9 below 720p', { dimension: { width: 640, height: 360 } }, 'welcome: dimension: 640x360 cannot'],
    ['no avatar over a color', { avatar: undefined }, 'welcome: scenes[0]: a scene without an avatar needs an image background'],
  ];
  it.each(cases)('%s', (_name, over, start) => {
    const spec = video(over);
    const err = unsupported(() => toV3VideoRequest(spec, ctx));
    expect(err.message.startsWith(start)).toBe(true);
    expect(v3Problems(spec).some((p) => p.startsWith(start))).toBe(true);
  });

  it('lists every problem at once for the planner, and as diagnostics on the error', () => {
    const spec = video({ avatar: avatar({ style: 'circle', scale: 2 }), voice: voice({ emotion: 'Serious' }), dimension: { width: 1024, height: 768 } });
    const problems = v3Problems(spec);
    expect(problems).toHaveLength(4);
    const err = unsupported(() => toV3VideoRequest(spec, ctx));
    expect(err.diagnostics.map((d) => d.message)).toEqual(problems);
    expect(err.message).toContain('(and 3 more)');
  });

  it('reports an inherited problem once, not once per scene', () => {
    const spec = video({ avatar: avatar({ style: 'circle' }), scenes: [script('a'), script('b'), script('c')] });
    expect(v3Problems(spec)).toEqual(["welcome: avatar.style: avatar style 'circle' cannot be expressed in v3 (it has no avatar style)"]);
  });

  it('has nothing to say about an expressible video', () => {
    expect(v3Problems(video())).toEqual([]);
  });
});

describe('v3Dimension', () => {
  it.each([
    [1280, 720, '720p', '16:9'],
    [1920, 1080, '1080p', '16:9'],
    [3840, 2160, '4k', '16:9'],
    [1080, 1920, '1080p', '9:16'],
    [720, 720, '720p', '1:1'],
    [1080, 1350, '1080p', '4:5'],
    [1350, 1080, '1080p', '5:4'],
  ])('%ix%i -> %s %s', (width, height, resolution, aspect) => {
    expect(v3Dimension({ width, height })).toEqual({ resolution, aspect_ratio: aspect });
  });
});

describe('toV3TranslationRequest', () => {
  it('is one schema-valid body for all languages', () => {
    const body = toV3TranslationRequest({ url: 'https://files.example/v.mp4?sig=1' }, ['Spanish (Spain)', 'French (France)'], {
      mode: 'precision',
      captions: true,
      audioOnly: false,
      callbackId: 'hb-x-0',
    });
    check(translateCreate, body);
    expect(body).toEqual({
      video: { type: 'url', url: 'https://files.example/v.mp4?sig=1' },
      output_languages: ['Spanish (Spain)', 'French (France)'],
      mode: 'precision',
      enable_caption: true,
      translate_audio_only: false,
      callback_id: 'hb-x-0',
    });
  });
});
