import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffprobe from '@ffprobe-installer/ffprobe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, avatarBody, completedVideo, pollUntil, start, v2Body } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await start({ renderMs: 500, translateMs: 500 });
});
afterAll(() => api.emu.stop());

/** Every status seen while polling to the end, consecutive duplicates merged. `any`: plain JSON. */
async function statusTrail(api: Api, path: string, pick: (json: any) => string, terminal: string[]): Promise<string[]> {
  const seen: string[] = [];
  await pollUntil(api, path, (a) => {
    const s = pick(a.json);
    if (seen.at(-1) !== s) seen.push(s);
    return terminal.includes(s);
  });
  return seen;
}

function inOrder(trail: string[], order: string[]): boolean {
  const idx = trail.map((s) => order.indexOf(s));
  return idx.every((i, k) => i >= 0 && (k === 0 || i > (idx[k - 1] ?? -1)));
}

describe('status progression', () => {
  // A slower clock than the other tests, so each intermediate status lasts many polls.
  let slow: Api;
  beforeAll(async () => {
    slow = await start({ renderMs: 1500 });
  });
  afterAll(() => slow.emu.stop());

  it('a v3 video goes pending -> processing -> completed and then has a URL and a duration', async () => {
    const api = slow;
    const { json } = await api.post('/v3/videos', avatarBody({ callback_id: 'cb-7', title: 'Q3' }));
    const id = json.data.video_id as string;
    const trail = await statusTrail(api, `/v3/videos/${id}`, (j: any) => j.data.status, ['completed', 'failed']);
    expect(inOrder(trail, ['pending', 'processing', 'completed'])).toBe(true);
    expect(trail).toContain('processing');
    expect(trail.at(-1)).toBe('completed');
    expect(trail.length).toBeGreaterThanOrEqual(3);
    const done = await api.get(`/v3/videos/${id}`);
    expect(done.json.data).toMatchObject({
      id,
      status: 'completed',
      title: 'Q3',
      callback_id: 'cb-7',
      video_url: expect.stringContaining(`/files/${id}.mp4?Expires=`),
      duration: expect.any(Number),
      completed_at: expect.any(Number),
      failure_code: null,
      subtitle_url: null,
    });
    expect(done.json.data.duration).toBeGreaterThan(1);
  });

  it('a v2 video polled on v1 goes waiting/pending/processing/completed', async () => {
    const api = slow;
    const { json } = await api.post('/v2/video/generate', v2Body({ callback_id: 'v2-cb' }));
    const id = json.data.video_id as string;
    const trail = await statusTrail(api, `/v1/video_status.get?video_id=${id}`, (j: any) => j.data.status, ['completed', 'failed']);
    expect(inOrder(trail, ['waiting', 'pending', 'processing', 'completed'])).toBe(true);
    const done = await api.get(`/v1/video_status.get?video_id=${id}`);
    expect(done.json.data).toMatchObject({ status: 'completed', callback_id: 'v2-cb', error: null, video_url: expect.any(String) });
  });
});

describe('held renders (timing.holdRenders)', () => {
  it('a render accepted while held stays in progress until release(), then ends renderMs later, with its webhook event', async () => {
    const held = await start({ renderMs: 100 });
    try {
      held.emu.timing.holdRenders = true;
      const id = (await held.post('/v3/videos', avatarBody())).json.data.video_id as string;
      held.emu.timing.holdRenders = false;
      const free = (await held.post('/v3/videos', avatarBody({ title: 'not held' }))).json.data.video_id as string;
      expect((await completedVideo(held, free)).json.data.status).toBe('completed');
      // Many render times later, the held one is still in progress and no event went out for it.
      await new Promise((r) => setTimeout(r, 500));
      expect((await held.get(`/v3/videos/${id}`)).json.data.status).toBe('pending');
      expect(held.emu.webhooks.events.map((e) => e.event_data.video_id)).toEqual([free]);
      expect(held.emu.release()).toBe(1);
      expect((await completedVideo(held, id)).json.data.status).toBe('completed');
      await pollUntil(held, `/v3/videos/${id}`, () => held.emu.webhooks.events.length === 2);
      expect(held.emu.webhooks.events.map((e) => [e.event_type, e.event_data.video_id])).toEqual([['avatar_video.success', free], ['avatar_video.success', id]]);
      expect(held.emu.release()).toBe(0);
    } finally {
      await held.emu.stop();
    }
  });
});

