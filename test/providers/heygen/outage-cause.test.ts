/**
 * What kept HeyGen from answering, told apart from the error the client gave up with: `status` and
 * `webhooks` word their messages and hints from it (a refused connection is not "5xx errors").
 */
import { describe, expect, it } from 'vitest';
import { HeygenApiError } from '../../../src/providers/heygen/errors.js';
import { HttpClient } from '../../../src/providers/heygen/http.js';
import { askAgainHint, outageCause, outageHeadline } from '../../../src/providers/heygen/outage-cause.js';
import { fakeClock, json, startServer, type Handler } from './helpers/server.js';

/** The error a GET gives up with against `handler` (two attempts, no real sleeping); the server and client are closed after. */
async function givenUp(handler: Handler, opts: { close?: boolean; requestTimeoutMs?: number } = {}): Promise<{ err: HeygenApiError; url: string }> {
  const clock = fakeClock();
  const server = await startServer(handler, clock);
  const url = server.url;
  if (opts.close) await server.close();
  const client = new HttpClient({ apiKey: 'k', maxAttempts: 2, maxWaits: 1, sleep: clock.sleep, now: clock.now, requestTimeoutMs: opts.requestTimeoutMs ?? 5000 });
  try {
    await client.send({ method: 'GET', url: `${url}/v3/videos/statuses?video_ids=a` });
  } catch (e) {
    expect(e).toBeInstanceOf(HeygenApiError);
    return { err: e as HeygenApiError, url };
  } finally {
    await client.close();
    if (!opts.close) await server.close();
  }
  throw new Error('expected an error');
}

describe('outageCause', () => {
  it('a refused connection: unreachable, at the address asked; the hint says what to check, never "resumes"', async () => {
    const { err, url } = await givenUp(() => {}, { close: true });
    const cause = outageCause(err);
    expect(cause).toEqual({ kind: 'unreachable', words: 'connection refused', origin: url });
    expect(outageHeadline(cause)).toBe(`HeyGen could not be reached at ${url}: connection refused`);
    const hint = askAgainHint(cause, 'heygen-build webhooks list');
    expect(hint).toMatch(new RegExp(`^nothing answered at ${url.replace(/\./g, '\\.')}: check the network .*HEYGEN_API_BASE_URL.*; then run \`heygen-build webhooks list\` again$`));
    expect(hint).not.toContain('resumes');
  });

  it('silence after connecting: a timeout, and --timeout in the hint', async () => {
    const { err, url } = await givenUp(() => {}, { requestTimeoutMs: 100 });
    const cause = outageCause(err);
    expect(cause).toEqual({ kind: 'timeout', words: 'no answer in time', origin: url });
    expect(outageHeadline(cause)).toBe(`HeyGen could not be reached at ${url}: no answer in time`);
    expect(askAgainHint(cause, 'heygen-build status')).toMatch(/^HeyGen did not answer in time: on a slow link, `--timeout 1m`/);
  });

  it('5xx answers keep the 5xx words; a dropped connection and 429s have their own', async () => {
    const fivexx = outageCause((await givenUp((_req, res) => json(res, 502, {}))).err);
    expect(fivexx).toMatchObject({ kind: 'http', words: 'answered with 5xx errors' });
    expect(outageHeadline(fivexx)).toBe('HeyGen answered with 5xx errors');
    expect(askAgainHint(fivexx, 'heygen-build status')).toBe('HeyGen is failing on its side for now (an outage): run `heygen-build status` again later');

    const dropped = outageCause((await givenUp((_req, _res, raw) => void raw.socket.destroy())).err);
    expect(dropped).toMatchObject({ kind: 'dropped', words: 'connection dropped' });

    const busy = outageCause((await givenUp((_req, res) => json(res, 429, { error: { code: 'rate_limit_exceeded', message: 'slow down' } }))).err);
    expect(busy).toMatchObject({ kind: 'busy', words: 'kept answering 429 (too many requests)' });
    expect(outageHeadline(busy)).toBe('HeyGen kept answering 429 (too many requests)');
  });

  it('an unknown host, without asking DNS', () => {
    const err = new HeygenApiError('E_HEYGEN_UNAVAILABLE', 'GET /v3/videos/statuses: network error: getaddrinfo ENOTFOUND api.heygen.test', { netCode: 'ENOTFOUND', origin: 'https://api.heygen.test' });
    expect(outageHeadline(outageCause(err))).toBe('HeyGen could not be reached at https://api.heygen.test: unknown host');
  });
});
