/** The emulator's proofreads: bodies checked against HeyGen's schemas, status processing -> completed, SRT, generate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, avatarBody, completedVideo, jsonOf, pollUntil, start, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  // Long enough that a session is still processing when first asked about, on a loaded machine too.
  api = await start({ translateMs: 1500 });
});
afterAll(() => api.emu.stop());

const SRT = Buffer.from('1\n00:00:00,000 --> 00:00:02,000\nHola a todos.\n');

async function upload(bytes: Buffer, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), name);
  const res = await fetch(`${api.emu.url}/v3/assets`, { method: 'POST', headers: { 'X-Api-Key': KEY }, body: form });
  return ((await jsonOf(res)) as { data: { asset_id: string } }).data.asset_id;
}

/** A finished render of the emulator, whose URL a proofread can take. */
async function sourceUrl(script: string): Promise<string> {
  const made = await api.post('/v3/videos', avatarBody({ script }));
  return (await completedVideo(api, made.json.data.video_id)).json.data.video_url as string;
}

describe('proofreads', () => {
  it('refuses a body the official schema refuses (title and output_languages are required)', async () => {
    const url = 'https://example.com/a.mp4';
    const noTitle = await api.post('/v3/video-translations/proofreads', { video: { type: 'url', url }, output_languages: ['Spanish (Spain)'] });
    expect(noTitle.status).toBe(400);
    expect(noTitle.json.error.message).toContain('title');
    const badMode = await api.post('/v3/video-translations/proofreads', { video: { type: 'url', url }, output_languages: ['Spanish (Spain)'], title: 't', mode: 'fast' });
    expect(badMode.status).toBe(400);
  });

  it('goes processing -> completed, serves an SRT of the source speech, takes an SRT asset, and generates a translation', async () => {
    const url = await sourceUrl('Our chief engineer Smith shows the lab.');
    const made = await api.post('/v3/video-translations/proofreads', { video: { type: 'url', url }, output_languages: ['Spanish (Spain)'], title: 'tour es' });
    expect(made.status).toBe(200);
    expect(made.json.data).toMatchObject({ status: 'processing', proofread_ids: [expect.stringMatching(/-es$/)] });
    const id = made.json.data.proofread_ids[0] as string;
    const first = await api.get(`/v3/video-translations/proofreads/${id}`);
    expect(first.json.data).toMatchObject({ id, status: 'processing', output_language: 'Spanish (Spain)', title: 'tour es' });
    // Not completed yet: no SRT, no generate.
    expect((await api.get(`/v3/video-translations/proofreads/${id}/srt`)).status).toBe(400);
    await pollUntil(api, `/v3/video-translations/proofreads/${id}`, (a) => a.json.data.status === 'completed');
    const srt = await api.get(`/v3/video-translations/proofreads/${id}/srt`);
    const text = await (await fetch(srt.json.data.srt_url as string)).text();
    expect(text).toMatch(/^1\n00:00:00,000 --> /);
    expect(text).toContain('[Spanish (Spain)] Our chief engineer Smith');

    const png = await upload(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'x.png');
    const notSrt = await api.call('PUT', `/v3/video-translations/proofreads/${id}/srt`, { srt: { type: 'asset_id', asset_id: png } });
    expect(notSrt.status).toBe(400);
    const srtAsset = await upload(SRT, 'tour.es.srt');
    const put = await api.call('PUT', `/v3/video-translations/proofreads/${id}/srt`, { srt: { type: 'asset_id', asset_id: srtAsset } });
    expect(put.status).toBe(200);
    expect(put.json.data).toMatchObject({ id, status: 'completed' });

    const gen = await api.post(`/v3/video-translations/proofreads/${id}/generate`, { captions: true }, { 'Idempotency-Key': 'gen-1' });
    expect(gen.json.data).toMatchObject({ status: 'processing', video_translation_id: expect.stringMatching(/-es$/) });
    const again = await api.post(`/v3/video-translations/proofreads/${id}/generate`, { captions: true }, { 'Idempotency-Key': 'gen-1' });
    expect(again.json.data.video_translation_id).toBe(gen.json.data.video_translation_id);
    const tid = gen.json.data.video_translation_id as string;
    const done = await pollUntil(api, `/v3/video-translations/${tid}`, (a) => a.json.data.status === 'completed');
    expect(done.json.data.video_url).toEqual(expect.any(String));
  });

  it('ends failed with failure_message under the failProofread fault', async () => {
    api.emu.faults.failProofread = { count: 1, message: 'Your video has no speech' };
    const made = await api.post('/v3/video-translations/proofreads', { video: { type: 'url', url: 'https://example.com/a.mp4' }, output_languages: ['French (France)'], title: 't' });
    const id = made.json.data.proofread_ids[0] as string;
    const end = await pollUntil(api, `/v3/video-translations/proofreads/${id}`, (a) => a.json.data.status !== 'processing');
    expect(end.json.data).toMatchObject({ status: 'failed', failure_message: 'Your video has no speech' });
  });
});
