import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type Api, avatarBody, start } from './helpers.js';

interface Received {
  body: string;
  signature: string | undefined;
  at: number;
}

/** A receiver that records every POST; `wait(n)` resolves once n have arrived. */
async function receiver(): Promise<{ url: string; got: Received[]; wait: (n: number) => Promise<void>; close: () => Promise<void> }> {
  const got: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      got.push({ body, signature: req.headers['x-heygen-signature'] as string | undefined, at: Date.now() });
      res.end('ok');
      for (const w of waiters.filter((x) => got.length >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    got,
    wait: (n) => (got.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const sign = (secret: string, body: string): string => createHmac('sha256', secret).update(body).digest('hex');

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

describe('webhooks (emulator)', () => {
  it('creates an endpoint with a secret shown once; lists it without the secret; deletes it', async () => {
    const created = await api.post('/v3/webhooks/endpoints', { url: 'https://example.com/h', events: ['avatar_video.success'] });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({ endpoint_id: expect.any(String), url: 'https://example.com/h', status: 'enabled', secret: expect.stringMatching(/^whsec_/) });
    const listed = await api.get('/v3/webhooks/endpoints');
    const mine = listed.json.data.find((e: { endpoint_id: string }) => e.endpoint_id === created.json.data.endpoint_id);
    expect(mine).toBeDefined();
    expect(mine.secret).toBeUndefined();
    expect(listed.json).toHaveProperty('has_more', false);
    expect((await api.call('DELETE', `/v3/webhooks/endpoints/${created.json.data.endpoint_id as string}`)).status).toBe(200);
    expect((await api.call('DELETE', `/v3/webhooks/endpoints/${created.json.data.endpoint_id as string}`)).status).toBe(404);
    expect((await api.post('/v3/webhooks/endpoints', { url: 'x', events: ['no.such'] })).status).toBe(400);
  });

  it('refuses an endpoint URL that is not https with a 400 validation_error, bar plain http to loopback', async () => {
    const before = api.emu.webhooks.endpoints.size;
    for (const url of ['http://hooks.example.com/h', 'http://10.0.0.5:8787/', 'ftp://hooks.example.com/h', 'hooks.example.com/h']) {
      const res = await api.post('/v3/webhooks/endpoints', { url });
      expect(res.status, url).toBe(400);
      expect(res.json.error, url).toMatchObject({ code: 'validation_error', param: 'url', message: expect.stringMatching(/HTTPS/) });
    }
    expect(api.emu.webhooks.endpoints.size).toBe(before);
    // The emulator's allowance for receivers on this machine (HeyGen itself cannot reach them).
    for (const url of ['http://localhost:8787/h', 'http://127.0.0.2/', 'http://[::1]:8080/']) {
      const res = await api.post('/v3/webhooks/endpoints', { url });
      expect(res.status, url).toBe(200);
      expect((await api.call('DELETE', `/v3/webhooks/endpoints/${res.json.data.endpoint_id as string}`)).status).toBe(200);
    }
  });

  it('delivers a signed avatar_video.success to callback_url and to the endpoint, and lists the event', async () => {
    const hook = await receiver();
    const endpoint = await api.post('/v3/webhooks/endpoints', { url: hook.url });
    const secret = endpoint.json.data.secret as string;
    const video = await api.post('/v3/videos', avatarBody({ callback_id: 'cb-1', callback_url: hook.url }));
    expect(video.status).toBe(200);
    await hook.wait(1);
    const [first] = hook.got;
    const payload = JSON.parse(first!.body);
    expect(payload).toMatchObject({ event_type: 'avatar_video.success', event_data: { video_id: video.json.data.video_id, callback_id: 'cb-1', url: expect.any(String) } });
    expect(first!.signature).toBe(sign(secret, first!.body));
    // callback_url and the endpoint share a URL: one delivery.
    expect(api.emu.webhooks.deliveries.filter((d) => d.eventType === 'avatar_video.success' && d.callbackId === 'cb-1')).toHaveLength(1);
    const events = await api.get('/v3/webhooks/events?event_type=avatar_video.success');
    expect(events.json.data[0]).toMatchObject({ event_id: expect.any(String), event_type: 'avatar_video.success', created_at: expect.any(String) });
    await api.call('DELETE', `/v3/webhooks/endpoints/${endpoint.json.data.endpoint_id as string}`);
    await hook.close();
  });

  it('a job whose timer fires before Date.now() reaches its end still sends avatar_video.success', async () => {
    // Timers and Date.now() run on different clocks: on a busy machine the delivery timer can fire
    // a millisecond "early". Freezing Date (timers stay real) makes that moment last.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const hook = await receiver();
    const video = await api.post('/v3/videos', avatarBody({ callback_id: 'cb-early', callback_url: hook.url }));
    expect(video.status).toBe(200);
    await hook.wait(1);
    expect(JSON.parse(hook.got[0]!.body)).toMatchObject({ event_type: 'avatar_video.success', event_data: { callback_id: 'cb-early' } });
    await hook.close();
  });

  it('switches: a failed render sends avatar_video.fail; duplicate, late and forged deliveries', async () => {
    const hook = await receiver();
    const endpoint = await api.post('/v3/webhooks/endpoints', { url: hook.url });
    const secret = endpoint.json.data.secret as string;
    api.emu.faults.failRender = { count: 1, code: 'avatar_not_found', message: 'no such avatar' };
    api.emu.faults.webhookDuplicate = { count: 1 };
    await api.post('/v3/videos', avatarBody({ callback_id: 'cb-fail' }));
    await hook.wait(2);
    expect(hook.got.map((g) => JSON.parse(g.body).event_type)).toEqual(['avatar_video.fail', 'avatar_video.fail']);
    expect(JSON.parse(hook.got[0]!.body).event_data).toMatchObject({ msg: 'no such avatar', callback_id: 'cb-fail' });

    api.emu.faults.webhookForge = { count: 1 };
    api.emu.faults.webhookLate = { count: 1, ms: 400 };
    const posted = Date.now();
    await api.post('/v3/videos', avatarBody({ callback_id: 'cb-forged' }));
    await hook.wait(3);
    const forged = hook.got[2]!;
    expect(forged.signature).not.toBe(sign(secret, forged.body));
    // 150 ms render + 400 ms late.
    expect(forged.at - posted).toBeGreaterThanOrEqual(500);
    await hook.close();
  });

  it('answers bulk translation statuses', async () => {
    const a = await api.get('/v3/video-translations/statuses?video_translation_ids=nope');
    expect(a.json.data).toEqual([{ video_id: 'nope', status: 'not_found', error: null }]);
  });
});
