import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, KEY, avatarBody, completedVideo, jsonOf, pollUntil, start } from './helpers.js';
import { silentMp3, silentWav } from './media-tools.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(200, 1)]);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function upload(bytes: Buffer, name: string, type: string): Promise<any> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: form });
  expect(res.status).toBe(200);
  return (await jsonOf(res)).data;
}

describe('image backgrounds by asset_id', () => {
  it('records the background in the job state; an unknown asset is a 400 asset_not_available', async () => {
    const png = await upload(PNG, 'bg.png', 'image/png');
    const created = await api.post('/v3/videos', avatarBody({ background: { type: 'image', asset_id: png.asset_id } }));
    expect(created.status).toBe(200);
    const state: any = await (await fetch(`${api.emu.url}/__emulator/state`)).json();
    const job = state.jobs.find((j: any) => j.id === created.json.data.video_id);
    expect(job.render.background).toEqual({ type: 'image', asset_id: png.asset_id, mime_type: 'image/png' });

    const unknown = await api.post('/v3/videos', avatarBody({ background: { type: 'image', asset_id: 'f'.repeat(32) } }));
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'asset_not_available', param: 'background.asset_id', doc_url: expect.any(String) });
  });

  it('rejects backgrounds the descriptions rule out: no source, both sources, a non-image asset, a color without a hex value', async () => {
    const wav = await upload(silentWav(1), 'a.wav', 'audio/wav');
    const cases: Array<[unknown, string]> = [
      [{ type: 'image' }, 'background.asset_id'],
      [{ type: 'image', url: 'https://x/y.png', asset_id: wav.asset_id }, 'background.url'],
      [{ type: 'image', asset_id: wav.asset_id }, 'background.asset_id'],
      [{ type: 'color' }, 'background.value'],
      [{ type: 'color', value: 'red' }, 'background.value'],
      [{ type: 'video', url: 'https://x/y.mp4' }, 'background.type'],
    ];
    for (const [background, param] of cases) {
      const res = await api.post('/v3/videos', avatarBody({ background }));
      expect(res.status, JSON.stringify(background)).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'validation_error', param });
    }
  });
});

describe('studio scene backgrounds', () => {
  it('take the colour-only studio shape {type, color}; the avatar shape {type, value} is refused there', async () => {
    const scene = (background: unknown): unknown => ({
      type: 'avatar_video',
      input: { type: 'avatar', avatar_id: 'a', voice_id: 'v', script: 'Hi there.', background },
    });
    const ok = await api.post('/v3/videos', { type: 'studio', scenes: [scene({ type: 'color', color: '#223344' })] });
    expect(ok.status).toBe(200);
    const wrongShape = await api.post('/v3/videos', { type: 'studio', scenes: [scene({ type: 'color', value: '#223344' })] });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.json.error.param).toBe('scenes[0].input.background.color');
    const notHex = await api.post('/v3/videos', { type: 'studio', scenes: [scene({ type: 'color', color: '#fff' })] });
    expect(notHex.status).toBe(400);
    expect(notHex.json.error.param).toBe('scenes[0].input.background.color');
  });
});

describe('audio assets', () => {
  it('a WAV: the video lasts as long as the audio (from the header)', async () => {
    const wav = await upload(silentWav(7.5), 'voice.wav', 'audio/wav');
    expect(api.emu.assets().find((a) => a.id === wav.asset_id)?.durationSeconds).toBeCloseTo(7.5, 3);
    const created = await api.post('/v3/videos', avatarBody({ script: undefined, voice_id: undefined, audio_asset_id: wav.asset_id }));
    expect(created.status).toBe(200);
    const done = await completedVideo(api, created.json.data.video_id);
    expect(done.json.data.duration).toBeCloseTo(7.5, 2);
    const job = api.emu.jobs().find((j) => j.id === created.json.data.video_id);
    expect(job?.render?.audio).toEqual({ asset_id: wav.asset_id, seconds: 7.5 });
  });

  it('an MP3: measured with ffprobe; the same in a studio scene', async () => {
    const mp3 = await upload(await silentMp3(3), 'voice.mp3', 'audio/mpeg');
    expect(mp3.mime_type).toBe('audio/mpeg');
    const created = await api.post('/v3/videos', avatarBody({ script: undefined, audio_asset_id: mp3.asset_id }));
    const done = await completedVideo(api, created.json.data.video_id);
    expect(done.json.data.duration).toBeGreaterThan(2.9);
    expect(done.json.data.duration).toBeLessThan(3.2);
    const studio = await api.post('/v3/videos', {
      type: 'studio',
      scenes: [
        { type: 'avatar_video', input: { type: 'avatar', avatar_id: 'a', audio_asset_id: mp3.asset_id } },
        { type: 'avatar_video', input: { type: 'avatar', avatar_id: 'a', voice_id: 'v', script: 'One two three four five.' } },
      ],
    });
    expect(studio.status).toBe(200);
    const s = await completedVideo(api, studio.json.data.video_id);
    expect(s.json.data.duration).toBeCloseTo(done.json.data.duration + 2, 1);
  });

  it('refuses an image as audio_asset_id and audio with a script', async () => {
    const png = await upload(PNG, 'p.png', 'image/png');
    const wrongKind = await api.post('/v3/videos', avatarBody({ script: undefined, audio_asset_id: png.asset_id }));
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json.error).toMatchObject({ code: 'validation_error', param: 'audio_asset_id' });
    const wav = await upload(silentWav(1), 'a.wav', 'audio/wav');
    const both = await api.post('/v3/videos', avatarBody({ audio_asset_id: wav.asset_id }));
    expect(both.status).toBe(400);
  });
});

