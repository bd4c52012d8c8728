/** The preview's pieces that need no browser: byte ranges, escaping, the page and the server's refusals. */
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../../src/watch/preview/media.js';
import { escapeHtml, renderPage, scriptJson } from '../../src/watch/preview/page.js';
import { srtToVtt } from '../../src/watch/preview/vtt.js';
import { servePreview, type PreviewServer } from '../../src/watch/preview/server.js';
import type { WatchState } from '../../src/watch/types.js';

describe('parseRange', () => {
  it.each([
    ['bytes=0-', 100, { start: 0, end: 99 }],
    ['bytes=10-19', 100, { start: 10, end: 19 }],
    ['bytes=90-200', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=20-10', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-1,5-6', 100, undefined],
    ['items=0-1', 100, undefined],
    [undefined, 100, undefined],
  ] as const)('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

const hostile = '<img src=x onerror=alert(1)>&"\'</script>';

function state(root: string, output?: string): WatchState {
  return {
    status: 'idle',
    provider: 'local',
    root,
    runs: 1,
    updatedAt: new Date().toISOString(),
    diagnostics: [{ severity: 'error', code: 'E_SCHEMA', message: hostile, location: { file: 'videos/x.yaml', line: 1, column: 1 } }],
    videos: [
      {
        id: 'intro',
        title: hostile,
        source: 'videos/intro.yaml',
        status: 'ready',
        updatedAt: new Date().toISOString(),
        ...(output ? { output, version: 'v1' } : {}),
        translations: [],
      },
    ],
  };
}

describe('srtToVtt', () => {
  it('adds the header, turns decimal commas into points and pads hours; text and cue numbers stay', () => {
    const srt = '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nHello, world\r\n\r\n2\r\n1:02:03,004 --> 1:02:04,000\r\nBye\r\n';
    expect(srtToVtt(srt)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello, world\n\n2\n01:02:03.004 --> 01:02:04.000\nBye\n');
  });
});

describe('page', () => {
  it('escapes text for HTML and for an inline script', () => {
    expect(escapeHtml(hostile)).toBe('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;&lt;/script&gt;');
    const json = scriptJson({ t: hostile + '\u2028' });
    expect(json).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(json)).toEqual({ t: hostile + '\u2028' });
  });

  it('never puts manifest text into the markup unescaped', () => {
    const html = renderPage(state('/p/<b>proj'));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>proj');
    expect(html.match(/<\/script>/g)).toHaveLength(2); // only the two real script ends
  });
});

describe('preview server', () => {
  let dir = '';
  let server: PreviewServer;
  let current: WatchState;
  const get = (path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hb-preview-'));
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out/intro.draft.mp4'), Buffer.from('0123456789'));
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    current = state(dir, 'out/intro.draft.mp4');
    server = await servePreview({ handle: { get state() { return current; }, subscribe: () => () => undefined }, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a known video with ranges', async () => {
    const full = await get('/media/intro?v=v1');
    expect(full.status).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.body.toString()).toBe('0123456789');
    const part = await get('/media/intro?v=v1', { Range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-4/10');
    expect(part.body.toString()).toBe('234');
    expect((await get('/media/intro', { Range: 'bytes=50-' })).status).toBe(416);
  });

  it('serves captions of a known output only, as WebVTT, and only when the item has them', async () => {
    writeFileSync(join(dir, 'out/intro.draft.srt'), '1\n00:00:00,000 --> 00:00:01,500\nHi\n');
    expect((await get('/captions/intro?v=v1')).status).toBe(404); // the item says no captions
    current = { ...current, videos: current.videos.map((v) => ({ ...v, captions: true })) };
    const vtt = await get('/captions/intro?v=v1');
    expect(vtt.status).toBe(200);
    expect(vtt.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(vtt.body.toString()).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHi\n');
  });

  it('serves a voiceover draft (.mp3) as audio, with its captions', async () => {
    writeFileSync(join(dir, 'out/intro.draft.mp3'), Buffer.from('ID3-audio'));
    writeFileSync(join(dir, 'out/intro.draft.srt'), '1\n00:00:00,000 --> 00:00:01,000\nHi\n');
    const before = current;
    current = { ...current, videos: current.videos.map((v) => ({ ...v, output: 'out/intro.draft.mp3', captions: true })) };
    try {
      const audio = await get('/media/intro?v=v1');
      expect(audio.status).toBe(200);
      expect(audio.headers['content-type']).toBe('audio/mpeg');
      expect(audio.body.toString()).toBe('ID3-audio');
      expect((await get('/captions/intro?v=v1')).body.toString()).toContain('WEBVTT');
    } finally {
      current = before;
    }
  });

  it('serves nothing but known outputs', async () => {
    for (const path of ['/poster/secret.txt', '/captions/..%2Fsecret.txt', '/poster/nope', '/captions/nope', '/media/secret.txt', '/media/..%2Fsecret.txt', '/media/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '/secret.txt', '/out/intro.draft.mp4', '/media/nope']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it('answers only requests addressed to it by name', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/')).status).toBe(200);
  });
});