describe('renders', () => {
  it('serves a real MP4: ftyp first, and ffprobe reads h264 video and aac audio', async () => {
    const { json } = await api.post('/v3/videos', avatarBody());
    const done = await completedVideo(api, json.data.video_id);
    const res = await fetch(done.json.data.video_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const dir = await mkdtemp(join(tmpdir(), 'emu-'));
    try {
      await writeFile(join(dir, 'v.mp4'), bytes);
      const { stdout } = await promisify(execFile)(ffprobe.path, [
        '-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', join(dir, 'v.mp4'),
      ]);
      const probe = JSON.parse(stdout);
      expect(probe.streams.map((s: { codec_name: string }) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(Number(probe.format.duration)).toBeGreaterThan(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(api.emu.jobs().find((j) => j.id === json.data.video_id)?.downloads).toBe(1);
  });

  it('captions: sidecar SRT when caption is asked, a burned-in copy when it has a style', async () => {
    const { json } = await api.post('/v3/videos', avatarBody({ caption: { file_format: 'srt', style: 'default' } }));
    const done = await completedVideo(api, json.data.video_id);
    const srt = await fetch(done.json.data.subtitle_url);
    expect(srt.status).toBe(200);
    const text = await srt.text();
    expect(text).toMatch(/^1\n00:00:00,000 --> 00:00:\d\d,\d{3}\nWelcome to the quarterly update/);
    const burned = await fetch(done.json.data.captioned_video_url);
    expect(Buffer.from(await burned.arrayBuffer()).subarray(4, 8).toString()).toBe('ftyp');
  });

  it('a v2 caption gives v1 caption_url (.ass) and video_url_caption', async () => {
    const { json } = await api.post('/v2/video/generate', v2Body({ caption: true }));
    const done = await pollUntil(api, `/v1/video_status.get?video_id=${json.data.video_id}`, (a) => a.json.data.status === 'completed');
    expect(done.json.data.caption_url).toContain('.ass?');
    const ass = await (await fetch(done.json.data.caption_url)).text();
    expect(ass).toContain('[Events]');
    expect(ass).toContain('Hello from version two.');
    expect(done.json.data.video_url_caption).toContain('.captioned.mp4?');
  });

  it('webm output serves a WebM file', async () => {
    const { json } = await api.post('/v3/videos', avatarBody({ output_format: 'webm' }));
    expect(json.data.output_format).toBe('webm');
    const done = await completedVideo(api, json.data.video_id);
    const res = await fetch(done.json.data.video_url);
    expect(res.headers.get('content-type')).toBe('video/webm');
    expect(Buffer.from(await res.arrayBuffer()).readUInt32BE(0)).toBe(0x1a45dfa3);
  });

  it('bulk statuses use queued|processing|completed|failed|not_found', async () => {
    const a = (await api.post('/v3/videos', avatarBody())).json.data.video_id as string;
    const early = await api.get(`/v3/videos/statuses?video_ids=${a},ffffffffffffffffffffffffffffffff`);
    expect(early.status).toBe(200);
    expect(early.json).toMatchObject({ has_more: false });
    expect(early.json.data).toEqual([
      { video_id: a, status: expect.stringMatching(/^(queued|processing)$/), error: null },
      { video_id: 'ffffffffffffffffffffffffffffffff', status: 'not_found', error: null },
    ]);
    await completedVideo(api, a);
    const late = await api.get(`/v3/videos/statuses?video_ids=${a}`);
    expect(late.json.data[0].status).toBe('completed');
    const tooMany = Array.from({ length: 101 }, (_, i) => `id${i}`).join(',');
    expect((await api.get(`/v3/videos/statuses?video_ids=${tooMany}`)).status).toBe(400);
  });

  it('charges duration * 0.1 credits per render, nothing for v2 test renders', async () => {
    const before = api.emu.credits();
    const { json } = await api.post('/v3/videos', avatarBody());
    const job = api.emu.jobs().find((j) => j.id === json.data.video_id);
    expect(job?.credits).toBeCloseTo((job?.duration ?? 0) * 0.1, 2);
    expect(api.emu.credits()).toBeCloseTo(before - (job?.credits ?? 0), 2);
    const free = await api.post('/v2/video/generate', v2Body({ test: true }));
    expect(api.emu.jobs().find((j) => j.id === free.json.data.video_id)?.credits).toBe(0);
  });
});
