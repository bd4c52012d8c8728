/**
 * Bodies are checked against HeyGen's official v3 request schemas, and answers conform to the
 * official response schemas (copies in test/fixtures/emulator).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, avatarBody, completedVideo, pollUntil, jsonOf, start } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const ajv = new Ajv({ strict: false, allErrors: true });
function responseSchema(name: string): (data: unknown) => boolean {
  const file = new URL(`../fixtures/emulator/${name}.json`, import.meta.url);
  const official = JSON.parse(readFileSync(file, 'utf8')) as { ResponseSchema: object };
  const validate = ajv.compile(official.ResponseSchema);
  return (data) => {
    const ok = validate(data);
    if (!ok) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`);
    return ok;
  };
}

describe('v3 request validation', () => {
  it.each([
    [{ type: 'avatar', script: 'hi', voice_id: 'v' }, 'avatar_id'],
    [{ type: 'hologram', avatar_id: 'a' }, 'type'],
    [avatarBody({ resolution: '8k' }), 'resolution'],
    [avatarBody({ voice_settings: { speed: 'fast' } }), 'voice_settings.speed'],
    [avatarBody({ engine: { type: 'avatar_x' } }), 'engine.type'],
    [avatarBody({ voice_settings: { speed: 3 } }), 'voice_settings.speed'],
    [avatarBody({ audio_url: 'https://example.com/a.mp3' }), 'script'],
    [{ type: 'studio', scenes: [{ type: 'image', source: { type: 'url' } }] }, 'scenes[0].source.url'],
  ])('rejects %j with 400 validation_error naming %s', async (body, param) => {
    const res = await api.post('/v3/videos', body);
    expect(res.status).toBe(400);
    const leaf = param.split('.').pop() ?? param;
    expect(res.json.error).toMatchObject({ code: 'validation_error', param, message: expect.stringContaining(leaf) });
  });

  it('accepts each documented video type', async () => {
    const bodies = [
      avatarBody({ engine: { type: 'avatar_iii' }, aspect_ratio: '9:16', resolution: '1080p', background: { type: 'color', value: '#112233' } }),
      { type: 'image', image: { type: 'url', url: 'https://example.com/face.png' }, script: 'Hi', voice_id: 'v' },
      {
        type: 'studio',
        scenes: [
          { type: 'avatar_video', input: { type: 'avatar', avatar_id: 'a', script: 'One.', voice_id: 'v' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/slide.png' }, duration: 3 },
        ],
      },
    ];
    for (const body of bodies) {
      const res = await api.post('/v3/videos', body);
      expect(res.status, res.text).toBe(200);
    }
  });

  it('refuses a body that is not JSON', async () => {
    const res = await api.post('/v3/videos', '{nope');
    expect(res.status).toBe(400);
  });

  it('refuses an asset id that was never uploaded', async () => {
    const res = await api.post('/v3/videos', avatarBody({ script: undefined, audio_asset_id: 'deadbeef' }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'asset_not_available', param: 'audio_asset_id' });
  });

  it('translations need names from the languages list', async () => {
    const langs = await api.get('/v3/video-translations/languages');
    expect(langs.json.data.languages).toEqual(expect.arrayContaining(['Spanish (Spain)', 'Japanese (Japan)', 'French (France)']));
    const bad = await api.post('/v3/video-translations', { video: { type: 'url', url: 'https://x/v.mp4' }, output_languages: ['es-ES'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'validation_error', param: 'output_languages[0]' });
    const noVideo = await api.post('/v3/video-translations', { output_languages: ['English'] });
    expect(noVideo.json.error.param).toBe('video');
  });
});

describe('v3 answers match the official response schemas', () => {
  it('videos, statuses, users/me', async () => {
    const created = await api.post('/v3/videos', avatarBody({ caption: { file_format: 'srt' } }));
    expect(responseSchema('VideoCreate')(created.json)).toBe(true);
    const done = await completedVideo(api, created.json.data.video_id);
    expect(responseSchema('VideoGet')(done.json)).toBe(true);
    const statuses = await api.get(`/v3/videos/statuses?video_ids=${created.json.data.video_id},nope`);
    expect(responseSchema('VideoStatusesList')(statuses.json)).toBe(true);
    expect(responseSchema('UserMeGet')((await api.get('/v3/users/me')).json)).toBe(true);
    expect(responseSchema('VideoTranslateLanguagesList')((await api.get('/v3/video-translations/languages')).json)).toBe(true);
  });

  it('assets and translations', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 tiny')], { type: 'application/pdf' }), 'deck.pdf');
    const asset = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': 'test-key' }, body: form });
    const assetJson = await jsonOf(asset);
    expect(responseSchema('AssetCreate')(assetJson)).toBe(true);
    expect(assetJson.data).toMatchObject({ mime_type: 'application/pdf', size_bytes: 13 });

    const created = await api.post('/v3/video-translations', {
      video: { type: 'url', url: 'https://example.com/talk.mp4' },
      output_languages: ['Spanish (Spain)', 'German (Germany)'],
      enable_caption: true,
      callback_id: 'tr-1',
    });
    expect(responseSchema('VideoTranslateCreate')(created.json)).toBe(true);
    const ids = created.json.data.video_translation_ids as string[];
    expect(ids).toHaveLength(2);
    const done = await pollUntil(api, `/v3/video-translations/${ids[0]}`, (a) => a.json.data.status === 'completed');
    expect(responseSchema('VideoTranslateGet')(done.json)).toBe(true);
    expect(done.json.data).toMatchObject({
      output_language: 'Spanish (Spain)',
      callback_id: 'tr-1',
      video_url: expect.stringContaining('.mp4?'),
      srt_caption_url: expect.stringContaining('.srt?'),
    });
  });
});
