/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY: requests through a real (test) proxy over loopback, loopback itself always direct. */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../src/providers/heygen/http.js';
import { HeygenApiError } from '../../../src/providers/heygen/errors.js';
import { json, startServer, type TestServer } from './helpers/server.js';
import { restoreProxyEnvAfterEach, startProxy, type TestProxy } from '../../helpers/proxy-server.js';

let api: TestServer | undefined;
let proxy: TestProxy | undefined;
restoreProxyEnvAfterEach();
afterEach(async () => {
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
