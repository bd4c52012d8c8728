/** The emulator's catalog: looks and voices as HeyGen lists them, real preview bytes, and the renders HeyGen fails. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, avatarBody, completedVideo, start } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const ajv = new Ajv({ strict: false, allErrors: true });
function conforms(name: string, data: unknown): boolean {
  const official = JSON.parse(readFileSync(new URL(`../../src/emulator/schemas/${name}.json`, import.meta.url), 'utf8')) as { ResponseSchema: object };
  const validate = ajv.compile(official.ResponseSchema);
  if (!validate(data)) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`);
  return true;
}

describe('the catalog', () => {
  it('lists looks in pages that follow next_token, in the official shape, with every type and training state', async () => {
    const first = await api.get('/v3/avatars/looks?limit=50');
    expect(conforms('AvatarLooksList', first.json)).toBe(true);
    expect(first.json.data).toHaveLength(50);
    expect(first.json.has_more).toBe(true);
    const second = await api.get(`/v3/avatars/looks?limit=50&token=${first.json.next_token as string}`);
    expect(second.json.has_more).toBe(false);
    const all = [...first.json.data, ...second.json.data] as { id: string; avatar_type: string; status?: string }[];
    expect(new Set(all.map((l) => l.id)).size).toBe(all.length);
    expect(new Set(all.map((l) => l.avatar_type))).toEqual(new Set(['studio_avatar', 'digital_twin', 'photo_avatar']));
    expect(all.filter((l) => l.status).map((l) => l.status).sort((a, b) => a!.localeCompare(b!))).toEqual(['completed', 'completed', 'failed', 'processing']);
    const mine = await api.get('/v3/avatars/looks?ownership=private');
    expect((mine.json.data as unknown[]).length).toBe(4);
    expect(conforms('AvatarLooksGet', (await api.get('/v3/avatars/looks/Daisy-inskirt-20220818')).json)).toBe(true);
    const voice = await api.get('/v3/voices/2d5b0e6cf36f460aa7fc47e3eee4ba54');
    expect(conforms('VoiceGet', voice.json)).toBe(true);
    expect(voice.json.data).toMatchObject({ voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', name: 'Rachel', support_pause: true });
    expect((await api.get('/v3/voices/no-such-voice')).status).toBe(404);
    expect((await api.get('/v3/avatars/looks?limit=51')).status).toBe(400);
  });

  it('serves preview images as real PNGs and voice samples as MP3s, without a key', async () => {
    const looks = (await api.get('/v3/avatars/looks?limit=5')).json.data as { preview_image_url: string }[];
    const png = await fetch(looks[0]!.preview_image_url);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(320); // IHDR width of a landscape look
    const voices = (await api.get('/v3/voices')).json.data as { preview_audio_url: string; support_pause: boolean }[];
    expect(conforms('VoiceList', (await api.get('/v3/voices')).json)).toBe(true);
    const mp3 = await fetch(voices[0]!.preview_audio_url);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect((await api.get('/v3/voices?type=private')).json.data).toHaveLength(1);
  });

  it("fails a render of an unknown, untrained or engine-less look as HeyGen does, and renders a catalog look", async () => {
    const failed = async (body: Record<string, unknown>): Promise<unknown> => {
      const created = await api.post('/v3/videos', avatarBody({ script: 'Hi.', ...body }));
      expect(created.status).toBe(200);
      return (await completedVideo(api, created.json.data.video_id)).json.data;
    };
    expect(await failed({ avatar_id: 'josh_lite3_2023071' })).toMatchObject({ status: 'failed', failure_code: 'avatar_not_found' });
    expect(await failed({ avatar_id: 'look_twin_training_0002' })).toMatchObject({ status: 'failed', failure_code: 'avatar_not_ready' });
    expect(await failed({ avatar_id: 'Edward-classic-20210115' })).toMatchObject({ status: 'failed', failure_code: 'engine_not_supported' });
    expect(await failed({ avatar_id: 'Edward-classic-20210115', engine: { type: 'avatar_iii' } })).toMatchObject({ status: 'completed' });
    expect(await failed({ avatar_id: 'josh_lite3_20230714' })).toMatchObject({ status: 'completed' });
  });
});
