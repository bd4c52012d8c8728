/** The answers of the endpoints added for issue #8 conform to HeyGen's official response schemas (the verbatim copies the emulator ships). */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, avatarBody, completedVideo, start } from './helpers.js';
import { silentWav } from './media-tools.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const ajv = new Ajv({ strict: false, allErrors: true });
function conforms(name: string, data: unknown): boolean {
  const file = new URL(`../../src/emulator/schemas/${name}.json`, import.meta.url);
  const official = JSON.parse(readFileSync(file, 'utf8')) as { ResponseSchema: object };
  const validate = ajv.compile(official.ResponseSchema);
  if (!validate(data)) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`);
  return true;
}

describe('official response schemas', () => {
  it('speech, voices, direct uploads, and a webm video', async () => {
    const speech = await api.post('/v3/voices/speech', { text: 'Hello there.', voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54' });
    expect(conforms('VoiceSpeechCreate', speech.json)).toBe(true);
    expect(conforms('VoiceList', (await api.get('/v3/voices')).json)).toBe(true);

    const wav = silentWav(1);
    const up = await api.post('/v3/assets/direct-uploads', { filename: 'a.wav', content_type: 'audio/wav', size_bytes: wav.length });
    expect(conforms('AssetDirectUploadsCreate', up.json)).toBe(true);
    await fetch(up.json.data.upload_url, { method: 'PUT', headers: up.json.data.upload_headers, body: wav });
    const done = await api.post(`/v3/assets/${up.json.data.asset_id}/complete`, {});
    expect(conforms('AssetCompleteCreate', done.json)).toBe(true);

    const video = await api.post('/v3/videos', avatarBody({ output_format: 'webm', resolution: '720p', script: 'Hi.' }));
    const got = await completedVideo(api, video.json.data.video_id);
    expect(conforms('VideoGet', got.json)).toBe(true);
    expect(got.json.data.video_url).toContain('.webm?');
  });
});
