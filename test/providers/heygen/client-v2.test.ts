import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeygenClient } from '../../../src/providers/heygen/client-types.js';
import { createHeygenClient } from '../../../src/providers/heygen/client.js';
import { HeygenApiError } from '../../../src/providers/heygen/errors.js';
import { fakeClock, json, startServer, type Received, type TestServer } from './helpers/server.js';
import { ctx, video } from './helpers/specs.js';

const KEY = 'test-key-v2-0123456789';
let api: TestServer;
let upload: TestServer;
let client: HeygenClient;
let route: (req: Received, res: ServerResponse, raw: import('node:http').IncomingMessage) => void;
let dir: string;

beforeEach(async () => {
  const clock = fakeClock();
  api = await startServer((req, res, raw) => route(req, res, raw), clock);
  upload = await startServer((req, res) => {
    expect(req.url).toBe('/v1/asset');
    json(res, 200, { code: 100, data: { id: 'up_1', name: 'x', file_type: 'audio', url: 'https://files.example/up_1.mp3', image_key: null }, msg: null, message: null });
  });
  client = createHeygenClient({ apiKey: KEY, api: 'v2', baseUrl: api.url, uploadBaseUrl: upload.url, sleep: clock.sleep, now: clock.now });
  dir = await mkdtemp(join(tmpdir(), 'hb-v2-'));
});
afterEach(async () => {
  await client.close();
  await api.close();
  await upload.close();
  await rm(dir, { recursive: true, force: true });
});

describe('v2 client', () => {
  it('creates with /v2/video/generate and no Idempotency-Key', async () => {
    route = (_req, res) => json(res, 200, { error: null, data: { video_id: 'v2vid' } });
    expect(await client.createVideo(video(), { ...ctx, idempotencyKey: 'hb-x-0' })).toEqual({ id: 'v2vid' });
    const [req] = api.received;
    expect(req).toMatchObject({ method: 'POST', url: '/v2/video/generate' });
    expect(req!.headers['idempotency-key']).toBeUndefined();
    expect(JSON.parse(req!.body.toString())).toMatchObject({ callback_id: ctx.callbackId, dimension: { width: 1920, height: 1080 } });
  });

  it('does not repeat a create whose answer was lost, and says the render may exist', async () => {
    route = (_req, _res, raw) => raw.socket.destroy();
    const err = await client.createVideo(video(), { ...ctx, idempotencyKey: 'hb-x-0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeygenApiError);
    expect((err as HeygenApiError).code).toBe('E_HEYGEN_UNCERTAIN');
    expect(api.received).toHaveLength(1);
  });

  it('reads status from /v1/video_status.get, with captions and the v1 error object', async () => {
    route = (req, res) => {
      const id = new URL(req.url, api.url).searchParams.get('video_id');
      if (id === 'done') {
        return json(res, 200, {
          code: 100,
          message: 'Success',
          data: { id: 'done', status: 'completed', video_url: 'https://f/d.mp4', caption_url: 'https://f/d.ass', video_url_caption: 'https://f/d_cap.mp4', duration: 3.2, callback_id: 'cb', error: null },
        });
      }
      json(res, 200, { code: 100, data: { id, status: 'failed', error: { code: 40119, message: 'Video is too long', detail: '> 3600s' } } });
    };
    const got = await client.getVideos(['done', 'long']);
    expect(got).toEqual([
      { id: 'done', status: 'completed', videoUrl: 'https://f/d.mp4', captionUrl: 'https://f/d.ass', captionedVideoUrl: 'https://f/d_cap.mp4', duration: 3.2, callbackId: 'cb' },
      { id: 'long', status: 'failed', error: { code: '40119', message: 'Video is too long: > 3600s' } },
    ]);
    expect(api.received.map((r) => r.url)).toEqual(['/v1/video_status.get?video_id=done', '/v1/video_status.get?video_id=long']);
  });

  it('uploads raw bytes to the upload host', async () => {
    const file = join(dir, 'voice.mp3');
    await writeFile(file, Buffer.from('ID3 fake mp3 bytes'));
    expect(await client.uploadAsset(file, 'audio/mpeg')).toEqual({ id: 'up_1', url: 'https://files.example/up_1.mp3' });
    const [req] = upload.received;
    expect(req!.headers['content-type']).toBe('audio/mpeg');
    expect(req!.headers['x-api-key']).toBe(KEY);
    expect(req!.body.toString()).toBe('ID3 fake mp3 bytes');
  });

  it('creates one translation per language, reporting each id as it comes', async () => {
    let n = 0;
    route = (req, res) => {
      const body = JSON.parse(req.body.toString()) as { output_language?: string };
      if (body.output_language === 'French') return json(res, 400, { error: 'language not supported', data: null });
      json(res, 200, { error: null, data: { video_translate_id: `tr${++n}` } });
    };
    const created: string[] = [];
    const opts = { idempotencyKey: 'k', callbackId: 'cb', mode: 'speed' as const, captions: false, audioOnly: false, onCreated: (l: string, id: string) => void created.push(`${l}=${id}`) };
    expect(await client.createTranslations('https://f/v.mp4', ['Spanish', 'German'], opts)).toEqual(['tr1', 'tr2']);
    expect(api.received.map((r) => (JSON.parse(r.body.toString()) as { output_language?: string }).output_language)).toEqual(['Spanish', 'German']);
    // A failure on a later language keeps the ids already paid for.
    created.length = 0;
    await expect(client.createTranslations('https://f/v.mp4', ['Italian', 'French'], opts)).rejects.toMatchObject({ code: 'E_HEYGEN_REJECTED' });
    expect(created).toEqual(['Italian=tr3']);
  });

  it('reads a translation (status success, url, message)', async () => {
    route = (req, res) =>
      req.url.endsWith('/ok')
        ? json(res, 200, { error: null, data: { video_translate_id: 'ok', status: 'success', url: 'https://f/t.mp4', message: null } })
        : json(res, 200, { error: null, data: { video_translate_id: 'no', status: 'failed', message: 'audio too short' } });
    expect(await client.getTranslation('ok')).toEqual({ id: 'ok', status: 'completed', videoUrl: 'https://f/t.mp4' });
    expect(await client.getTranslation('no')).toEqual({ id: 'no', status: 'failed', error: { message: 'audio too short' } });
    expect(api.received[0]!.url).toBe('/v2/video_translate/ok');
  });

  it('lists languages and converts the quota to credits', async () => {
    route = (req, res) =>
      req.url === '/v2/user/remaining_quota'
        ? json(res, 200, { error: null, data: { remaining_quota: 3600, details: { api: 3600 } } })
        : json(res, 200, { error: null, data: { languages: ['English', 'Spanish'] } });
    expect(await client.listLanguages()).toEqual(['English', 'Spanish']);
    expect(await client.remainingCredits()).toBe(60);
    expect(api.received.map((r) => r.url)).toEqual(['/v2/video_translate/target_languages', '/v2/user/remaining_quota']);
  });
});

describe('createHeygenClient', () => {
  it('refuses to start without a key', () => {
    expect(() => createHeygenClient({ apiKey: '', api: 'v3', baseUrl: 'http://127.0.0.1:9', uploadBaseUrl: 'http://127.0.0.1:9' })).toThrow(
      expect.objectContaining({ code: 'E_HEYGEN_AUTH' }),
    );
  });
});
