import { describe, expect, it } from 'vitest';
import { Poller, type Pollable } from '../../src/execute/heygen/poller.js';
import { Semaphore } from '../../src/util/limit.js';

/** A fake remote: each job finishes after a number of polls; every request is recorded. */
function remote(finishAfter: Record<string, number>) {
  const seen: Record<string, number> = {};
  const requests: string[][] = [];
  const fetchMany = (ids: string[]): Promise<Pollable[]> => {
    requests.push(ids);
    const answers = ids.map((id) => {
      const polls = (seen[id] ?? 0) + 1;
      seen[id] = polls;
      const status =
        id === 'bad'
          ? 'failed'
          : polls >= (finishAfter[id] ?? 1)
            ? 'completed'
            : id.startsWith('odd')
              ? ('mystery' as Pollable['status'])
              : id.startsWith('gone')
                ? 'not_found'
                : 'running';
      return { id, status };
    });
    return Promise.resolve(answers);
  };
  return { fetchMany, requests };
}

describe('Poller', () => {
  it('asks about many jobs in one request and resolves each when it finishes or fails', async () => {
    const r = remote({ a: 1, b: 3, c: 2 });
    const p = new Poller(r.fetchMany, { minMs: 5, maxMs: 20, timeoutMs: 5000, batch: 100, piggyback: true });
    const [a, b, c, bad] = await Promise.all([p.wait('a'), p.wait('b'), p.wait('c'), p.wait('bad')]);
    expect([a.status, b.status, c.status, bad.status]).toEqual(['completed', 'completed', 'completed', 'failed']);
    expect(r.requests[0]!.sort()).toEqual(['a', 'b', 'bad', 'c']);
    expect(r.requests.length).toBeLessThanOrEqual(3);
  });

  it('treats unknown statuses as still running', async () => {
    const r = remote({ odd1: 3 });
    const p = new Poller(r.fetchMany, { minMs: 2, maxMs: 5, timeoutMs: 5000, batch: 10 });
    expect((await p.wait('odd1')).status).toBe('completed');
    expect(r.requests).toHaveLength(3);
  });

  it('splits the due jobs into requests of at most `batch` ids, each asked about once', async () => {
    const r = remote({});
    // A clock that stands still while the five jobs are queued, so all five are due at the same tick.
    let clock = 0;
    const p = new Poller(r.fetchMany, { minMs: 2, maxMs: 5, timeoutMs: 5000, batch: 2, now: () => clock });
    const waits = ['a', 'b', 'c', 'd', 'e'].map((id) => p.wait(id));
    clock = 2;
    await Promise.all(waits);
    expect(r.requests).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('asks about each due job alone, all at once and with nothing carried along, while oneByOne says so', async () => {
    const r = remote({ a: 1, b: 1, c: 1, later: 1 });
    let clock = 0;
    let alone = true;
    const inFlight: number[] = [];
    let out = 0;
    const fetchMany = async (ids: string[]): Promise<Pollable[]> => {
      inFlight.push(++out);
      await new Promise((res) => setTimeout(res, 5));
      out--;
      return r.fetchMany(ids);
    };
    const p = new Poller(fetchMany, { minMs: 2, maxMs: 5, timeoutMs: 5000, batch: 100, piggyback: true, oneByOne: () => alone, now: () => clock });
    const waits = ['a', 'b', 'c'].map((id) => p.wait(id));
    clock = 1;
    const later = p.wait('later');
    clock = 2;
    await Promise.all(waits);
    // Three requests of one id, out together; `later` (not due) was not carried along.
    expect(r.requests).toEqual([['a'], ['b'], ['c']]);
    expect(Math.max(...inFlight)).toBe(3);
    alone = false;
    clock = 10;
    await later;
    expect(r.requests.at(-1)).toEqual(['later']);
  });

  it('waits for a job not visible yet, and reports one HeyGen keeps not knowing instead of waiting out the timeout', async () => {
    const r = remote({ goneForAMoment: 3, goneForGood: 1e9 });
    let clock = 0;
    const p = new Poller(r.fetchMany, { minMs: 2, maxMs: 5, timeoutMs: 40 * 60_000, batch: 10, now: () => (clock += 1000) });
    expect((await p.wait('goneForAMoment')).status).toBe('completed');
    const err = await p.wait('goneForGood').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_HEYGEN_NOT_FOUND', message: expect.stringContaining('HeyGen does not know goneForGood') });
    // About a minute of not_found answers, far from the 40-minute timeout.
    expect(clock).toBeLessThan(5 * 60_000);
  });

  it('reports a job that outlives its timeout instead of hanging', async () => {
    const r = remote({ slow: 1e9 });
    const p = new Poller(r.fetchMany, { minMs: 2, maxMs: 5, timeoutMs: 40, batch: 10 });
    await expect(p.wait('slow')).rejects.toMatchObject({ code: 'E_POLL_TIMEOUT' });
  });

  it('stops waiting when aborted', async () => {
    const r = remote({ slow: 1e9 });
    const ctl = new AbortController();
    const p = new Poller(r.fetchMany, { minMs: 2, maxMs: 5, timeoutMs: 60_000, batch: 10, signal: ctl.signal });
    const w = p.wait('slow');
    setTimeout(() => ctl.abort(new Error('stop')), 20);
    await expect(w).rejects.toThrow('stop');
  });
});

describe('Semaphore', () => {
  it('never lets more than its size through, serves waiters in order, and takes weighted slots', async () => {
    const s = new Semaphore(3);
    const order: string[] = [];
    expect(await s.acquire(2)).toBe(2);
    const big = s.acquire(3).then((n) => order.push(`big:${n}`));
    const small = s.acquire(1).then(() => order.push('small'));
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]); // the small request waits behind the big one: no starvation
    s.release(2);
    await big;
    expect(s.available).toBe(0);
    s.release(3);
    await small;
    expect(order).toEqual(['big:3', 'small']);
    // A request larger than the semaphore takes all of it.
    s.release(1);
    expect(await s.acquire(10)).toBe(3);
  });

  it('an aborted waiter leaves the line', async () => {
    const s = new Semaphore(1);
    await s.acquire();
    const ctl = new AbortController();
    const w = s.acquire(1, ctl.signal);
    ctl.abort(new Error('gone'));
    await expect(w).rejects.toThrow('gone');
    s.release();
    expect(s.available).toBe(1);
  });
});
