import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, avatarBody, completedVideo, start } from './helpers.js';
import { alphaOf, probe } from './media-tools.js';

const NO_MATTING = 'Tyler-incasual-20220721';

let api: Api;
beforeAll(async () => {
  api = await start({ noMattingAvatars: [NO_MATTING] });
});
afterAll(() => api.emu.stop());

async function download(url: string): Promise<{ type: string | null; bytes: Buffer }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('output_format webm', () => {
  it('serves a VP9 WebM with alpha, sized by resolution + aspect_ratio, as long as the script', async () => {
    const created = await api.post('/v3/videos', avatarBody({ output_format: 'webm', resolution: '720p', aspect_ratio: '9:16' }));
    expect(created.status).toBe(200);
    expect(created.json.data.output_format).toBe('webm');
    const done = await completedVideo(api, created.json.data.video_id);
    expect(done.json.data.status).toBe('completed');
    expect(done.json.data.video_url).toMatch(/\.webm\?Expires=/);
    expect(done.json.data.captioned_video_url).toBeNull();

    const file = await download(done.json.data.video_url);
    expect(file.type).toBe('video/webm');
    const p = await probe(file.bytes, 'webm');
    const video = p.streams.find((s) => s.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'vp9', width: 720, height: 1280 });
    expect(Number(video.tags.alpha_mode ?? video.tags.ALPHA_MODE)).toBe(1);
    expect(p.streams.some((s) => s.codec_type === 'audio')).toBe(true);
    // 10 words at 150 wpm = 4 s; the file and the status agree.
    expect(done.json.data.duration).toBeCloseTo(4, 1);
    expect(Number(p.format.duration)).toBeCloseTo(done.json.data.duration, 0);

    // Decoded with libvpx: an alpha plane that is transparent around an opaque avatar, to the end.
    for (const at of [0, 3.5]) {
      const alpha = await alphaOf(file.bytes, at);
      expect(alpha.decodedPixFmt).toBe('yuva420p');
      expect(alpha.min).toBe(0);
      expect(alpha.max).toBe(255);
      expect(alpha.mean).toBeGreaterThan(20);
      expect(alpha.mean).toBeLessThan(200);
    }
    const job = api.emu.jobs().find((j) => j.id === created.json.data.video_id);
    expect(job?.render).toMatchObject({ outputFormat: 'webm', width: 720, height: 1280, alpha: true, removeBackground: true });
  });

  it('defaults to 1080p 16:9', async () => {
    const created = await api.post('/v3/videos', avatarBody({ output_format: 'webm', script: 'Short one.' }));
    const done = await completedVideo(api, created.json.data.video_id);
    const p = await probe((await download(done.json.data.video_url)).bytes, 'webm');
    expect(p.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1920, height: 1080 });
  });

  it('returns the sidecar subtitle_url when caption is requested', async () => {
    const created = await api.post('/v3/videos', avatarBody({ output_format: 'webm', resolution: '720p', caption: { file_format: 'srt' } }));
    const done = await completedVideo(api, created.json.data.video_id);
    expect(done.json.data.subtitle_url).toMatch(/\.srt\?Expires=/);
    const srt = await (await fetch(done.json.data.subtitle_url)).text();
    expect(srt).toContain('Welcome to the quarterly update');
  });

  it('rejects a background with webm, as the schema says ("any background value is rejected")', async () => {
    const res = await api.post('/v3/videos', avatarBody({ output_format: 'webm', background: { type: 'color', value: '#000000' } }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_error', param: 'background', doc_url: expect.any(String) });
  });

  it('rejects output_format on a studio video (MP4 only) and an unknown output_format', async () => {
    const studio = await api.post('/v3/videos', {
      type: 'studio',
      output_format: 'webm',
      scenes: [{ type: 'avatar_video', input: { type: 'avatar', avatar_id: 'a', voice_id: 'v', script: 'Hi there.' } }],
    });
    expect(studio.status).toBe(400);
    expect(studio.json.error).toMatchObject({ code: 'validation_error', param: 'output_format' });
    const mov = await api.post('/v3/videos', avatarBody({ output_format: 'mov' }));
    expect(mov.status).toBe(400);
    expect(mov.json.error.param).toBe('output_format');
  });
});

describe('avatars without matting', () => {
  it('a webm render of one ends failed with a failure code and message, and costs nothing', async () => {
    const before = api.emu.credits();
    const created = await api.post('/v3/videos', avatarBody({ avatar_id: NO_MATTING, output_format: 'webm' }));
    expect(created.status).toBe(200);
    const done = await completedVideo(api, created.json.data.video_id);
    expect(done.json.data).toMatchObject({
      status: 'failed',
      failure_code: 'avatar_matting_not_supported',
      failure_message: expect.stringContaining('matting'),
      video_url: null,
    });
    expect(api.emu.credits()).toBe(before);
  });

  it('remove_background on mp4 fails the same way; the same avatar renders plain mp4 fine', async () => {
    const removed = await api.post('/v3/videos', avatarBody({ avatar_id: NO_MATTING, remove_background: true }));
    expect((await completedVideo(api, removed.json.data.video_id)).json.data.failure_code).toBe('avatar_matting_not_supported');
    const plain = await api.post('/v3/videos', avatarBody({ avatar_id: NO_MATTING }));
    expect((await completedVideo(api, plain.json.data.video_id)).json.data.status).toBe('completed');
  });

  it('remove_background with an avatar that has matting completes as mp4', async () => {
    const created = await api.post('/v3/videos', avatarBody({ remove_background: true, background: { type: 'color', value: '#00ff00' } }));
    const done = await completedVideo(api, created.json.data.video_id);
    expect(done.json.data).toMatchObject({ status: 'completed', video_url: expect.stringMatching(/\.mp4\?/) });
    const job = api.emu.jobs().find((j) => j.id === created.json.data.video_id);
    expect(job?.render).toMatchObject({ outputFormat: 'mp4', alpha: false, removeBackground: true, background: { type: 'color', value: '#00ff00' } });
  });

  it('the list is settable at run time through emu.settings and POST /__emulator/settings', async () => {
    const set = await fetch(`${api.emu.url}/__emulator/settings`, { method: 'POST', body: JSON.stringify({ noMattingAvatars: ['Anna-x'] }) });
    expect(set.status).toBe(200);
    expect(api.emu.settings.noMattingAvatars).toEqual(['Anna-x']);
    const created = await api.post('/v3/videos', avatarBody({ avatar_id: 'Anna-x', output_format: 'webm' }));
    expect((await completedVideo(api, created.json.data.video_id)).json.data.status).toBe('failed');
    const state: any = await (await fetch(`${api.emu.url}/__emulator/state`)).json();
    expect(state.settings.noMattingAvatars).toEqual(['Anna-x']);
    const bad = await fetch(`${api.emu.url}/__emulator/settings`, { method: 'POST', body: JSON.stringify({ noMatting: [] }) });
    expect(bad.status).toBe(400);
    api.emu.settings.noMattingAvatars = [NO_MATTING];
  });
});
