import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, start } from './helpers.js';
import { probe } from './media-tools.js';

let api: Api;
beforeAll(async () => {
  api = await start();
});
afterAll(() => api.emu.stop());

const VOICE = '2d5b0e6cf36f460aa7fc47e3eee4ba54';
const TEN_WORDS = 'One two three four five six seven eight nine ten.';

describe('POST /v3/voices/speech', () => {
  it('answers at once with a real MP3 whose length is the duration, and word timestamps that fill it', async () => {
    const res = await api.post('/v3/voices/speech', { text: TEN_WORDS, voice_id: VOICE });
    expect(res.status).toBe(200);
    const d = res.json.data;
    // 10 words at 150 a minute.
    expect(d.duration).toBeCloseTo(4, 3);
    expect(d.request_id).toEqual(expect.any(String));
    expect(d.word_timestamps).toHaveLength(10);
    expect(d.word_timestamps[0]).toEqual({ word: 'One', start: 0, end: 0.4 });
    expect(d.word_timestamps.at(-1)).toMatchObject({ word: 'ten.', end: d.duration });
    for (let i = 1; i < d.word_timestamps.length; i++) {
      expect(d.word_timestamps[i].start).toBeGreaterThanOrEqual(d.word_timestamps[i - 1].end);
    }
    expect(d.audio_url).toMatch(/\.mp3\?Expires=/);
    const file = await fetch(d.audio_url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/mpeg');
    const p = await probe(Buffer.from(await file.arrayBuffer()), 'mp3');
    expect(p.streams[0].codec_name).toBe('mp3');
    expect(Math.abs(Number(p.format.duration) - d.duration)).toBeLessThan(0.1);
  });

  it('speed divides the length; SSML breaks become gaps between words', async () => {
    const fast = await api.post('/v3/voices/speech', { text: TEN_WORDS, voice_id: VOICE, speed: 2 });
    expect(fast.json.data.duration).toBeCloseTo(2, 3);
    const ssml = await api.post('/v3/voices/speech', {
      text: '<speak>Hello <break time="1.5s"/> world</speak>',
      voice_id: VOICE,
      input_type: 'ssml',
    });
    expect(ssml.status).toBe(200);
    expect(ssml.json.data.word_timestamps).toEqual([
      { word: 'Hello', start: 0, end: 0.4 },
      { word: 'world', start: 1.9, end: 2.3 },
    ]);
    expect(ssml.json.data.duration).toBeCloseTo(2.3, 3);
  });

  it('is charged at the Starfish rate, 0.000333 credits a second, and is not a render job', async () => {
    const before = api.emu.credits();
    const res = await api.post('/v3/voices/speech', { text: TEN_WORDS, voice_id: VOICE, speed: 0.5 });
    expect(res.json.data.duration).toBeCloseTo(8, 3);
    expect(before - api.emu.credits()).toBeCloseTo(8 * 0.000333, 6);
    const job = api.emu.jobs().find((j) => j.kind === 'speech' && j.duration === 8);
    expect(job).toMatchObject({ status: 'completed', credits: 0.002664 });
  });

  it('rejects what the schema and its descriptions rule out', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ voice_id: VOICE }, 'text'],
      [{ text: 'Hi' }, 'voice_id'],
      [{ text: '', voice_id: VOICE }, 'text'],
      [{ text: 'x'.repeat(5001), voice_id: VOICE }, 'text'],
      [{ text: 'Hi', voice_id: VOICE, speed: 2.5 }, 'speed'],
      [{ text: 'Hi', voice_id: VOICE, speed: '1' }, 'speed'],
      [{ text: 'Hi', voice_id: VOICE, input_type: 'html' }, 'input_type'],
      [{ text: 'Hi', voice_id: 42 }, 'voice_id'],
    ];
    for (const [body, param] of cases) {
      const res = await api.post('/v3/voices/speech', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'validation_error', param });
    }
  });

  it('replays with the same Idempotency-Key instead of charging twice', async () => {
    const headers = { 'Idempotency-Key': 'tts-1' };
    const a = await api.post('/v3/voices/speech', { text: 'Once only.', voice_id: VOICE }, headers);
    const credits = api.emu.credits();
    const b = await api.post('/v3/voices/speech', { text: 'Once only.', voice_id: VOICE }, headers);
    expect(b.json).toEqual(a.json);
    expect(api.emu.credits()).toBe(credits);
  });

  it('refuses a catalog voice without the starfish engine', async () => {
    const res = await api.post('/v3/voices/speech', { text: 'Hi', voice_id: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_error', param: 'voice_id', message: expect.stringContaining('engine=starfish') });
  });
});

describe('GET /v3/voices', () => {
  it('filters by engine, language and gender and pages with limit/token', async () => {
    const starfish = await api.get('/v3/voices?engine=starfish');
    expect(starfish.status).toBe(200);
    expect(starfish.json.data.length).toBeGreaterThan(0);
    expect(starfish.json.data.map((v: any) => v.voice_id)).not.toContain('9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d');
    const women = await api.get('/v3/voices?language=English&gender=female&engine=starfish');
    expect(women.json.data.every((v: any) => v.language === 'English' && v.gender === 'female')).toBe(true);
    const seen: string[] = [];
    let path = '/v3/voices?limit=2';
    for (;;) {
      const page = await api.get(path);
      expect(page.json.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.data.map((v: any) => v.voice_id));
      if (!page.json.has_more) break;
      path = `/v3/voices?limit=2&token=${page.json.next_token}`;
    }
    const all = await api.get('/v3/voices?limit=100');
    expect(seen).toEqual(all.json.data.map((v: any) => v.voice_id));
    expect((await api.get('/v3/voices?limit=0')).status).toBe(400);
    expect((await api.get('/v3/voices?type=shared')).status).toBe(400);
  });
});
