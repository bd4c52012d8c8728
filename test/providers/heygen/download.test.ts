import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToFile } from '../../../src/providers/heygen/download.js';
import { HeygenApiError } from '../../../src/providers/heygen/errors.js';
import { fakeClock, startServer, type Handler, type TestServer } from './helpers/server.js';

const BODY = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
const SHA = createHash('sha256').update(BODY).digest('hex');

let server: TestServer | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-dl-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

const full: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(BODY.length) });
  res.end(BODY);
};
/** Declares the whole length, sends half, and hangs up. */
const truncated: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(BODY.length) });
  res.write(BODY.subarray(0, BODY.length / 2), () => res.socket?.destroy());
};

const noRefresh = async (): Promise<string> => {
  throw new Error('refreshUrl should not be called');
};

describe('downloadToFile', () => {
  it('writes the file with the right sha256 and size, leaving no .part', async () => {
    server = await startServer(full);
    const dest = join(dir, 'out', 'nested', 'v.mp4');
    expect(await downloadToFile(`${server.url}/v.mp4`, dest, { refreshUrl: noRefresh })).toEqual({ sha256: SHA, size: BODY.length });
    expect((await readFile(dest)).equals(BODY)).toBe(true);
    expect(await readdir(join(dir, 'out', 'nested'))).toEqual(['v.mp4']);
  });

  it('accepts a function for the first URL', async () => {
    server = await startServer(full);
    const url = `${server.url}/v.mp4`;
    expect(await downloadToFile(async () => url, join(dir, 'v.mp4'), { refreshUrl: noRefresh })).toMatchObject({ sha256: SHA });
  });

  it('retries a truncated body; the short file never becomes the output', async () => {
    let n = 0;
    server = await startServer((req, res, raw) => (n++ === 0 ? truncated(req, res, raw) : full(req, res, raw)));
    const clock = fakeClock();
    const dest = join(dir, 'v.mp4');
    expect(await downloadToFile(`${server.url}/v.mp4`, dest, { refreshUrl: noRefresh, sleep: clock.sleep })).toEqual({ sha256: SHA, size: BODY.length });
    expect(server.received).toHaveLength(2);
    expect(await readdir(dir)).toEqual(['v.mp4']);
  });

  it('gives up on a body that is always truncated, leaving neither output nor .part', async () => {
    server = await startServer(truncated);
    const clock = fakeClock();
    const dest = join(dir, 'v.mp4');
    const err = await downloadToFile(`${server.url}/v.mp4`, dest, { refreshUrl: noRefresh, sleep: clock.sleep, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeygenApiError);
    expect((err as HeygenApiError).code).toBe('E_DOWNLOAD_FAILED');
    expect(server.received).toHaveLength(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it('fetches a fresh URL when the presigned one has expired (403)', async () => {
    server = await startServer((req, res, raw) => {
      if (req.url.startsWith('/old')) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
        return;
      }
      return full(req, res, raw);
    });
    let refreshed = 0;
    const base = server.url;
    const r = await downloadToFile(`${base}/old/v.mp4?Expires=1&Signature=OLDSIG`, join(dir, 'v.mp4'), {
      refreshUrl: async () => {
        refreshed++;
        return `${base}/new/v.mp4?Expires=2&Signature=NEWSIG`;
      },
    });
    expect(r.sha256).toBe(SHA);
    expect(refreshed).toBe(1);
  });

  it('gives up when fresh URLs keep failing, without printing their signatures', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const base = server.url;
    const err = await downloadToFile(`${base}/v.mp4?Signature=TOPSECRET`, join(dir, 'v.mp4'), {
      refreshUrl: async () => `${base}/v.mp4?Signature=TOPSECRET2`,
      maxRefreshes: 2,
    }).catch((e: unknown) => e);
    expect((err as HeygenApiError).code).toBe('E_DOWNLOAD_EXPIRED');
    expect(server.received).toHaveLength(3);
    const text = `${String(err)} ${(err as Error).stack} ${JSON.stringify(err)}`;
    expect(text).not.toContain('TOPSECRET');
    expect(text).toContain('/v.mp4');
    expect(await readdir(dir)).toEqual([]);
  });

  it('retries a 5xx, and leaves no .part when aborted mid-body', async () => {
    let n = 0;
    server = await startServer((req, res, raw) => {
      if (n++ === 0) {
        res.writeHead(503);
        res.end();
        return;
      }
      if (n === 2) {
        res.writeHead(200, { 'content-length': String(BODY.length) });
        res.write(BODY.subarray(0, 1000)); // then stall
        return;
      }
      return full(req, res, raw);
    });
    const clock = fakeClock();
    const ac = new AbortController();
    const dest = join(dir, 'v.mp4');
    const p = downloadToFile(`${server.url}/v.mp4`, dest, { refreshUrl: noRefresh, sleep: clock.sleep, signal: ac.signal });
    while (server.received.length < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    ac.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
    expect(await readdir(dir)).toEqual([]);
  });

  it('follows a CDN redirect (relative or absolute) to the file, and gives up on a redirect loop', async () => {
    server = await startServer((req, res, raw) => {
      if (req.url === '/v.mp4') {
        res.writeHead(302, { location: '/cdn/v.mp4' }).end();
        return;
      }
      if (req.url === '/cdn/v.mp4') {
        res.writeHead(307, { location: `${server!.url}/store/v.mp4?sig=abc` }).end();
        return;
      }
      if (req.url === '/loop') {
        res.writeHead(301, { location: '/loop' }).end();
        return;
      }
      return full(req, res, raw);
    });
    const dest = join(dir, 'v.mp4');
    expect(await downloadToFile(`${server.url}/v.mp4`, dest, { refreshUrl: noRefresh })).toEqual({ sha256: SHA, size: BODY.length });
    expect(server.received.map((r) => r.url)).toEqual(['/v.mp4', '/cdn/v.mp4', '/store/v.mp4?sig=abc']);
    const err = await downloadToFile(`${server.url}/loop`, join(dir, 'w.mp4'), { refreshUrl: noRefresh }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeygenApiError);
    expect((err as HeygenApiError).code).toBe('E_DOWNLOAD_FAILED');
    expect((err as HeygenApiError).message).toMatch(/HTTP 301/);
    // The first answer and five redirects, then no more.
    expect(server.received.filter((r) => r.url === '/loop')).toHaveLength(6);
    expect(await readdir(dir)).toEqual(['v.mp4']);
  });

  it('retries a body that stalls past the timeout, and keeps using one connection for the downloads', async () => {
    let n = 0;
    const sockets = new Set<unknown>();
    server = await startServer((req, res, raw) => {
      sockets.add(raw.socket);
      if (n++ === 0) {
        res.writeHead(200, { 'content-length': String(BODY.length) });
        res.write(BODY.subarray(0, 1000)); // then silence
        return;
      }
      return full(req, res, raw);
    });
    const clock = fakeClock();
    const dest = join(dir, 'v.mp4');
    expect(await downloadToFile(`${server.url}/v.mp4`, dest, { refreshUrl: noRefresh, sleep: clock.sleep, timeoutMs: 200 })).toEqual({ sha256: SHA, size: BODY.length });
    expect(server.received).toHaveLength(2);
    // The stalled connection was closed; the next downloads share the second one.
    await downloadToFile(`${server.url}/v.mp4`, join(dir, 'w.mp4'), { refreshUrl: noRefresh });
    await downloadToFile(`${server.url}/v.mp4`, join(dir, 'x.mp4'), { refreshUrl: noRefresh });
    expect(sockets.size).toBe(2);
  });

  it('streams a large file with flat memory', async () => {
    const chunk = Buffer.alloc(1 << 20, 7);
    const total = 160;
    server = await startServer(async (_req, res) => {
      res.writeHead(200, { 'content-length': String(chunk.length * total) });
      for (let i = 0; i < total; i++) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    });
    const before = process.memoryUsage();
    let peak = 0;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }, 5);
    const r = await downloadToFile(`${server.url}/big.mp4`, join(dir, 'big.mp4'), { refreshUrl: noRefresh });
    clearInterval(timer);
    expect(r.size).toBe(chunk.length * total);
    // A buffered download would hold all 160 MB at once.
    expect(peak).toBeLessThan(80 * (1 << 20));
  });
});
