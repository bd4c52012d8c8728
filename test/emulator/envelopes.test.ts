import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, avatarBody, start, v2Body } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

describe('envelopes', () => {
  it('v3 wraps success in {data} and errors in {error:{code,message,doc_url}} with a 4xx status', async () => {
    const ok = await api.post('/v3/videos', avatarBody());
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.json)).toEqual(['data']);
    expect(ok.json.data).toEqual({ video_id: expect.stringMatching(/^[0-9a-f]{32}$/), status: 'waiting', output_format: 'mp4' });

    const missing = await api.get('/v3/videos/0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'not_found', message: expect.any(String), doc_url: expect.any(String) });
    expect(missing.json.data).toBeUndefined();
  });

  it('v2 answers {error: null, data}', async () => {
    const ok = await api.post('/v2/video/generate', v2Body());
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ error: null, data: { video_id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const bad = await api.post('/v2/video/generate', { video_inputs: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.data).toBeNull();
    expect(bad.json.error).toMatchObject({ code: expect.any(String), message: expect.stringContaining('video_inputs') });
  });

  it('v1 answers {code: 100, data, message}', async () => {
    const { json } = await api.post('/v2/video/generate', v2Body());
    const status = await api.get(`/v1/video_status.get?video_id=${json.data.video_id}`);
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ code: 100, message: 'Success', data: { id: json.data.video_id } });
    const missing = await api.get('/v1/video_status.get');
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe(40001);
  });

  // `any`: each row checks a different envelope shape.
  it.each([
    ['/v3/users/me', (j: any) => expect(j.error.code).toBe('unauthorized')],
    ['/v2/user/remaining_quota', (j: any) => expect(j.error).toMatchObject({ code: 'unauthorized' })],
    ['/v1/video_status.get?video_id=x', (j: any) => expect(j.code).toBe(40009)],
  ])('a wrong or missing API key is a 401 in the style of %s', async (path, check) => {
    const wrong = await api.get(path, { 'X-Api-Key': 'nope' });
    expect(wrong.status).toBe(401);
    check(wrong.json);
    const res = await fetch(`${api.emu.url}${path}`);
    expect(res.status).toBe(401);
  });

  it('reads the API key header case-insensitively and accepts a bearer token', async () => {
    const lower = await fetch(`${api.emu.url}/v3/users/me`, { headers: { 'x-api-key': 'test-key' } });
    expect(lower.status).toBe(200);
    const upper = await fetch(`${api.emu.url}/v3/users/me`, { headers: { 'X-API-KEY': 'test-key' } });
    expect(upper.status).toBe(200);
    const res = await fetch(`${api.emu.url}/v3/users/me`, { headers: { Authorization: 'Bearer test-key' } });
    expect(res.status).toBe(200);
  });

  it('records requests with the API key redacted', async () => {
    api.emu.reset();
    await api.post('/v3/videos', avatarBody({ title: 'recorded' }), { 'Idempotency-Key': 'rec-1' });
    const [rec] = api.emu.requests;
    expect(rec).toMatchObject({ method: 'POST', path: '/v3/videos', status: 200, body: { title: 'recorded' } });
    expect(rec?.headers['x-api-key']).toBe('[redacted]');
    expect(rec?.headers['idempotency-key']).toBe('rec-1');
    expect(JSON.stringify(api.emu.requests)).not.toContain('test-key');
  });

  it('reports credits in v3 and v2 (seconds = credits * 60)', async () => {
    const me = await api.get('/v3/users/me');
    expect(me.json.data).toMatchObject({ billing_type: 'wallet', wallet: { currency: 'credits', remaining_balance: api.emu.credits() } });
    const quota = await api.get('/v2/user/remaining_quota');
    expect(quota.json.data.remaining_quota).toBe(Math.round(api.emu.credits() * 60));
  });

  it('answers unknown routes with 404 not_found', async () => {
    const res = await api.get('/v3/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });
});
