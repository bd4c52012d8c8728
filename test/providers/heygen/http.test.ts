import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { HeygenApiError } from '../../../src/providers/heygen/errors.js';
import { HttpClient, type HttpClientOptions, type RequestInfo } from '../../../src/providers/heygen/http.js';
import { fakeClock, json, startServer, type Handler, type TestServer } from './helpers/server.js';

const KEY = 'sk_live_SECRET-abcdef0123456789';

let server: TestServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

async function setup(handler: Handler, opts: Partial<HttpClientOptions> = {}) {
  const clock = fakeClock();
  server = await startServer(handler, clock);
  client = new HttpClient({ apiKey: KEY, sleep: clock.sleep, now: clock.now, backoff: { random: () => 0.5 }, ...opts });
  return { clock, server, client };
}

/** Answers `first` to the first n requests, then 200 `{data: {ok: true}}`. */
function failFirst(n: number, first: (res: Parameters<Handler>[1], req: Parameters<Handler>[0]) => void): Handler {
  let seen = 0;
  return (req, res) => {
    if (seen++ < n) first(res, req);
    else json(res, 200, { data: { ok: true } });
  };
}

async function caught(p: Promise<unknown>): Promise<HeygenApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HeygenApiError);
    return e as HeygenApiError;
  }
  throw new Error('expected an error');
}

describe('requests', () => {
  it('sends the key, Accept and a JSON body, with the Idempotency-Key when given, and counts requests', async () => {
    const infos: RequestInfo[] = [];
    const { server, client } = await setup(failFirst(0, () => {}), { onRequest: (i) => infos.push(i) });
    const r = await client.send({ method: 'POST', url: `${server.url}/v3/videos`, json: { a: 1 }, idempotencyKey: 'hb-1-0' });
    expect(r.data).toEqual({ ok: true });
    const [req] = server.received;
    expect(req?.headers['x-api-key']).toBe(KEY);
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['idempotency-key']).toBe('hb-1-0');
    expect(JSON.parse(req!.body.toString())).toEqual({ a: 1 });
    await client.send({ method: 'GET', url: `${server.url}/v3/videos/x` });
    expect(server.received[1]?.headers['idempotency-key']).toBeUndefined();
    expect(client.requestCount).toBe(2);
    expect(infos.map((i) => `${i.method} ${i.path} ${i.status}`)).toEqual(['POST /v3/videos 200', 'GET /v3/videos/x 200']);
  });
});

