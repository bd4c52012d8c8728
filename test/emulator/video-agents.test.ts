/**
 * The emulator's Video Agent: sessions opened by `POST /v3/video-agents` (bodies checked against the
 * official VideoAgentCreate schema, unknown fields flagged), followed through thinking -> generating ->
 * completed (or failed) at `GET /v3/video-agents/{id}`, the video then polled like any render.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { agentSeconds } from '../../src/emulator/video-agents.js';
import { loadOfficialSchema } from '../../src/emulator/validate.js';
import { start, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start({ renderMs: 400 });
});
afterAll(() => api.emu.stop());

/** Polls the session until `done` says so (bounded by the test's timeout). */
async function until(id: string, done: (status: string) => boolean): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  for (;;) {
    const r = await api.get(`/v3/video-agents/${id}`);
    expect(r.status).toBe(200);
    seen.push(r.json.data);
    if (done(r.json.data.status)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('emulator Video Agent', () => {
  it('the copied schemas are the official ones', () => {
    const create = loadOfficialSchema('VideoAgentCreate');
    const get = loadOfficialSchema('VideoAgentGet');
    expect([create.Method, create.Endpoint, get.Method, get.Endpoint]).toEqual(['POST', '/v3/video-agents', 'GET', '/v3/video-agents/{session_id}']);
  });

  it('a session thinks with no video, then names its video, which completes at the length asked (a little over)', async () => {
    // A session's phase is a function of the clock. Step the clock (Date only; timers and sockets stay
    // real) rather than poll, so a loaded machine cannot sleep through the short thinking phase.
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const r = await api.post('/v3/video-agents', { prompt: 'A 20-second product teaser for our calendar app.', mode: 'generate', orientation: 'portrait' }, { 'Idempotency-Key': 'agent-1' });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ status: 'thinking', video_id: null });
    const id = r.json.data.session_id as string;
    const seen: Record<string, unknown>[] = [];
    // Thinking for the first 40% of the 400 ms, then generating, completed at 400 ms.
    for (const ms of [0, 100, 200, 300, 400]) {
      vi.setSystemTime(t0 + ms);
      const s = await api.get(`/v3/video-agents/${id}`);
      expect(s.status).toBe(200);
      seen.push(s.json.data);
    }
    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses).toEqual(['thinking', 'generating', 'completed']);
    expect(seen.filter((s) => s.status === 'thinking').every((s) => s.video_id === null)).toBe(true);
    const videoId = seen.at(-1)!.video_id as string;
    const video = await api.get(`/v3/videos/${videoId}`);
    expect(video.json.data).toMatchObject({ status: 'completed', duration: 22 });
    expect(agentSeconds('in 2 minutes')).toBe(132);
    // The same Idempotency-Key replays the first answer: no second session.
    const again = await api.post('/v3/video-agents', { prompt: 'A 20-second product teaser for our calendar app.', mode: 'generate', orientation: 'portrait' }, { 'Idempotency-Key': 'agent-1' });
    expect(again.json.data.session_id).toBe(id);
    expect(api.emu.jobs().filter((j) => (j.body as { prompt?: string }).prompt !== undefined)).toHaveLength(1);
  });

  it('a failed render fails the session, with the reason as its newest error message', async () => {
    api.emu.faults.failRender = { count: 1, code: 'agent_error', message: 'could not storyboard the prompt' };
    const r = await api.post('/v3/video-agents', { prompt: 'Anything.' });
    const seen = await until(r.json.data.session_id, (s) => s === 'failed');
    expect(seen.at(-1)!.messages).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'error', content: 'could not storyboard the prompt' })]));
  });

  it('refuses bodies the schema or its prose rejects, and unknown fields, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'prompt'],
      [{ prompt: '' }, 'prompt'],
      [{ prompt: 'x'.repeat(10_001) }, 'prompt'],
      [{ prompt: 'x', mode: 'solo' }, 'mode'],
      [{ prompt: 'x', orientation: 'square' }, 'orientation'],
      [{ prompt: 'x', style: 'cinematic' }, 'style'],
      [{ prompt: 'x', files: [{ type: 'asset_id', asset_id: 'nope' }] }, 'files[0].asset_id'],
      [{ prompt: 'x', files: [{ type: 'url', url: 'https://example.com/a.png', asset_id: 'a' }] }, 'files[0].asset_id'],
      [{ prompt: 'x', files: Array.from({ length: 21 }, () => ({ type: 'url', url: 'https://example.com/a.png' })) }, 'files'],
      [{ prompt: 'x', callback_id: 'c1' }, 'callback_id'],
      [{ prompt: 'x', style_id: 'style_cinematic_nior' }, 'style_id'],
    ];
    for (const [body, param] of cases) {
      const r = await api.post('/v3/video-agents', body);
      expect([r.status, r.json.error.param], JSON.stringify(body).slice(0, 80)).toEqual([400, param]);
    }
    expect((await api.get('/v3/video-agents/sess_nope')).status).toBe(404);
  });

  it('lists its styles as VideoAgentStylesList describes, filtered by tag and paged', async () => {
    const official = loadOfficialSchema('VideoAgentStylesList');
    expect([official.Method, official.Endpoint]).toEqual(['GET', '/v3/video-agents/styles']);
    const ajv = new Ajv({ strict: false, allErrors: true });
    const conforms = ajv.compile(official.ResponseSchema as object);
    const all = await api.get('/v3/video-agents/styles?limit=100');
    expect(all.status).toBe(200);
    expect(conforms(all.json), ajv.errorsText(conforms.errors)).toBe(true);
    const ids = (all.json.data as { style_id: string }[]).map((s) => s.style_id);
    expect(ids).toContain('style_cinematic_noir');
    const cinematic = await api.get('/v3/video-agents/styles?tag=cinematic');
    expect((cinematic.json.data as { tags: string[] }[]).every((s) => s.tags.includes('cinematic'))).toBe(true);
    const first = await api.get('/v3/video-agents/styles?limit=2');
    expect(first.json).toMatchObject({ has_more: true, next_token: expect.any(String) });
    const second = await api.get(`/v3/video-agents/styles?limit=2&token=${first.json.next_token}`);
    expect((second.json.data as { style_id: string }[]).map((s) => s.style_id)).toEqual(ids.slice(2, 4));
    expect((await api.get('/v3/video-agents/styles?limit=0')).status).toBe(400);
    // A style from the list opens a session.
    expect((await api.post('/v3/video-agents', { prompt: 'A noir teaser.', style_id: ids[0] })).status).toBe(200);
  });
});

