import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paddedMp4, paddedSize } from '../../src/emulator/media.js';
import { type Api, KEY, avatarBody, pollUntil, jsonOf, start } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('assets', () => {
  it('v3: multipart `file` -> asset_id, url, detected mime_type, size_bytes; the id works in a render', async () => {
    const form = new FormData();
    // Declared as octet-stream: the type comes from the bytes.
    form.append('file', new Blob([PNG], { type: 'application/octet-stream' }), 'bg.png');
    const res = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: form });
    expect(res.status).toBe(200);
    const { data } = await jsonOf(res);
    expect(data).toMatchObject({ asset_id: expect.any(String), url: expect.any(String), mime_type: 'image/png', size_bytes: PNG.length });
    expect(api.emu.assets().find((a) => a.id === data.asset_id)).toMatchObject({ sha256: sha(PNG), name: 'bg.png', api: 'v3' });
    const video = await api.post('/v3/videos', avatarBody({ background: { type: 'image', asset_id: data.asset_id } }));
    expect(video.status).toBe(200);
  });

  it('v3: refuses a missing file field and an unsupported type', async () => {
    const noFile = new FormData();
    noFile.append('other', 'x');
    const a = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: noFile });
    expect(a.status).toBe(400);
    expect((await jsonOf(a)).error).toMatchObject({ code: 'validation_error', param: 'file' });
    const exe = new FormData();
    exe.append('file', new Blob([Buffer.from('MZ\x90\x00binary')], { type: 'application/x-msdownload' }), 'a.exe');
    const b = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: exe });
    expect(b.status).toBe(400);
  });

  it('v1: raw body with Content-Type -> {code: 100, data: {id, file_type, url, image_key}, msg: null}', async () => {
    const res = await fetch(`${api.emu.url}/v1/asset`, {
      method: 'POST',
      headers: { 'X-Api-Key': KEY, 'Content-Type': 'image/png' },
      body: PNG,
    });
    expect(res.status).toBe(200);
    const json = await jsonOf(res);
    expect(json).toMatchObject({ code: 100, msg: null, data: { id: expect.any(String), file_type: 'image', url: expect.any(String) } });
    expect(json.data.image_key).toContain(json.data.id);
    expect(api.emu.assets().find((a) => a.id === json.data.id)?.sha256).toBe(sha(PNG));
    const bad = await fetch(`${api.emu.url}/v1/asset`, { method: 'POST', headers: { 'X-Api-Key': KEY, 'Content-Type': 'text/html' }, body: 'x' });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).code).not.toBe(100);
  });
});

describe('v2 translation', () => {
  it('target_languages lists names; a translation goes pending/running -> success with a url', async () => {
    const langs = await api.get('/v2/video_translate/target_languages');
    expect(langs.json).toMatchObject({ error: null, data: { languages: expect.arrayContaining(['English', 'Spanish (Mexico)']) } });
    const created = await api.post('/v2/video_translate', {
      video_url: 'https://example.com/talk.mp4',
      output_language: 'Spanish (Mexico)',
      title: 'talk-es',
      callback_id: 'cb',
    });
    expect(created.json).toEqual({ error: null, data: { video_translate_id: expect.any(String) } });
    const id = created.json.data.video_translate_id as string;
    const done = await pollUntil(api, `/v2/video_translate/${id}`, (a) => !['pending', 'running'].includes(a.json.data.status));
    expect(done.json.data).toMatchObject({ video_translate_id: id, status: 'success', title: 'talk-es', url: expect.stringContaining('.mp4?') });
    const mp4 = await fetch(done.json.data.url);
    expect(Buffer.from(await mp4.arrayBuffer()).subarray(4, 8).toString()).toBe('ftyp');
  });

  it('refuses a language that is not in the list', async () => {
    const res = await api.post('/v2/video_translate', { video_url: 'https://example.com/t.mp4', output_language: 'es' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: expect.any(String) });
  });
});

describe('padding beyond 4 GB', () => {
  it('uses a 64-bit free box header', () => {
    const total = 5 * 1024 ** 3;
    const first = [...paddedMp4(total, 0, 8)];
    expect(Buffer.concat(first).subarray(4, 8).toString('latin1')).toBe('ftyp');
    const baseLen = paddedSize(undefined);
    const header = Buffer.concat([...paddedMp4(total, baseLen, baseLen + 16)]);
    expect(header.readUInt32BE(0)).toBe(1);
    expect(header.subarray(4, 8).toString('latin1')).toBe('free');
    expect(header.readBigUInt64BE(8)).toBe(BigInt(total - baseLen));
  });
});
