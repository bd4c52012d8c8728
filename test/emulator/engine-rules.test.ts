/**
 * The engine rules of VideoCreate.json, answered like HeyGen: a 400 `validation_error` naming the
 * parameter, and no job. The allowed forms of the same requests are accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, KEY, avatarBody, jsonOf, start } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(100)]);

async function upload(bytes: Buffer, name: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: form });
  return ((await jsonOf(res)) as { data: { asset_id: string } }).data.asset_id;
}

const PHOTO_LOOK = 'look_photo_ready_0004';
const TWIN = 'look_twin_ready_0001';

describe('engine rules', () => {
  it.each([
    ['expressiveness on avatar_v', { avatar_id: PHOTO_LOOK, engine: { type: 'avatar_v' }, expressiveness: 'high' }, 'expressiveness'],
    ['expressiveness on avatar_iii', { avatar_id: PHOTO_LOOK, engine: { type: 'avatar_iii' }, expressiveness: 'low' }, 'expressiveness'],
    ['expressiveness on a video avatar', { avatar_id: TWIN, expressiveness: 'medium' }, 'expressiveness'],
    ['motion for a video avatar on Avatar IV', { avatar_id: TWIN, motion_prompt: 'waves' }, 'motion_prompt'],
    ['motion on avatar_iii', { avatar_id: PHOTO_LOOK, engine: { type: 'avatar_iii' }, motion_prompt: 'nods' }, 'motion_prompt'],
    ['4K of a photo avatar on avatar_iii', { avatar_id: PHOTO_LOOK, engine: { type: 'avatar_iii' }, resolution: '4k' }, 'resolution'],
    ['an engine on type: image', { type: 'image', avatar_id: undefined, image: { type: 'url', url: 'https://example.com/me.png' }, engine: { type: 'avatar_v' } }, 'engine'],
  ])('%s: 400 naming the parameter, no job', async (_name, extra, param) => {
    const jobs = api.emu.jobs().length;
    const res = await api.post('/v3/videos', avatarBody(extra));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_error', param });
    expect(api.emu.jobs().length).toBe(jobs);
  });

  it('accepts the allowed forms: motion for a video avatar on avatar_v, expressiveness and motion for photos on IV, a photo as type: image', async () => {
    const photo = await upload(PNG, 'me.png', 'image/png');
    for (const extra of [
      { avatar_id: TWIN, engine: { type: 'avatar_v' }, motion_prompt: 'leans in' },
      { avatar_id: PHOTO_LOOK, expressiveness: 'high', motion_prompt: 'nods' },
      { type: 'image', avatar_id: undefined, image: { type: 'asset_id', asset_id: photo }, expressiveness: 'medium', motion_prompt: 'smiles', resolution: '4k' },
    ]) {
      const res = await api.post('/v3/videos', avatarBody(extra));
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
  });

  it('type: image needs a PNG or JPEG', async () => {
    const wav = await upload(WAV, 'a.wav', 'audio/wav');
    const res = await api.post('/v3/videos', avatarBody({ type: 'image', avatar_id: undefined, image: { type: 'asset_id', asset_id: wav } }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_error', param: 'image.asset_id' });
  });
});
