/** A HeyGen outage under the poller: transient poll failures never end a wait before its timeout; others do. */
import { describe, expect, it } from 'vitest';
import { Detached } from '../../src/execute/heygen/detach.js';
import { isTransientPollError, outageReason, PollOutage } from '../../src/execute/heygen/outage.js';
import { Poller, type Pollable } from '../../src/execute/heygen/poller.js';
import { HeygenApiError } from '../../src/providers/heygen/errors.js';

const unavailable = (): HeygenApiError =>
  new HeygenApiError('E_HEYGEN_UNAVAILABLE', 'GET /v3/videos/v1: HTTP 503 Service Unavailable (gave up after 2 attempts)', { httpStatus: 503 });

/** A remote that throws `fail()` for the first `failures` requests, then answers `status` for every id. */
function flaky(failures: number, fail: () => Error, status: Pollable['status'] = 'completed') {
  let requests = 0;
  const fetchMany = (ids: string[]): Promise<Pollable[]> => {
    requests++;
    if (requests <= failures) return Promise.reject(fail());
    return Promise.resolve(ids.map((id) => ({ id, status })));
  };
  return { fetchMany, requests: () => requests };
}

describe('Poller through a HeyGen outage', () => {
  it('keeps polling through 5xx, network and 429 failures, and warns once when they start and once when they end', async () => {
    const r = flaky(20, unavailable);
    const warnings: string[] = [];
    const outage = new PollOutage((m) => warnings.push(m), 60_000);
    const p = new Poller(r.fetchMany, { minMs: 1, maxMs: 3, timeoutMs: 60_000, batch: 10, outage });
    const [a, b] = await Promise.all([p.wait('a'), p.wait('b')]);
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    // The 20 failures, then one answer for both, or one each when the (real, 1-3 ms) timers split them.
    expect(r.requests()).toBeGreaterThanOrEqual(21);
    expect(r.requests()).toBeLessThanOrEqual(22);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^HeyGen status polls failing \(GET \/v3\/videos\/v1: HTTP 503 Service Unavailable\): still waiting for 2 jobs in flight/);
    expect(warnings[0]).not.toContain('gave up');
    expect(warnings[1]).toMatch(/^HeyGen answers status polls again, after \d+ s of failures/);
  });

  it('a rate limit outlasting the client\'s waits is ridden out too', async () => {
    const r = flaky(3, () => new HeygenApiError('E_HEYGEN_RATE_LIMITED', 'rate limited, still after 31 waits', { httpStatus: 429 }));
    const p = new Poller(r.fetchMany, { minMs: 1, maxMs: 3, timeoutMs: 60_000, batch: 10 });
    expect((await p.wait('a')).status).toBe('completed');
  });

  it('an outage longer than the poll timeout ends in E_POLL_TIMEOUT naming the failure, not "still rendering"', async () => {
    const r = flaky(1e9, unavailable);
    const p = new Poller(r.fetchMany, { minMs: 1, maxMs: 3, timeoutMs: 40, batch: 10 });
    const err = await p.wait('a').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_POLL_TIMEOUT', message: expect.stringMatching(/^a is not known to be finished after \d+ s: HeyGen's status polls have failed for the last \d+ s \(GET \/v3\/videos\/v1: HTTP 503/) });
  });

  it.each([
    ['E_HEYGEN_AUTH', 401],
    ['E_HEYGEN_FORBIDDEN', 403],
    ['E_HEYGEN_HTTP', 410],
  ] as const)('%s (HTTP %i) still ends every wait at once', async (code, httpStatus) => {
    const r = flaky(1, () => new HeygenApiError(code, `GET /v3/videos/a: HTTP ${httpStatus}`, { httpStatus }));
    const p = new Poller(r.fetchMany, { minMs: 1, maxMs: 3, timeoutMs: 60_000, batch: 10 });
    await expect(p.wait('a')).rejects.toMatchObject({ code });
    expect(r.requests()).toBe(1);
  });

  it('a detached run (one ask) leaves the job with status unknown instead of failing it', async () => {
    const r = flaky(1, unavailable);
    const warnings: string[] = [];
    const outage = new PollOutage((m) => warnings.push(m), 60_000);
    const p = new Poller(r.fetchMany, { minMs: 1, maxMs: 3, timeoutMs: 60_000, batch: 10, once: true, outage });
    const err = await p.wait('a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Detached);
    expect((err as Detached).remoteStatus).toBe('unknown');
    expect(warnings).toEqual([expect.stringMatching(/: 1 job in flight left rendering with status unknown .*a later build collects them$/)]);
  });

  it('one outage across pollers: a poller still failing keeps it open while another is answered', () => {
    const warnings: string[] = [];
    const o = new PollOutage((m) => warnings.push(m), 60_000);
    const videos = {};
    const translations = {};
    o.failed(videos, 'HTTP 502', 0, 1);
    o.failed(translations, 'HTTP 502', 0, 1);
    o.answered(videos);
    o.failed(videos, 'HTTP 502', 0, 1);
    o.answered(videos);
    expect(warnings).toHaveLength(1);
    o.answered(translations);
    expect(warnings).toHaveLength(2);
  });

  it('classifies only outages as transient', () => {
    expect(isTransientPollError(unavailable())).toBe(true);
    expect(isTransientPollError(new HeygenApiError('E_HEYGEN_AUTH', 'no'))).toBe(false);
    expect(isTransientPollError(new Error('E_HEYGEN_UNAVAILABLE'))).toBe(false);
    expect(outageReason(unavailable())).toBe('GET /v3/videos/v1: HTTP 503 Service Unavailable');
  });
});
