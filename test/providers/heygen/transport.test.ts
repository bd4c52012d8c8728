import { afterEach, describe, expect, it } from 'vitest';
import { readText, SOCKET_TIMEOUT, Transport } from '../../../src/providers/heygen/transport.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Transport', () => {
  it('reuses one kept-alive connection for requests one after another', async () => {
    const sockets = new Set<unknown>();
    server = await startServer((_req, res, raw) => {
      sockets.add(raw.socket);
      json(res, 200, { data: { ok: true } });
    });
    const t = new Transport();
    for (let i = 0; i < 5; i++) expect(await readText(await t.request({ url: `${server.url}/x`, method: 'GET', timeoutMs: 5000 }))).toBe('{"data":{"ok":true}}');
    expect(sockets.size).toBe(1);
    t.close();
  });

  it('close() lets a running request finish (no cut, no repeat), then keeps no connection', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    server = await startServer(async (_req, res) => {
      await held;
      json(res, 200, { data: { ok: 1 } });
    });
    const t = new Transport();
    const running = t.request({ url: `${server.url}/slow`, method: 'GET', timeoutMs: 5000 }).then(readText);
    while (server.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    t.close();
    release();
    expect(await running).toBe('{"data":{"ok":1}}');
    await new Promise((r) => setTimeout(r, 20));
    // The connection it used was closed after it, not kept for later.
    const agent = (t as unknown as { httpAgent: { freeSockets: Record<string, unknown[]> } }).httpAgent;
    expect(Object.values(agent.freeSockets).flat()).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('a silent server fails the request with ETIMEDOUT; a silent body fails its reader', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/body') res.writeHead(200, { 'content-length': '100' }).write('partial');
      // /headers: never answers
    });
    const t = new Transport();
    await expect(t.request({ url: `${server.url}/headers`, method: 'GET', timeoutMs: 100 })).rejects.toMatchObject({ code: SOCKET_TIMEOUT });
    const res = await t.request({ url: `${server.url}/body`, method: 'GET', timeoutMs: 100 });
    expect(res.statusCode).toBe(200);
    await expect(readText(res)).rejects.toThrow();
    t.close();
  });

  it('refuses a scheme it cannot speak', async () => {
    await expect(new Transport().request({ url: 'ftp://example.com/x', method: 'GET', timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_INVALID_PROTOCOL' });
  });
});
