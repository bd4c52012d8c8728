import { afterEach, describe, expect, it } from 'vitest';
import { type Api, KEY, avatarBody, start, tryFetch } from './helpers.js';

let api: Api;
afterEach(() => api.emu.stop());

const jobsWithKey = (key: string): number => api.emu.jobs().filter((j) => j.idempotencyKey === key).length;

async function arrived(path: string, n: number): Promise<void> {
  while (api.emu.requests.filter((r) => r.path === path).length < n) await new Promise((r) => setTimeout(r, 5));
}

describe('Idempotency-Key (v3)', () => {
  it('replays the first answer for the same key, even with a different body, and makes one job', async () => {
    api = await start();
    const first = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'build-1:intro' });
    const again = await api.post('/v3/videos', avatarBody({ script: 'Something else entirely.' }), {
      'Idempotency-Key': 'build-1:intro',
    });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(jobsWithKey('build-1:intro')).toBe(1);
    expect(api.emu.jobs()).toHaveLength(1);
  });

  it('scopes keys per endpoint', async () => {
    api = await start();
    const video = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'k' });
    const tr = await api.post(
      '/v3/video-translations',
      { video: { type: 'url', url: 'https://example.com/v.mp4' }, output_languages: ['French (France)'] },
      { 'Idempotency-Key': 'k' },
    );
    expect(tr.status).toBe(200);
    expect(tr.json.data.video_translation_ids[0]).not.toBe(video.json.data.video_id);
  });

  it('answers 409 request_in_progress while the first request is still being processed', async () => {
    api = await start();
    api.emu.faults.slow = { count: 1, ms: 400 };
    const first = api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'slow-1' });
    await arrived('/v3/videos', 1);
    const during = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'slow-1' });
    expect(during.status).toBe(409);
    expect(during.json.error.code).toBe('request_in_progress');
    const done = await first;
    expect(done.status).toBe(200);
    const after = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'slow-1' });
    expect(after.json.data.video_id).toBe(done.json.data.video_id);
    expect(jobsWithKey('slow-1')).toBe(1);
  });

  it('a lost answer (connection reset after the job was made) is recovered by retrying with the key', async () => {
    api = await start();
    api.emu.faults.dropConnection = { count: 1, afterProcessing: true };
    const lost = await tryFetch(`${api.emu.url}/v3/videos`, {
      method: 'POST',
      headers: { 'X-Api-Key': KEY, 'Content-Type': 'application/json', 'Idempotency-Key': 'lost-1' },
      body: JSON.stringify(avatarBody()),
    });
    expect(lost).toBe('dropped');
    expect(jobsWithKey('lost-1')).toBe(1);
    const retry = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'lost-1' });
    expect(retry.json.data.video_id).toBe(api.emu.jobs()[0]?.id);
    expect(api.emu.jobs()).toHaveLength(1);
  });

  it('does not keep error answers: the key stays usable', async () => {
    api = await start();
    const bad = await api.post('/v3/videos', { type: 'avatar' }, { 'Idempotency-Key': 'fix-me' });
    expect(bad.status).toBe(400);
    const good = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'fix-me' });
    expect(good.status).toBe(200);
  });

  it('rejects a malformed key', async () => {
    api = await start();
    const res = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'has spaces!' });
    expect(res.status).toBe(400);
    expect(res.json.error.param).toBe('Idempotency-Key');
    expect(api.emu.jobs()).toHaveLength(0);
  });

  it('v2 ignores the header: every POST is a new job', async () => {
    api = await start();
    const body = { video_inputs: [{ voice: { type: 'text', voice_id: 'v', input_text: 'Hi.' } }] };
    const a = await api.post('/v2/video/generate', body, { 'Idempotency-Key': 'same' });
    const b = await api.post('/v2/video/generate', body, { 'Idempotency-Key': 'same' });
    expect(a.json.data.video_id).not.toBe(b.json.data.video_id);
  });
});

describe('concurrency cap and credits', () => {
  it('answers 429 with Retry-After over the cap, and accepts again once a job finishes', async () => {
    api = await start({ concurrency: 2, renderMs: 500 });
    const a = await api.post('/v3/videos', avatarBody());
    await api.post('/v3/videos', avatarBody());
    const over = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'over-cap' });
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe('rate_limit_exceeded');
    expect(over.headers.get('retry-after')).toBe('1');
    expect(api.emu.jobs()).toHaveLength(2);
    // Wait for a job to finish, by polling its status as a client would.
    while ((await api.get(`/v3/videos/${a.json.data.video_id}`)).json.data.status !== 'completed') {
      await new Promise((r) => setTimeout(r, 25));
    }
    // A 429 is not kept for the key: the retry with it is a new, accepted request.
    const retry = await api.post('/v3/videos', avatarBody(), { 'Idempotency-Key': 'over-cap' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('counts translations (one job per language) against the same cap', async () => {
    api = await start({ concurrency: 2 });
    await api.post('/v3/videos', avatarBody());
    const res = await api.post('/v3/video-translations', {
      video: { type: 'url', url: 'https://example.com/v.mp4' },
      output_languages: ['French (France)', 'German (Germany)'],
    });
    expect(res.status).toBe(429);
    expect(api.emu.jobs()).toHaveLength(1);
  });

  it('answers 402 insufficient_credit when the credits do not cover the render', async () => {
    api = await start({ credits: 0.05 });
    const res = await api.post('/v3/videos', avatarBody());
    expect(res.status).toBe(402);
    expect(res.json.error.code).toBe('insufficient_credit');
    const v2 = await api.post('/v2/video/generate', { video_inputs: [{ voice: { type: 'text', voice_id: 'v', input_text: 'Hi.' } }] });
    expect(v2.status).toBe(402);
    expect(v2.json.error.code).toBe('insufficient_credit');
  });
});
