/**
 * The S3 remote store behind a proxy: the same HTTP_PROXY / HTTPS_PROXY / NO_PROXY as every HeyGen request,
 * against a real S3-protocol server (s3rver) that only the test proxy can name (`s3.test`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/remote/open.js';
import { storeUrl } from '../../src/remote/s3-proxy.js';
import type { RemoteStore } from '../../src/remote/store.js';
import { restoreProxyEnvAfterEach, startProxy, type TestProxy } from '../helpers/proxy-server.js';
import { s3Server, S3_KEY } from '../helpers/s3-server.js';

let proxy: TestProxy | undefined;
let store: RemoteStore | undefined;
restoreProxyEnvAfterEach();
afterEach(async () => {
  await store?.close();
  await proxy?.close();
  store = proxy = undefined;
});

async function open(endpoint: string, bucket: string, forcePathStyle = true): Promise<RemoteStore> {
  Object.assign(process.env, { ...S3_KEY, AWS_EC2_METADATA_DISABLED: 'true' });
  return openStore({ url: `s3://${bucket}/team`, endpoint, forcePathStyle, region: 'us-east-1' }, mkdtempSync(join(tmpdir(), 'hb-remote-')));
}

describe('the S3 remote store behind a proxy', () => {
  it('goes through HTTP_PROXY with the proxy credentials, and direct for a NO_PROXY host', async () => {
    const s3 = await s3Server();
    proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    const port = new URL(s3.endpoint).port;
    store = await open(`http://s3.test:${port}`, s3.bucket);
    await store.put('records/a.json', '{"a":1}');
    expect((await store.get('records/a.json'))?.toString()).toBe('{"a":1}');
    expect(proxy.seen).toEqual([`PUT http://s3.test:${port}/${s3.bucket}/team/records/a.json?x-id=PutObject`, `GET http://s3.test:${port}/${s3.bucket}/team/records/a.json?x-id=GetObject`]);
    await store.close();

    // s3.test resolves only at the proxy: with the host in NO_PROXY, the store cannot be reached.
    process.env.NO_PROXY = 's3.test';
    store = await open(`http://s3.test:${port}`, s3.bucket);
    await expect(store.get('records/a.json')).rejects.toMatchObject({ code: 'E_REMOTE_UNREACHABLE' });
    expect(proxy.seen).toHaveLength(2);
  });

  it('addressed by virtual host, NO_PROXY is matched against the bucket host the requests go to', async () => {
    const s3 = await s3Server();
    proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    const port = new URL(s3.endpoint).port;
    // NO_PROXY names the endpoint, but the requests go to <bucket>.s3.test: still through the proxy.
    process.env.NO_PROXY = 's3.test';
    store = await open(`http://s3.test:${port}`, s3.bucket, false);
    await store.put('records/v.json', '{"v":1}');
    expect(proxy.seen).toEqual([`PUT http://${s3.bucket}.s3.test:${port}/team/records/v.json?x-id=PutObject`]);
    await store.close();

    process.env.NO_PROXY = `.s3.test`;
    store = await open(`http://s3.test:${port}`, s3.bucket, false);
    await expect(store.get('records/v.json')).rejects.toMatchObject({ code: 'E_REMOTE_UNREACHABLE' });
    expect(proxy.seen).toHaveLength(1);
  });

  it('tunnels an https store through HTTPS_PROXY with CONNECT, and never shows the proxy password', async () => {
    proxy = await startProxy();
    process.env.HTTPS_PROXY = proxy.url;
    // Nothing answers TLS behind the tunnel: what matters is that the tunnel was asked for.
    store = await open('https://s3.test:9', 'renders');
    const err = (await store.get('records/a.json').catch((e: unknown) => e)) as Error;
    // The proxy could not open the tunnel (nothing listens on port 9) and answered 502.
    expect(err).toMatchObject({ code: 'E_REMOTE', message: expect.stringContaining('HTTP 502') as string });
    expect(`${err.message} ${err.stack}`).not.toContain('proxy-s3cret');
    expect(proxy.seen[0]).toBe('CONNECT s3.test:9');
  });

  it('decides by the host the SDK sends to: the bucket under the endpoint, unless addressed by path', () => {
    expect(storeUrl({ url: 's3://renders' }, 'renders', 'eu-west-1').host).toBe('renders.s3.eu-west-1.amazonaws.com');
    expect(storeUrl({ url: 's3://renders', forcePathStyle: true }, 'renders', 'eu-west-1').host).toBe('s3.eu-west-1.amazonaws.com');
    expect(storeUrl({ url: 's3://renders', endpoint: 'https://acct.r2.cloudflarestorage.com' }, 'renders', 'auto').host).toBe('renders.acct.r2.cloudflarestorage.com');
    // A dotted bucket is addressed by path (it cannot be a host label under TLS).
    expect(storeUrl({ url: 's3://team.renders' }, 'team.renders', 'us-east-1').host).toBe('s3.us-east-1.amazonaws.com');
  });
});