describe('direct uploads', () => {
  const begin = (body: unknown): Promise<any> => api.post('/v3/assets/direct-uploads', body);

  it('create -> PUT the bytes with upload_headers -> complete gives a usable asset; audio is measured', async () => {
    const wav = silentWav(2.25);
    const created = await begin({ filename: 'narration.wav', content_type: 'audio/wav', size_bytes: wav.length, checksum_sha256: sha(wav) });
    expect(created.status).toBe(200);
    const d = created.json.data;
    expect(d).toMatchObject({ asset_id: expect.any(String), status: 'pending_upload', max_bytes: wav.length, expires_in_seconds: 3600 });
    expect(d.upload_headers['Content-Type']).toBe('audio/wav');

    // Not usable before completion.
    const early = await api.post('/v3/videos', avatarBody({ script: undefined, audio_asset_id: d.asset_id }));
    expect(early.json.error?.code).toBe('asset_not_available');
    const notYet = await api.post(`/v3/assets/${d.asset_id}/complete`, {});
    expect(notYet.status).toBe(400);

    const put = await fetch(d.upload_url, { method: 'PUT', headers: d.upload_headers, body: wav });
    expect(put.status).toBe(200);
    const done = await api.post(`/v3/assets/${d.asset_id}/complete`, {});
    expect(done.status).toBe(200);
    expect(done.json.data).toMatchObject({ asset_id: d.asset_id, mime_type: 'audio/wav', size_bytes: wav.length, url: expect.any(String) });
    // Idempotent: the same asset again.
    expect((await api.post(`/v3/assets/${d.asset_id}/complete`, {})).json.data.asset_id).toBe(d.asset_id);
    expect(api.emu.assets().find((a) => a.id === d.asset_id)).toMatchObject({ sha256: sha(wav), durationSeconds: 2.25 });

    const video = await api.post('/v3/videos', avatarBody({ script: undefined, audio_asset_id: d.asset_id }));
    expect((await completedVideo(api, video.json.data.video_id)).json.data.duration).toBeCloseTo(2.25, 2);
  });

  it('the PUT host answers like S3: wrong type, wrong size, wrong checksum, bad signature', async () => {
    const body = Buffer.from(PNG);
    const { json } = await begin({ filename: 'a.png', content_type: 'image/png', size_bytes: body.length, checksum_sha256: sha(body) });
    const url = json.data.upload_url as string;
    const put = (headers: Record<string, string>, b: Buffer, u = url): Promise<Response> => fetch(u, { method: 'PUT', headers, body: b });
    const wrongType = await put({ ...json.data.upload_headers, 'Content-Type': 'image/jpeg' }, body);
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect((await put(json.data.upload_headers, Buffer.concat([body, Buffer.from('x')]))).status).toBe(400);
    expect((await put(json.data.upload_headers, body.subarray(1))).status).toBe(400);
    const tampered = url.replace(/Signature=[^&]+/, 'Signature=AAAA');
    expect((await put(json.data.upload_headers, body, tampered)).status).toBe(403);
    const other = Buffer.from(body);
    other[20] = 9;
    expect(await (await put(json.data.upload_headers, other)).text()).toContain('BadDigest');
    expect((await put(json.data.upload_headers, body)).status).toBe(200);
  });

  it('refuses a content_type the docs do not name (a QuickTime movie, an MKV, audio/mp3) before any byte is sent, and takes those they do', async () => {
    for (const type of ['video/quicktime', 'video/x-matroska', 'video/x-msvideo', 'audio/mp3', 'application/octet-stream']) {
      const res = await begin({ filename: 'clip.mov', content_type: type, size_bytes: 300 });
      expect(res.status, type).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'validation_error', param: 'content_type' });
      expect(res.json.error.message).toBe(`Unsupported content_type ${type}: use png, jpeg, mp4, webm, mp3, wav, pdf, srt or zip`);
    }
    // Those POST /v3/assets takes, and the examples of AssetDirectUploadsCreate's content_type (zip among them).
    for (const type of ['image/png', 'image/jpeg', 'video/mp4', 'video/webm', 'audio/mpeg', 'audio/wav', 'application/pdf', 'application/x-subrip', 'application/zip']) {
      expect((await begin({ filename: 'f', content_type: type, size_bytes: 300 })).status, type).toBe(200);
    }
  });

  it('complete checks the bytes against content_type; the schema fields are required', async () => {
    const { json } = await begin({ filename: 'v.mp4', content_type: 'video/mp4', size_bytes: PNG.length });
    await fetch(json.data.upload_url, { method: 'PUT', headers: json.data.upload_headers, body: PNG });
    const done = await api.post(`/v3/assets/${json.data.asset_id}/complete`, {});
    expect(done.status).toBe(400);
    expect(done.json.error).toMatchObject({ code: 'validation_error', param: 'content_type' });
    const missing = await begin({ filename: 'v.mp4', content_type: 'video/mp4' });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: 'validation_error', param: 'size_bytes' });
    const unknown = await api.post(`/v3/assets/${'0'.repeat(32)}/complete`, {});
    expect(unknown.status).toBe(404);
  });
});