describe('429', () => {
  it('waits for Retry-After in seconds, even 45 s, before sending again (any method)', async () => {
    const { server, client, clock } = await setup(failFirst(1, (res) => json(res, 429, { error: { code: 'rate_limit_exceeded', message: 'slow down' } }, { 'retry-after': '45' })));
    await client.send({ method: 'POST', url: `${server.url}/v2/video/generate`, json: {} });
    const [first, second] = server.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(45_000);
    expect(clock.sleeps.length).toBe(1);
  });

  it('waits for a Retry-After HTTP date', async () => {
    let deadline = 0;
    const clock = fakeClock();
    const handler = failFirst(1, (res) => {
      const when = new Date(clock.now() + 45_000).toUTCString();
      deadline = Date.parse(when);
      json(res, 429, { error: { code: 'rate_limit_exceeded', message: 'slow down' } }, { 'retry-after': when, date: new Date(clock.now()).toUTCString() });
    });
    server = await startServer(handler, clock);
    client = new HttpClient({ apiKey: KEY, sleep: clock.sleep, now: clock.now });
    await client.send({ method: 'GET', url: `${server.url}/v3/videos/x` });
    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.at).toBeGreaterThanOrEqual(deadline);
    expect(deadline - server.received[0]!.at).toBeGreaterThan(30_000);
  });

  it('measures a Retry-After date from the server\'s Date header: a runner clock an hour behind waits 5 s, not an hour', async () => {
    const serverNow = Date.parse('2030-01-01T12:00:00Z');
    const clock = fakeClock(serverNow - 3_600_000);
    server = await startServer(
      failFirst(1, (res) =>
        json(res, 429, { error: { code: 'rate_limit_exceeded', message: 'slow down' } }, { 'retry-after': new Date(serverNow + 5_000).toUTCString(), date: new Date(serverNow).toUTCString() }),
      ),
      clock,
    );
    client = new HttpClient({ apiKey: KEY, sleep: clock.sleep, now: clock.now, backoff: { random: () => 0 } });
    await client.send({ method: 'GET', url: `${server.url}/v3/videos/x` });
    expect(server.received).toHaveLength(2);
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('backs off with jitter when there is no Retry-After, and gives up with a coded error', async () => {
    const { server, client, clock } = await setup(failFirst(100, (res) => json(res, 429, { error: { code: 'rate_limit_exceeded', message: 'x' } })), { maxWaits: 3 });
    const err = await caught(client.send({ method: 'GET', url: `${server.url}/v3/videos/x` }));
    expect(err.code).toBe('E_HEYGEN_RATE_LIMITED');
    expect(server.received).toHaveLength(4);
    expect(clock.sleeps).toEqual([250, 500, 1000]);
  });
});

describe('5xx, resets and timeouts', () => {
  it('retries a GET after 5xx', async () => {
    const { server, client } = await setup(failFirst(2, (res) => json(res, 503, { error: { code: 'server_error', message: 'busy' } })));
    await expect(client.send({ method: 'GET', url: `${server.url}/v3/videos/x` })).resolves.toMatchObject({ data: { ok: true } });
    expect(server.received).toHaveLength(3);
  });

  it('retries a POST that carries an Idempotency-Key, with the same key', async () => {
    const { server, client } = await setup(failFirst(1, (res) => json(res, 500, { error: { code: 'server_error', message: 'oops' } })));
    await client.send({ method: 'POST', url: `${server.url}/v3/videos`, json: {}, idempotencyKey: 'hb-k-0' });
    expect(server.received.map((r) => r.headers['idempotency-key'])).toEqual(['hb-k-0', 'hb-k-0']);
  });

  it('never repeats a POST without a key after a 5xx: E_HEYGEN_UNCERTAIN after one request', async () => {
    const { server, client } = await setup(failFirst(1, (res) => json(res, 502, { error: 'bad gateway' })));
    const err = await caught(client.send({ method: 'POST', url: `${server.url}/v2/video/generate`, json: {} }));
    expect(err.code).toBe('E_HEYGEN_UNCERTAIN');
    expect(err.message).toMatch(/may have been accepted/);
    expect(server.received).toHaveLength(1);
  });

  it('never repeats a POST without a key after a reset connection', async () => {
    const { server, client } = await setup((_req, _res, raw) => void raw.socket.destroy());
    const err = await caught(client.send({ method: 'POST', url: `${server.url}/v2/video/generate`, json: {} }));
    expect(err.code).toBe('E_HEYGEN_UNCERTAIN');
    expect(server.received).toHaveLength(1);
  });

  it('gives up on a GET after maxAttempts with E_HEYGEN_UNAVAILABLE', async () => {
    const { server, client } = await setup(failFirst(100, (res) => json(res, 500, {})), { maxAttempts: 4 });
    const err = await caught(client.send({ method: 'GET', url: `${server.url}/v3/videos/x` }));
    expect(err.code).toBe('E_HEYGEN_UNAVAILABLE');
    expect(server.received).toHaveLength(4);
  });

  it('a request\'s own `attempts` (a poller\'s status read) overrides maxAttempts', async () => {
    const { server, client } = await setup(failFirst(100, (res) => json(res, 503, {})), { maxAttempts: 6 });
    const err = await caught(client.send({ method: 'GET', url: `${server.url}/v3/videos/x`, attempts: 2 }));
    expect(err.code).toBe('E_HEYGEN_UNAVAILABLE');
    expect(server.received).toHaveLength(2);
  });

  it('names the status of a bodiless 5xx once: "HTTP 502 (gave up …)", not "HTTP 502 HTTP 502"', async () => {
    const { server, client } = await setup(failFirst(100, (res) => (res.writeHead(502), res.end())), { maxAttempts: 2 });
    const err = await caught(client.send({ method: 'GET', url: `${server.url}/v3/videos/x` }));
    expect(err.message).toMatch(/: HTTP 502 \(gave up after 2 attempts\)$/);
  });

  it('retries a GET whose answer never comes (timeout)', async () => {
    let n = 0;
    const { server, client } = await setup(
      (_req, res) => {
        if (n++ === 0) return; // hang
        json(res, 200, { data: { ok: true } });
      },
      { requestTimeoutMs: 150 },
    );
    await expect(client.send({ method: 'GET', url: `${server.url}/v3/videos/x` })).resolves.toMatchObject({ data: { ok: true } });
    expect(server.received).toHaveLength(2);
  });

  it('retries even a keyless POST when the connection was refused (it was never sent)', async () => {
    const { server, client } = await setup(() => {}, { maxAttempts: 3 });
    const url = server.url;
    await server.close();
    const err = await caught(client.send({ method: 'POST', url: `${url}/v2/video/generate`, json: {} }));
    expect(err.code).toBe('E_HEYGEN_UNAVAILABLE');
    expect(client.requestCount).toBe(3);
  });

  it('a refused connection (a wrong base URL, an emulator not started) says where it knocked and what to check', async () => {
    const { server, client } = await setup(() => {}, { maxAttempts: 2 });
    const url = server.url;
    await server.close();
    const err = await caught(client.send({ method: 'GET', url: `${url}/v3/users/me` }));
    expect(err.code).toBe('E_HEYGEN_UNAVAILABLE');
    expect(err.hint).toContain(`nothing answered at ${url}: check the network`);
    expect(err.hint).toContain('HEYGEN_API_BASE_URL');
  });

  it('an answer that keeps failing (5xx) is an outage: try again later', async () => {
    const { server, client } = await setup(failFirst(100, (res) => json(res, 503, {})), { maxAttempts: 2 });
    const err = await caught(client.send({ method: 'GET', url: `${server.url}/v3/users/me` }));
    expect(err.hint).toMatch(/^HeyGen could not be reached or kept failing: try again later/);
  });
});

describe('409 request_in_progress', () => {
  it('waits and retries with the same key; not a failure', async () => {
    const { server, client, clock } = await setup(
      failFirst(2, (res) => json(res, 409, { error: { code: 'request_in_progress', message: 'A request with this idempotency key is in progress' } })),
    );
    await expect(client.send({ method: 'POST', url: `${server.url}/v3/videos`, json: { x: 1 }, idempotencyKey: 'hb-same-0' })).resolves.toMatchObject({ data: { ok: true } });
    expect(server.received.map((r) => r.headers['idempotency-key'])).toEqual(['hb-same-0', 'hb-same-0', 'hb-same-0']);
    expect(clock.sleeps.every((ms) => ms > 0)).toBe(true);
  });

  it('treats another 409 as an error', async () => {
    const { server, client } = await setup(failFirst(1, (res) => json(res, 409, { error: { code: 'conflict', message: 'already deleted' } })));
    const err = await caught(client.send({ method: 'POST', url: `${server.url}/v3/videos`, json: {}, idempotencyKey: 'k' }));
    expect(err.code).toBe('E_HEYGEN_HTTP');
    expect(server.received).toHaveLength(1);
  });
});

describe('errors that no retry can fix', () => {
  it.each([
    [401, 'unauthorized', 'E_HEYGEN_AUTH', /HEYGEN_API_KEY/],
    [402, 'insufficient_credit', 'E_HEYGEN_CREDITS', /credits/],
    [403, 'forbidden', 'E_HEYGEN_FORBIDDEN', /plan/],
  ])('%i -> %s at once, after exactly one request', async (status, code, want, hint) => {
    const { server, client } = await setup(failFirst(100, (res) => json(res, status, { error: { code, message: 'no' } })));
    const err = await caught(client.send({ method: 'POST', url: `${server.url}/v3/videos`, json: {}, idempotencyKey: 'k' }));
    expect(err.code).toBe(want);
    expect(err.hint).toMatch(hint);
    expect(server.received).toHaveLength(1);
  });

  it('400 -> E_HEYGEN_REJECTED with HeyGen message and param', async () => {
    const { server, client } = await setup(failFirst(1, (res) => json(res, 400, { error: { code: 'validation_error', message: 'must be one of 16:9, 9:16', param: 'aspect_ratio' } })));
    const err = await caught(client.send({ method: 'POST', url: `${server.url}/v3/videos`, json: {}, idempotencyKey: 'k' }));
    expect(err.code).toBe('E_HEYGEN_REJECTED');
    expect(err.message).toContain('[aspect_ratio]');
    expect(err.message).toContain('must be one of 16:9, 9:16');
    expect(err.param).toBe('aspect_ratio');
  });

  it('a v1 error envelope with HTTP 200 (bad credentials) is an auth error', async () => {
    const { server, client } = await setup((_r, res) => json(res, 200, { code: 40009, data: null, message: 'Invalid credentials' }));
    expect((await caught(client.send({ method: 'GET', url: `${server.url}/v1/video_status.get?video_id=1` }))).code).toBe('E_HEYGEN_AUTH');
  });

  it('404 -> E_HEYGEN_HTTP carrying the status', async () => {
    const { server, client } = await setup((_r, res) => json(res, 404, { error: { code: 'not_found', message: 'no such video' } }));
    const err = await caught(client.send({ method: 'GET', url: `${server.url}/v3/videos/x` }));
    expect(err).toMatchObject({ code: 'E_HEYGEN_HTTP', httpStatus: 404 });
  });
});

describe('the API key never leaks', () => {
  it('is absent from every error, stack, JSON form and request log, even when the server echoes it', async () => {
    const echo = (res: Parameters<Handler>[1], req: Parameters<Handler>[0], status: number): void =>
      json(res, status, { error: { code: `bad_${String(req.headers['x-api-key'])}`, message: `key ${String(req.headers['x-api-key'])} rejected`, param: String(req.headers['x-api-key']) } });
    const infos: RequestInfo[] = [];
    const errors: unknown[] = [];
    for (const status of [400, 401, 402, 403, 404, 409, 500]) {
      const { server, client } = await setup((req, res) => echo(res, req, status), { maxAttempts: 2, onRequest: (i) => infos.push(i) });
      for (const req of [
        { method: 'POST' as const, url: `${server.url}/v2/video/generate?k=1`, json: {} },
        { method: 'GET' as const, url: `${server.url}/v3/videos/x` },
      ]) {
        errors.push(await client.send(req).catch((e: unknown) => e));
      }
      await client.close();
      await server.close();
    }
    // Network errors too.
    const refused = new HttpClient({ apiKey: KEY, maxAttempts: 1 });
    errors.push(await refused.send({ method: 'GET', url: 'http://127.0.0.1:9/x' }).catch((e: unknown) => e));
    await refused.close();
    client = server = undefined;

    expect(errors).toHaveLength(15);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      const e = err as Error;
      for (const text of [String(e), e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 5 }), inspect((e as { cause?: unknown }).cause ?? '')]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain('SECRET');
      }
    }
    expect(JSON.stringify(infos)).not.toContain('SECRET');
    expect(errors.some((e) => String(e).includes('[REDACTED]'))).toBe(true);
  });
});

describe('cancellation', () => {
  it('an abort interrupts a long Retry-After sleep', async () => {
    server = await startServer((_r, res) => json(res, 429, { error: { code: 'rate_limit_exceeded', message: 'x' } }, { 'retry-after': '3600' }));
    client = new HttpClient({ apiKey: KEY });
    const ac = new AbortController();
    const p = client.send({ method: 'GET', url: `${server.url}/v3/videos/x`, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 50);
    await expect(p).rejects.toThrow('stop');
    expect(server.received).toHaveLength(1);
  });
});
