import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeygenClient } from '../../../src/providers/heygen/client-types.js';
import { createHeygenClient } from '../../../src/providers/heygen/client.js';
import { check, validator } from './helpers/openapi.js';
import { fakeClock, json, startServer, type Received, type TestServer } from './helpers/server.js';
import { ctx, video } from './helpers/specs.js';
import type { ServerResponse } from 'node:http';

const KEY = 'test-key-v3-0123456789';
const schemas = {
  videoCreate: validator('VideoCreate', 'ResponseSchema'),
  videoCreateReq: validator('VideoCreate', 'RequestSchema'),
  videoGet: validator('VideoGet', 'ResponseSchema'),
  statuses: validator('VideoStatusesList', 'ResponseSchema'),
  asset: validator('AssetCreate', 'ResponseSchema'),
  translateCreate: validator('VideoTranslateCreate', 'ResponseSchema'),
  translateCreateReq: validator('VideoTranslateCreate', 'RequestSchema'),
  translateGet: validator('VideoTranslateGet', 'ResponseSchema'),
  languages: validator('VideoTranslateLanguagesList', 'ResponseSchema'),
  me: validator('UserMeGet', 'ResponseSchema'),
};

/** Answers with a body checked against the official ResponseSchema, so the fake speaks real v3. */
function reply(res: ServerResponse, schema: keyof typeof schemas, body: unknown): void {
  check(schemas[schema], body);
  json(res, 200, body);
}

let server: TestServer;
let client: HeygenClient;
let route: (req: Received, res: ServerResponse, raw: import('node:http').IncomingMessage) => void;
let dir: string;

beforeEach(async () => {
  const clock = fakeClock();
  server = await startServer((req, res, raw) => route(req, res, raw), clock);
  client = createHeygenClient({ apiKey: KEY, api: 'v3', baseUrl: `${server.url}/`, uploadBaseUrl: 'http://127.0.0.1:9', sleep: clock.sleep, now: clock.now });
  dir = await mkdtemp(join(tmpdir(), 'hb-v3-'));
});
afterEach(async () => {
  await client.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createVideo', () => {
  it('POSTs a schema-valid body to /v3/videos with the Idempotency-Key and returns the video_id', async () => {
    route = (req, res) => {
      check(schemas.videoCreateReq, JSON.parse(req.body.toString()));
      reply(res, 'videoCreate', { data: { video_id: 'vid_1', status: 'waiting', output_format: 'mp4' } });
    };
    const r = await client.createVideo(video({ caption: 'burn' }), { ...ctx, idempotencyKey: 'hb-abc-0' });
    expect(r).toEqual({ id: 'vid_1' });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/v3/videos' });
    expect(server.received[0]!.headers['idempotency-key']).toBe('hb-abc-0');
    expect(client.requestCount()).toBe(1);
  });

  it('survives a lost answer: the server created the job and reset the connection; the retry with the same key gets the same id', async () => {
    const jobs = new Map<string, string>();
    route = (req, res, raw) => {
      const key = String(req.headers['idempotency-key']);
      const known = jobs.get(key);
      if (known) return reply(res, 'videoCreate', { data: { video_id: known, status: 'waiting' } });
      jobs.set(key, `vid_${jobs.size + 1}`);
      raw.socket.destroy(); // processed, answer lost
      void res;
    };
    const r = await client.createVideo(video(), { ...ctx, idempotencyKey: 'hb-lost-0' });
    expect(r.id).toBe('vid_1');
    expect(jobs.size).toBe(1);
    expect(server.received.map((q) => q.headers['idempotency-key'])).toEqual(['hb-lost-0', 'hb-lost-0']);
  });

  it('refuses an invalid Idempotency-Key before sending anything', async () => {
    route = (_req, res) => json(res, 500, {});
    await expect(client.createVideo(video(), { ...ctx, idempotencyKey: 'has space' })).rejects.toThrow(/Idempotency-Key/);
    expect(server.received).toHaveLength(0);
  });
});

