/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY: requests through a real (test) proxy over loopback, loopback itself always direct. */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/providers/heygen/http.js';
import { HeygenApiError } from '../../../src/providers/heygen/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const NAMES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
const AUTH = `Basic ${Buffer.from('team:proxy-s3cret').toString('base64')}`;

/**
 * A forward proxy that wants `team:proxy-s3cret`: absolute-form requests (http) and CONNECT (https), with
 * `heygen.test` resolved to loopback, a name only it knows, so a request that reached the server came through it.
 */
async function startProxy(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const target = (host: string): string => (host.split(':')[0] === 'heygen.test' ? '127.0.0.1' : host.split(':')[0]!);
  const server: Server = createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== AUTH) return void res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
    const u = new URL(req.url ?? '');
    seen.push(`${req.method} ${u.href}`);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const out = httpRequest({ host: target(u.host), port: u.port, path: `${u.pathname}${u.search}`, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  const tunnels = new Set<{ destroy: () => void }>();
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    tunnels.add(socket);
    socket.on('error', () => undefined);
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), target(host!), () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(socket);
      socket.pipe(up);
    });
    tunnels.add(up);
    up.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://team:proxy-s3cret@127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const t of tunnels) t.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let saved: Record<string, string | undefined>;
let api: TestServer | undefined;
let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
  for (const n of NAMES) delete process.env[n];
});
afterEach(async () => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
  await api?.close();
  await proxy?.close();
  api = proxy = undefined;
});

describe('proxies from the environment', () => {
  it('sends http requests through HTTP_PROXY with its credentials; loopback and NO_PROXY hosts go direct', async () => {
    api = await startServer((_req, res) => json(res, 200, { data: { ok: true } }));
    proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    const port = new URL(api.url).port;
    const client = new HttpClient({ apiKey: 'k-123456' });
    // heygen.test resolves only at the proxy: an answer means the request went through it.
    await expect(client.send({ method: 'GET', url: `http://heygen.test:${port}/v3/users/me` })).resolves.toMatchObject({ data: { ok: true } });
    await client.send({ method: 'GET', url: `${api.url}/v3/voices` });
    await client.close();
    expect(proxy.seen).toEqual([`GET http://heygen.test:${port}/v3/users/me`]);
    expect(api.received.map((r) => r.url)).toEqual(['/v3/users/me', '/v3/voices']);
    // The API key goes to HeyGen (through the proxy), the proxy's credentials never to HeyGen.
    expect(api.received[0]!.headers['x-api-key']).toBe('k-123456');
    expect(api.received[0]!.headers['proxy-authorization']).toBeUndefined();

    process.env.NO_PROXY = 'heygen.test';
    const direct = new HttpClient({ apiKey: 'k-123456', maxAttempts: 1 });
    await expect(direct.send({ method: 'GET', url: `http://heygen.test:${port}/v3/users/me` })).rejects.toBeInstanceOf(HeygenApiError);
    await direct.close();
    expect(proxy.seen).toHaveLength(1);
  });

  it('tunnels https through HTTPS_PROXY with CONNECT', async () => {
    proxy = await startProxy();
    process.env.HTTPS_PROXY = proxy.url;
    // Nothing answers TLS behind the tunnel here: what matters is that the tunnel was asked for.
    const client = new HttpClient({ apiKey: 'k-123456', maxAttempts: 1, requestTimeoutMs: 2000 });
    await expect(client.send({ method: 'GET', url: 'https://heygen.test:9/v3/users/me' })).rejects.toBeInstanceOf(HeygenApiError);
    await client.close();
    expect(proxy.seen).toEqual(['CONNECT heygen.test:9']);
  });

  it("never shows the proxy's password, even when the proxy cannot be reached", async () => {
    process.env.HTTP_PROXY = 'http://team:proxy-s3cret@127.0.0.1:9';
    const client = new HttpClient({ apiKey: 'k-123456', maxAttempts: 2, backoff: { baseMs: 1, capMs: 2 } });
    const err = (await client.send({ method: 'GET', url: 'http://heygen.test/v3/users/me' }).catch((e: unknown) => e)) as HeygenApiError;
    await client.close();
    expect(err.code).toBe('E_HEYGEN_UNAVAILABLE');
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain('proxy-s3cret');
  });
});
