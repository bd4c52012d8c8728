import { afterEach, describe, expect, it } from 'vitest';
import { type Api, KEY, avatarBody, completedVideo, pollUntil, jsonOf, start, tryFetch, v2Body } from './helpers.js';

let api: Api;
afterEach(() => api.emu.stop());

const statuses = async (n: number, path = '/v3/users/me'): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.get(path)).status);
  return out;
};

describe('faults fire exactly `count` times', () => {
  it('rateLimit: 429 with Retry-After in seconds or as an HTTP date', async () => {
    api = await start();
    api.emu.faults.rateLimit = { count: 2, retryAfter: 7 };
    const first = await api.get('/v3/users/me');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.json.error.code).toBe('rate_limit_exceeded');
    expect(await statuses(2)).toEqual([429, 200]);
    expect(api.emu.faults.rateLimit).toBeUndefined();

    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    api.emu.faults.rateLimit = { count: 1, retryAfter: date };
    const dated = await api.get('/v2/user/remaining_quota');
    expect(dated.headers.get('retry-after')).toBe(date);
    expect(dated.json.error.code).toBe('rate_limit_exceeded');
  });

  it('serverError: 500 in the JSON envelope, 502/503 as a gateway HTML page, limited by paths', async () => {
    api = await start();
    api.emu.faults.serverError = { count: 1 };
    const e500 = await api.get('/v3/users/me');
    expect(e500.status).toBe(500);
    expect(e500.json.error.code).toBe('internal_error');

    api.emu.faults.serverError = { count: 2, status: 503, paths: /^\/v3\/videos\/statuses/ };
    expect(await statuses(1)).toEqual([200]);
    const gateway = await api.get('/v3/videos/statuses?video_ids=a');
    expect(gateway.status).toBe(503);
    expect(gateway.headers.get('content-type')).toBe('text/html');
    expect(await statuses(2, '/v3/videos/statuses?video_ids=a')).toEqual([503, 200]);
  });

  it('httpStatus: 401/402/403 in the endpoint style', async () => {
    api = await start();
    api.emu.faults.httpStatus = { count: 2, status: 402 };
    const v3 = await api.post('/v3/videos', avatarBody());
    expect(v3.status).toBe(402);
    expect(v3.json.error.code).toBe('insufficient_credit');
    const v1 = await api.get('/v1/video_status.get?video_id=x');
    expect(v1.status).toBe(402);
    expect(v1.json).toMatchObject({ code: expect.any(Number), data: null });
    expect(await statuses(1)).toEqual([200]);
    expect(api.emu.jobs()).toHaveLength(0);
  });

  it('dropConnection: the socket closes without an answer and nothing is created', async () => {
    api = await start();
    api.emu.faults.dropConnection = { count: 2 };
    const post = (): Promise<Response | 'dropped'> =>
      tryFetch(`${api.emu.url}/v3/videos`, {
        method: 'POST',
        headers: { 'X-Api-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify(avatarBody()),
      });
    expect(await post()).toBe('dropped');
    expect(await post()).toBe('dropped');
    const third = await post();
    expect(third === 'dropped' ? 0 : third.status).toBe(200);
    expect(api.emu.jobs()).toHaveLength(1);
    expect(api.emu.requests.map((r) => r.fault ?? r.status)).toEqual(['dropConnection', 'dropConnection', 200]);
  });

  it('slow: delays without changing the answer', async () => {
    api = await start();
    api.emu.faults.slow = { count: 1, ms: 50 };
    expect(await statuses(2)).toEqual([200, 200]);
    expect(api.emu.requests.map((r) => r.fault)).toEqual(['slow', undefined]);
  });

  it('failRender: the next N renders fail with the given reason, free of charge', async () => {
    api = await start();
    api.emu.faults.failRender = { count: 1, code: 'download_failed', message: 'Could not fetch audio_url' };
    const failed = (await api.post('/v3/videos', avatarBody())).json.data.video_id as string;
    const fine = (await api.post('/v3/videos', avatarBody())).json.data.video_id as string;
    const f = await completedVideo(api, failed);
    expect(f.json.data).toMatchObject({
      status: 'failed',
      failure_code: 'download_failed',
      failure_message: 'Could not fetch audio_url',
      video_url: null,
    });
    const v1 = await api.get(`/v1/video_status.get?video_id=${failed}`);
    expect(v1.json.data).toMatchObject({ status: 'failed', error: { code: 'download_failed', message: 'Could not fetch audio_url' } });
    const statusesAnswer = await api.get(`/v3/videos/statuses?video_ids=${failed}`);
    expect(statusesAnswer.json.data[0]).toMatchObject({ status: 'failed', error: { code: 'download_failed' } });
    expect((await completedVideo(api, fine)).json.data.status).toBe('completed');
    expect(api.emu.jobs().find((j) => j.id === failed)?.credits).toBe(0);
  });

  it('over HTTP (README "Faults for manual trials"): every fault the README names is accepted, and failRender with a count alone fails with a reason', async () => {
    api = await start();
    const post = (patch: unknown): Promise<Response> => fetch(`${api.emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify(patch) });
    for (const name of ['failProofread', 'expireProofread', 'failTranslation', 'webhookLate']) {
      const r = await post({ [name]: { count: 1, message: 'x', ms: 1 } });
      expect(r.status, name).toBe(200);
      expect((await post({ [name]: null })).status).toBe(200);
    }
    expect((await post({ failRender: { count: 1 } })).status).toBe(200);
    const failed = (await api.post('/v3/videos', avatarBody())).json.data.video_id as string;
    expect((await completedVideo(api, failed)).json.data).toMatchObject({ status: 'failed', failure_code: 'render_failed', failure_message: 'The render failed (emulator fault failRender)' });
    expect((await post({ noSuchFault: { count: 1 } })).status).toBe(400);
  });

  it('failRender with a numeric v1 code, and failTranslation', async () => {
    api = await start();
    api.emu.faults.failRender = { count: 1, code: 40119, message: 'Video is too long (> 3600.0s)' };
    const id = (await api.post('/v2/video/generate', v2Body())).json.data.video_id as string;
    const v1 = await pollUntil(api, `/v1/video_status.get?video_id=${id}`, (a) => a.json.data.status === 'failed');
    expect(v1.json.data.error).toMatchObject({ code: 40119, message: 'Video is too long (> 3600.0s)' });

    api.emu.faults.failTranslation = { count: 1, message: "Your video's audio is missing or corrupted" };
    const tr = await api.post('/v2/video_translate', { video_url: 'https://example.com/v.mp4', output_language: 'Spanish (Spain)' });
    const got = await pollUntil(api, `/v2/video_translate/${tr.json.data.video_translate_id}`, (a) => a.json.data.status !== 'pending' && a.json.data.status !== 'running');
    expect(got.json.data).toMatchObject({ status: 'failed', message: "Your video's audio is missing or corrupted", url: null });
  });

  it('request faults leave downloads alone unless paths say so', async () => {
    api = await start();
    const id = (await api.post('/v3/videos', avatarBody())).json.data.video_id as string;
    const done = await completedVideo(api, id);
    api.emu.faults.rateLimit = { count: 1, retryAfter: 1 };
    expect((await fetch(done.json.data.video_url)).status).toBe(200);
    expect(api.emu.faults.rateLimit?.count).toBe(1);
    api.emu.faults.serverError = { count: 1, status: 500, paths: /^\/files\// };
    api.emu.faults.rateLimit = undefined;
    const res = await fetch(done.json.data.video_url);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('<Code>InternalError</Code>');
  });
});

describe('admin endpoints', () => {
  it('POST /__emulator/faults sets faults from JSON (paths as a RegExp source), GET /__emulator/state shows everything', async () => {
    api = await start();
    const set = await fetch(`${api.emu.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ rateLimit: { count: 1, retryAfter: 3, paths: '^/v3/users' } }),
    });
    expect(set.status).toBe(200);
    expect(api.emu.faults.rateLimit?.paths).toBeInstanceOf(RegExp);
    expect((await api.get('/v2/user/remaining_quota')).status).toBe(200);
    expect((await api.get('/v3/users/me')).status).toBe(429);
    await api.post('/v3/videos', avatarBody());

    const state = await jsonOf(await fetch(`${api.emu.url}/__emulator/state`));
    expect(state.jobs).toHaveLength(1);
    expect(state.requests.map((r: { path: string }) => r.path)).toEqual(['/v2/user/remaining_quota', '/v3/users/me', '/v3/videos']);
    expect(state.credits).toBe(api.emu.credits());

    await fetch(`${api.emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ failRender: { count: 1, code: 'x', message: 'y' } }) });
    await fetch(`${api.emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ failRender: null }) });
    expect(api.emu.faults.failRender).toBeUndefined();
    const bad = await fetch(`${api.emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ meteor: {} }) });
    expect(bad.status).toBe(400);
  });
});
