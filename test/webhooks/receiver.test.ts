/** The receiver's security rules, over real HTTP: signature first, then JSON; 200 at once; any path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../../src/webhooks/event.js';
import { MAX_BODY, startReceiver, type Receiver } from '../../src/webhooks/receiver.js';
import { signature, verifySignature } from '../../src/webhooks/verify.js';

const SECRET = 'whsec_test_secret';
const pushed: WebhookEvent[] = [];
const logs: string[] = [];
let rx: Receiver;

beforeAll(async () => {
  rx = await startReceiver({ port: 0, host: '127.0.0.1', secret: SECRET, collector: { push: (e) => (pushed.push(e), 'queued') }, log: (l) => logs.push(l) });
});
afterAll(() => rx.close());

async function post(path: string, body: string | Buffer, sig?: string): Promise<number> {
  const res = await fetch(new URL(path, rx.url), { method: 'POST', body, headers: { 'content-type': 'application/json', ...(sig !== undefined ? { 'x-heygen-signature': sig } : {}) } });
  await res.text();
  return res.status;
}

const event = JSON.stringify({ event_type: 'avatar_video.success', event_data: { video_id: 'v1', url: 'https://x/y.mp4', callback_id: 'hb-abc-1' } });

describe('webhooks listen (receiver)', () => {
  it('accepts a signed event on any path, answers 200 and hands the ids on', async () => {
    pushed.length = 0;
    expect(await post('/', event, signature(SECRET, event))).toBe(200);
    expect(await post('/deep/proxy/path?x=1', event, signature(SECRET, event).toUpperCase())).toBe(200);
    expect(pushed).toEqual([
      { type: 'avatar_video.success', remoteId: 'v1', callbackId: 'hb-abc-1' },
      { type: 'avatar_video.success', remoteId: 'v1', callbackId: 'hb-abc-1' },
    ]);
  });

  it('refuses a missing or wrong signature with 401 before reading the body as JSON', async () => {
    pushed.length = 0;
    expect(await post('/', event)).toBe(401);
    expect(await post('/', event, signature('another-secret', event))).toBe(401);
    expect(await post('/', event, 'short')).toBe(401);
    // Not JSON and unsigned: the signature is what is refused (401), not the body (400).
    expect(await post('/', 'not json')).toBe(401);
    expect(pushed).toEqual([]);
    expect(logs.some((l) => /missing x-heygen-signature \(401\)/.test(l))).toBe(true);
  });

  it('refuses a signed body that is not JSON, or not an event, with 400', async () => {
    pushed.length = 0;
    expect(await post('/', 'not json', signature(SECRET, 'not json'))).toBe(400);
    expect(await post('/', '{"hello":1}', signature(SECRET, '{"hello":1}'))).toBe(400);
    expect(pushed).toEqual([]);
  });

  it('refuses a body over 1 MB with 400, signed or not', async () => {
    const big = Buffer.alloc(MAX_BODY + 1, 0x20);
    expect(await post('/', big, signature(SECRET, big))).toBe(400);
    expect(pushed).toEqual([]);
  });

  it('answers OPTIONS (HeyGen checks the URL on registration) and refuses other methods', async () => {
    expect((await fetch(rx.url, { method: 'OPTIONS' })).status).toBe(200);
    expect((await fetch(rx.url)).status).toBe(405);
  });
});

describe('verifySignature', () => {
  it('is the hex HMAC-SHA256 of the raw bytes; anything else fails', () => {
    const body = Buffer.from(event);
    expect(verifySignature(SECRET, body, signature(SECRET, body))).toBe(true);
    expect(verifySignature(SECRET, Buffer.from(event + ' '), signature(SECRET, body))).toBe(false);
    expect(verifySignature(SECRET, body, undefined)).toBe(false);
    expect(verifySignature('', body, signature('', body))).toBe(false);
  });
});
