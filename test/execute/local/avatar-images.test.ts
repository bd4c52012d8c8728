/** The real avatar on drafts: the cached catalog's preview picture, fetched once as renders are (proxy, redirects). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { avatarImages } from '../../../src/execute/local/avatar-images.js';
import { restoreProxyEnvAfterEach, startProxy, type TestProxy } from '../../helpers/proxy-server.js';
import { makeSpec } from '../../helpers/specs.js';

// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

let cdn: Server | undefined;
let proxy: TestProxy | undefined;
restoreProxyEnvAfterEach();
afterEach(async () => {
  cdn?.closeAllConnections();
  await new Promise((r) => (cdn ? cdn.close(r) : r(undefined)));
  await proxy?.close();
  cdn = proxy = undefined;
});

/** A CDN whose signed preview URL redirects to the picture; `/page` answers HTML. */
async function startCdn(): Promise<{ port: number; asked: string[] }> {
  const asked: string[] = [];
  cdn = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === '/preview.png?sig=1') return void res.writeHead(302, { location: '/objects/daisy.png' }).end();
    if (req.url === '/objects/daisy.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a picture</html>');
  });
  await new Promise<void>((r) => cdn!.listen(0, '127.0.0.1', r));
  return { port: (cdn.address() as AddressInfo).port, asked };
}

function projectWithPreview(url: string): string {
  const root = mkdtempSync(join(tmpdir(), 'hb-avatar-'));
  mkdirSync(join(root, '.heygen'));
  const look = { id: 'Daisy-inskirt-20220818', name: 'Daisy', avatar_type: 'studio_avatar', ownership: 'public', group_id: null, gender: null, supported_api_engines: [], default_voice_id: null, preferred_orientation: null, preview_image_url: url };
  writeFileSync(join(root, '.heygen', 'catalog.json'), JSON.stringify({ format_version: 1, fetched_at: Date.now(), looks: [look], voices: [] }));
  return root;
}

describe('avatar pictures on drafts', () => {
  it('fetches the preview through HTTP_PROXY, follows the CDN redirect, and keeps it by content', async () => {
    const { port, asked } = await startCdn();
    proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    // cdn.test resolves only at the proxy: a picture means the request went through it.
    const root = projectWithPreview(`http://cdn.test:${port}/preview.png?sig=1`);
    const images = await avatarImages(root, [makeSpec('intro')]);
    const file = images.get('Daisy-inskirt-20220818');
    expect(file).toMatch(/\.heygen\/catalog\/[0-9a-f]{64}\.png$/);
    expect(readFileSync(file!)).toEqual(PNG);
    expect(proxy.seen).toEqual([`GET http://cdn.test:${port}/preview.png?sig=1`, `GET http://cdn.test:${port}/objects/daisy.png`]);
    // Kept: the next draft asks nothing.
    await avatarImages(root, [makeSpec('intro')]);
    expect(asked).toHaveLength(2);
  });

  it('leaves the placeholder for an answer that is not a picture, or a host that cannot be reached', async () => {
    const { port } = await startCdn();
    expect((await avatarImages(projectWithPreview(`http://127.0.0.1:${port}/page`), [makeSpec('intro')])).size).toBe(0);
    expect((await avatarImages(projectWithPreview('http://127.0.0.1:9/preview.png'), [makeSpec('intro')])).size).toBe(0);
  });
});