describe('status', () => {
  it('getVideo maps the official fields, including a failure', async () => {
    route = (req, res) => {
      if (req.url === '/v3/videos/ok') {
        return reply(res, 'videoGet', {
          data: {
            id: 'ok',
            status: 'completed',
            video_url: 'https://files.example/ok.mp4?Expires=1&Signature=s',
            captioned_video_url: 'https://files.example/ok_cap.mp4',
            subtitle_url: 'https://files.example/ok.srt',
            duration: 12.5,
            thumbnail_url: null,
            failure_code: null,
            failure_message: null,
          },
        });
      }
      if (req.url === '/v3/videos/bad') {
        return reply(res, 'videoGet', { data: { id: 'bad', status: 'failed', failure_code: 'download_failed', failure_message: 'could not fetch the audio' } });
      }
      json(res, 404, { error: { code: 'not_found', message: 'Video not found' } });
    };
    expect(await client.getVideo('ok')).toEqual({
      id: 'ok',
      status: 'completed',
      videoUrl: 'https://files.example/ok.mp4?Expires=1&Signature=s',
      captionedVideoUrl: 'https://files.example/ok_cap.mp4',
      captionUrl: 'https://files.example/ok.srt',
      duration: 12.5,
    });
    expect(await client.getVideo('bad')).toEqual({ id: 'bad', status: 'failed', error: { code: 'download_failed', message: 'could not fetch the audio' } });
    expect(await client.getVideo('gone')).toEqual({ id: 'gone', status: 'not_found' });
  });

  it('getVideos asks /v3/videos/statuses at most 100 ids at a time and answers in order', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `v${i}`);
    route = (req, res) => {
      const u = new URL(req.url, server.url);
      expect(u.pathname).toBe('/v3/videos/statuses');
      const asked = (u.searchParams.get('video_ids') ?? '').split(',');
      const words = ['queued', 'processing', 'completed', 'failed', 'not_found'];
      reply(res, 'statuses', {
        data: asked.map((id) => ({ video_id: id, status: words[Number(id.slice(1)) % 5], error: Number(id.slice(1)) % 5 === 3 ? { code: 'x', message: 'boom' } : null })),
        has_more: false,
        next_token: null,
      });
    };
    const got = await client.getVideos(ids);
    expect(server.received.map((r) => new URL(r.url, server.url).searchParams.get('video_ids')!.split(',').length)).toEqual([100, 100, 50]);
    expect(got.map((v) => v.id)).toEqual(ids);
    expect(got.slice(0, 5).map((v) => v.status)).toEqual(['queued', 'running', 'completed', 'failed', 'not_found']);
    expect(got[3]!.error).toEqual({ code: 'x', message: 'boom' });
  });

  it('getVideos of one job asks GET /v3/videos/{id}: one request as well, and the answer carries its URLs', async () => {
    route = (req, res) => {
      expect(req.url).toBe('/v3/videos/solo');
      reply(res, 'videoGet', { data: { id: 'solo', status: 'completed', video_url: 'https://f/solo.mp4', duration: 4.2 } });
    };
    expect(await client.getVideos(['solo', 'solo'])).toEqual([
      { id: 'solo', status: 'completed', videoUrl: 'https://f/solo.mp4', duration: 4.2 },
      { id: 'solo', status: 'completed', videoUrl: 'https://f/solo.mp4', duration: 4.2 },
    ]);
    expect(server.received).toHaveLength(1);
  });

  it('asks alone for an id the bulk answer left out, rather than calling it not found', async () => {
    route = (req, res) => {
      if (req.url.startsWith('/v3/videos/statuses')) return reply(res, 'statuses', { data: [{ video_id: 'a', status: 'processing' }], has_more: false });
      reply(res, 'videoGet', { data: { id: 'b', status: 'completed', video_url: 'https://f/b.mp4' } });
    };
    expect(await client.getVideos(['a', 'b'])).toEqual([
      { id: 'a', status: 'running' },
      { id: 'b', status: 'completed', videoUrl: 'https://f/b.mp4' },
    ]);
  });
  it('falls back to one GET per video when the bulk endpoint does not exist', async () => {
    route = (req, res) => {
      if (req.url.startsWith('/v3/videos/statuses')) return json(res, 404, { error: { code: 'not_found', message: 'no route' } });
      reply(res, 'videoGet', { data: { id: String(req.url.split('/').pop()), status: 'pending' } });
    };
    expect(await client.getVideos(['a', 'b'])).toEqual([
      { id: 'a', status: 'queued' },
      { id: 'b', status: 'queued' },
    ]);
  });
});

