/**
 * URL asset copies against a real loopback asset server: fetched once, revalidated with a conditional
 * GET once per build, replaced when the content changed, kept (with one warning) when the server
 * cannot be reached, and refused when the URL is gone.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UrlCopies } from '../../src/execute/url-copies.js';
import { urlCopyPath } from '../../src/execute/url-copy-path.js';

interface Asset {
  body: string;
  etag?: string;
  lastModified?: string;
  status?: number;
}

let server: Server;
let base: string;
let root: string;
let asset: Asset;
let seen: IncomingHttpHeaders[];

function serve(): Promise<void> {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (asset.status) return void res.writeHead(asset.status).end();
    const fresh = (asset.etag !== undefined && req.headers['if-none-match'] === asset.etag) || (asset.lastModified !== undefined && req.headers['if-modified-since'] === asset.lastModified);
    const headers = { ...(asset.etag ? { etag: asset.etag } : {}), ...(asset.lastModified ? { 'last-modified': asset.lastModified } : {}) };
    if (fresh) return void res.writeHead(304, headers).end();
    res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(asset.body) }).end(asset.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

beforeEach(async () => {
  seen = [];
  asset = { body: 'green', etag: '"v1"' };
  root = mkdtempSync(join(tmpdir(), 'url-copies-'));
  await serve();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const noSleep = (): Promise<void> => Promise.resolve();
function copies(warnings: string[] = []): UrlCopies {
  return new UrlCopies(root, { warn: (m) => warnings.push(m), maxAttempts: 2, sleep: noSleep });
}

describe('URL asset copies', () => {
  it('fetches once per build, then revalidates with If-None-Match: 304 keeps the copy, 200 replaces it', async () => {
    const url = `${base}/bg.png`;
    const first = copies();
    const file = await first.get(url, 'videos/a.yaml, scene 1');
    await first.get(url, 'videos/b.yaml, scene 2');
    expect(seen).toHaveLength(1); // one request per build, however many scenes use it
    expect(seen[0]!['if-none-match']).toBeUndefined();
    expect(file).toBe(urlCopyPath(root, url));
    expect(readFileSync(file, 'utf8')).toBe('green');

    await copies().get(url, 'videos/a.yaml, scene 1');
    expect(seen[1]!['if-none-match']).toBe('"v1"');
    expect(readFileSync(file, 'utf8')).toBe('green');

    asset = { body: 'red!!', etag: '"v2"' };
    await copies().get(url, 'videos/a.yaml, scene 1');
    expect(seen[2]!['if-none-match']).toBe('"v1"');
    expect(readFileSync(file, 'utf8')).toBe('red!!');
    expect(JSON.parse(readFileSync(`${file}.json`, 'utf8'))).toMatchObject({ url, etag: '"v2"', size: 5 });
  });

  it('sends If-Modified-Since when the server gave only Last-Modified', async () => {
    asset = { body: 'green', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' };
    const url = `${base}/bg.jpg`;
    await copies().get(url, 'videos/a.yaml, scene 1');
    await copies().get(url, 'videos/a.yaml, scene 1');
    expect(seen[1]!['if-modified-since']).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
  });

  it('fetches the whole file again when the copy no longer matches its validators', async () => {
    const url = `${base}/bg.png`;
    const file = await copies().get(url, 'videos/a.yaml, scene 1');
    rmSync(`${file}.json`);
    await copies().get(url, 'videos/a.yaml, scene 1');
    expect(seen[1]!['if-none-match']).toBeUndefined();
  });

  it('a server without validators: fetched whole each build, the same bytes keep the copy\'s time (when its content last changed), new bytes take a new one', async () => {
    asset = { body: 'green' };
    const url = `${base}/bg.png`;
    const file = await copies().get(url, 'videos/a.yaml, scene 1');
    const then = new Date(Date.now() - 3_600_000);
    utimesSync(file, then, then);
    await copies().get(url, 'videos/a.yaml, scene 1');
    expect(seen).toHaveLength(2);
    expect(Math.round(statSync(file).mtimeMs)).toBe(then.getTime());
    asset = { body: 'red!!' };
    await copies().get(url, 'videos/a.yaml, scene 1');
    expect(readFileSync(file, 'utf8')).toBe('red!!');
    expect(statSync(file).mtimeMs).toBeGreaterThan(then.getTime() + 3_000_000);
  });

  it('keeps the copy in hand, with one warning, when the server cannot be reached', async () => {
    const url = `${base}/bg.png`;
    await copies().get(url, 'videos/a.yaml, scene 1');
    await new Promise((resolve) => server.close(resolve));
    const warnings: string[] = [];
    const offline = copies(warnings);
    const file = await offline.get(url, 'videos/a.yaml, scene 1');
    await offline.get(url, 'videos/b.yaml, scene 1');
    expect(readFileSync(file, 'utf8')).toBe('green');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not be checked for changes');
    expect(warnings[0]).toContain('may be out of date');
    await serve(); // for afterEach
  });

  it('fails without a copy when the server cannot be reached, naming the place', async () => {
    const url = `${base}/never.png`;
    await new Promise((resolve) => server.close(resolve));
    await expect(copies().get(url, 'videos/a.yaml, scene 3')).rejects.toMatchObject({ code: 'E_DOWNLOAD_FAILED', message: expect.stringContaining('videos/a.yaml, scene 3') as unknown });
    await serve();
  });

  it('a URL answering 404 or 410 fails the video even with a copy in hand, naming the manifest and the URL', async () => {
    const url = `${base}/bg.png`;
    await copies().get(url, 'videos/a.yaml, scene 1');
    for (const status of [404, 410]) {
      asset = { body: '', status };
      const err = await copies()
        .get(url, "videos/a.yaml, scene 2's image background")
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'E_COMPOSE_ASSET' });
      expect((err as Error).message).toContain("videos/a.yaml, scene 2's image background");
      expect((err as Error).message).toContain(`${url} answered HTTP ${status}`);
    }
    expect(existsSync(urlCopyPath(root, url))).toBe(true);
  });
});