describe('video uploads', () => {
  // What a content sniffer makes of the first bytes: HeyGen takes "mp4, webm" (AssetCreate.json) by what a file is.
  const iso = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from(`ftyp${brand}`), Buffer.alloc(200, 1)]);
  const ebml = (docType: string): Buffer =>
    Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x80 | docType.length]), Buffer.from(docType), Buffer.alloc(200, 1)]);
  const multipart = async (bytes: Buffer, name: string, type: string): Promise<Response> => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    return fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: form });
  };

  it('takes an MP4 and a WebM by their bytes, and refuses a QuickTime movie, an MKV, an AVI or unknown bytes sent as one', async () => {
    expect((await upload(iso('isom'), 'a.mov', 'video/quicktime')).mime_type).toBe('video/mp4');
    expect((await upload(ebml('webm'), 'a.mp4', 'video/mp4')).mime_type).toBe('video/webm');
    const refused: Array<[Buffer, string]> = [
      [iso('qt  '), 'video/quicktime'],
      [ebml('matroska'), 'video/x-matroska'],
      [Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00AVI LIST', 'latin1'), Buffer.alloc(100)]), 'video/x-msvideo'],
      [Buffer.alloc(300, 9), ''],
    ];
    for (const [bytes, detected] of refused) {
      const res = await multipart(bytes, 'clip.mp4', 'video/mp4');
      expect(res.status, detected).toBe(400);
      const { error } = await jsonOf(res);
      expect(error).toMatchObject({ code: 'validation_error', param: 'file' });
      expect(error.message).toContain(detected ? `Unsupported file type (${detected})` : 'Unsupported file type:');
    }
  });

  it("a direct upload's completion refuses a QuickTime movie or unknown bytes declared as video/mp4", async () => {
    for (const bytes of [iso('qt  '), Buffer.alloc(300, 9)]) {
      const { json } = await api.post('/v3/assets/direct-uploads', { filename: 'clip.mp4', content_type: 'video/mp4', size_bytes: bytes.length });
      expect((await fetch(json.data.upload_url, { method: 'PUT', headers: json.data.upload_headers, body: bytes })).status).toBe(200);
      const done = await api.post(`/v3/assets/${json.data.asset_id}/complete`, {});
      expect(done.status).toBe(400);
      expect(done.json.error).toMatchObject({ code: 'validation_error', param: 'content_type' });
    }
  });
});

describe('translations from an asset', () => {
  it('video {type: asset_id} works for an uploaded video and is refused for an unknown or non-video asset', async () => {
    const mp4 = await upload(MP4, 'src.mp4', 'video/mp4');
    expect(mp4.mime_type).toBe('video/mp4');
    const ok = await api.post('/v3/video-translations', { video: { type: 'asset_id', asset_id: mp4.asset_id }, output_languages: ['Spanish (Spain)'] });
    expect(ok.status).toBe(200);
    const id = ok.json.data.video_translation_ids[0];
    const done = await pollUntil(api, `/v3/video-translations/${id}`, (a) => a.json?.data?.status === 'completed');
    expect(done.json.data.video_url).toMatch(/\.mp4\?Expires=/);
    expect(api.emu.jobs().find((j) => j.id === id)?.body).toMatchObject({ video: { type: 'asset_id', asset_id: mp4.asset_id } });

    const unknown = await api.post('/v3/video-translations', { video: { type: 'asset_id', asset_id: 'nope' }, output_languages: ['Spanish (Spain)'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 'asset_not_available', param: 'video.asset_id' });
    const png = await upload(PNG, 'p.png', 'image/png');
    const notVideo = await api.post('/v3/video-translations', { video: { type: 'asset_id', asset_id: png.asset_id }, output_languages: ['Spanish (Spain)'] });
    expect(notVideo.status).toBe(400);
    expect(notVideo.json.error).toMatchObject({ code: 'validation_error', param: 'video.asset_id' });
    const missingId = await api.post('/v3/video-translations', { video: { type: 'asset_id' }, output_languages: ['Spanish (Spain)'] });
    expect(missingId.status).toBe(400);
    expect(missingId.json.error.param).toBe('video.asset_id');
  });
});