describe('assets', () => {
  it('uploads as multipart "file", streamed, and returns asset_id and url', async () => {
    const file = join(dir, 'bg image.png');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    await writeFile(file, bytes);
    route = (req, res) => {
      const type = String(req.headers['content-type']);
      const boundary = /boundary=(.+)$/.exec(type)?.[1];
      expect(type.startsWith('multipart/form-data')).toBe(true);
      expect(Number(req.headers['content-length'])).toBe(req.body.length);
      const text = req.body.toString('latin1');
      const start = text.indexOf('\r\n\r\n') + 4;
      const end = text.lastIndexOf(`\r\n--${boundary}--`);
      expect(text).toContain('name="file"; filename="bg image.png"');
      expect(text).toContain('Content-Type: image/png');
      expect(req.body.subarray(start, end).equals(bytes)).toBe(true);
      reply(res, 'asset', { data: { asset_id: 'asset_9', url: 'https://files.example/a9.png', mime_type: 'image/png', size_bytes: bytes.length } });
    };
    expect(await client.uploadAsset(file, 'image/png')).toEqual({ id: 'asset_9', url: 'https://files.example/a9.png' });
    expect(server.received[0]!.url).toBe('/v3/assets');
  });
});

describe('translations', () => {
  it('creates all languages in one call and returns ids in order', async () => {
    route = (req, res) => {
      const body: unknown = JSON.parse(req.body.toString());
      check(schemas.translateCreateReq, body);
      // The schema check above passed, so the body has this shape.
      const { output_languages } = body as { output_languages: string[] };
      reply(res, 'translateCreate', { data: { video_translation_ids: output_languages.map((_: string, i: number) => `tr_${i}`) } });
    };
    const seen: string[] = [];
    const ids = await client.createTranslations('https://files.example/v.mp4', ['Spanish (Spain)', 'German (Germany)'], {
      idempotencyKey: 'hb-tr-0',
      callbackId: 'hb-tr-0',
      mode: 'speed',
      captions: true,
      audioOnly: false,
      onCreated: (lang, id) => void seen.push(`${lang}=${id}`),
    });
    expect(ids).toEqual(['tr_0', 'tr_1']);
    expect(seen).toEqual(['Spanish (Spain)=tr_0', 'German (Germany)=tr_1']);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers['idempotency-key']).toBe('hb-tr-0');
  });

  it('getTranslation maps video_url, srt caption, language and failure', async () => {
    route = (req, res) => {
      if (req.url.endsWith('/t1')) {
        return reply(res, 'translateGet', {
          data: { id: 't1', status: 'completed', video_url: 'https://f/t1.mp4', srt_caption_url: 'https://f/t1.srt', output_language: 'Spanish (Spain)' },
        });
      }
      reply(res, 'translateGet', { data: { id: 't2', status: 'failed', failure_message: 'no speech detected' } });
    };
    expect(await client.getTranslation('t1')).toEqual({ id: 't1', status: 'completed', videoUrl: 'https://f/t1.mp4', captionUrl: 'https://f/t1.srt', language: 'Spanish (Spain)' });
    expect(await client.getTranslation('t2')).toEqual({ id: 't2', status: 'failed', error: { message: 'no speech detected' } });
    expect(server.received[0]!.url).toBe('/v3/video-translations/t1');
  });

  it('lists languages', async () => {
    route = (_req, res) => reply(res, 'languages', { data: { languages: ['English', 'Spanish (Spain)'] } });
    expect(await client.listLanguages()).toEqual(['English', 'Spanish (Spain)']);
    expect(server.received[0]!.url).toBe('/v3/video-translations/languages');
  });
});

describe('remainingCredits', () => {
  const user = { username: 'u', email: 'e@x', first_name: 'A', last_name: 'B' };
  it.each([
    [{ billing_type: 'subscription', subscription: { plan: 'pro', credits: { premium_credits: { remaining: 120 }, add_on_credits: { remaining: 30 } } } }, 150],
    [{ billing_type: 'usage_based', usage_based: { remaining_credits: 42.5 } }, 42.5],
    [{ billing_type: 'wallet', wallet: { currency: 'credits', remaining_balance: 7 } }, 7],
    [{ billing_type: 'wallet', wallet: { currency: 'usd', remaining_balance: 99 } }, undefined],
  ])('%j -> %s', async (extra, want) => {
    route = (_req, res) => reply(res, 'me', { data: { ...user, ...extra } });
    expect(await client.remainingCredits()).toBe(want);
    expect(server.received[0]!.url).toBe('/v3/users/me');
  });
});
