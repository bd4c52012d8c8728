/**
 * The poller against a simulated HeyGen on a fake clock: jobs finish a fixed time after they are
 * accepted, every request takes `latency` to be handled, and a job cap frees a slot only when the
 * client has seen its render finish. What a user notices: how soon after a render ends its slot is
 * used again, and how many status requests that costs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller, type Pollable } from '../../src/execute/heygen/poller.js';
import { RenderTimes } from '../../src/execute/heygen/render-times.js';
import { Semaphore } from '../../src/util/limit.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Sim {
  /** When the first job was sent, and when the last render was seen finished. */
  start: number;
  end: number;
  /** Per render: how long after it finished the client learned it. */
  detect: number[];
  statusRequests: number;
}

/**
 * `jobs` renders of `renderMs` through `cap` slots: POST (handled after `latency`), then poll until done.
 * `renderMs` may vary per job.
 */
async function simulate(opts: { jobs: number; cap: number; renderMs: (i: number) => number; latency: number; minMs: number; maxMs: number; learn?: boolean; jitter?: number }): Promise<Sim> {
  const finishAt = new Map<string, number>();
  let statusRequests = 0;
  // Latency varies by up to ±`jitter` (20 % unless given; a fixed pseudo-random sequence: the test is deterministic).
  let seed = 1;
  const jitter = opts.jitter ?? 0.2;
  const latency = (): number => {
    seed = (seed * 48271) % 2147483647;
    return opts.latency * (1 - jitter + 2 * jitter * (seed / 2147483647));
  };
  const fetchMany = async (ids: string[]): Promise<Pollable[]> => {
    statusRequests++;
    await later(latency());
    const now = Date.now();
    return ids.map((id) => ({ id, status: now >= finishAt.get(id)! ? 'completed' : 'running' }));
  };
  const poller = new Poller(fetchMany, { minMs: opts.minMs, maxMs: opts.maxMs, timeoutMs: 1e9, batch: 100, piggyback: true });
  const slots = new Semaphore(opts.cap);
  const detect: number[] = [];
  const start = Date.now();
  let end = 0;
  await Promise.all(
    Array.from({ length: opts.jobs }, async (_, i) => {
      await slots.acquire();
      const id = `job${i}`;
      await later(latency());
      finishAt.set(id, Date.now() + opts.renderMs(i));
      // Without `submittedAt` the poller cannot time renders: the plain backoff, as for a resumed job.
      await poller.wait(id, opts.learn === false ? undefined : poller.time());
      detect.push(Date.now() - finishAt.get(id)!);
      end = Math.max(end, Date.now());
      slots.release();
    }),
  );
  return { start, end, detect, statusRequests };
}

async function run(opts: Parameters<typeof simulate>[0]): Promise<Sim> {
  const result = simulate(opts);
  await vi.runAllTimersAsync();
  return result;
}

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Poller timing', () => {
  it('learns how long renders take and frees each slot soon after its render ends', async () => {
    const base = { jobs: 200, cap: 10, renderMs: () => 1000, latency: 50, minMs: 100, maxMs: 400 };
    const plain = await run({ ...base, learn: false });
    const sim = await run(base);
    // Plain backoff learns a render ended ~140 ms late on average; knowing the render time, ~8 ms.
    expect(avg(plain.detect)).toBeGreaterThan(100);
    expect(avg(sim.detect)).toBeLessThan(12);
    // 20 renders per slot, each after a 50 ms POST: 21 s is the floor (the bench's ideal is 20 s).
    expect(sim.end - sim.start).toBeLessThan(21_000 * 1.04);
    expect(plain.end - plain.start).toBeGreaterThan(21_000 * 1.1);
    // Still under one bulk request per render.
    expect(sim.statusRequests).toBeLessThan(200);
  });

  it('with a steady latency, sees a render end within a few ms, for a request or two per round of renders', async () => {
    // ±2 % latency (a quiet loopback, the bench's emulator): the end of a 1 s render is known to a few ms.
    const base = { jobs: 200, cap: 10, renderMs: () => 1000, latency: 50, minMs: 100, maxMs: 400, jitter: 0.02 };
    const sim = await run(base);
    // One request at the expected end, one a moment later that does not wait for the first's answer
    // (a round trip late): the worst render is seen a request's spacing (10 ms) after its end, not 50 ms.
    expect(avg(sim.detect)).toBeLessThan(8);
    expect(Math.max(...sim.detect.slice(50))).toBeLessThan(25);
    // 20 rounds of 10 renders: the backoff's few requests in each, and about two at its end.
    expect(sim.statusRequests).toBeLessThan(130);
  });

  it('with renders of varying length, detects sooner for a few more requests', async () => {
    // 1 to 2 s renders, in no order: a fast render seen is a poor guess for most jobs.
    const base = { jobs: 100, cap: 10, renderMs: (i: number) => 1000 + ((i * 7919) % 1000), latency: 50, minMs: 100, maxMs: 400 };
    const plain = await run({ ...base, learn: false });
    const learned = await run(base);
    expect(avg(learned.detect)).toBeLessThan(avg(plain.detect));
    expect(Math.max(...learned.detect)).toBeLessThanOrEqual(Math.max(...plain.detect));
    // A probe and a few follow-ups per job near its expected end, shared by the jobs in flight.
    expect(learned.statusRequests).toBeLessThan(3 * plain.statusRequests);
  });
});

describe('RenderTimes', () => {
  it('knows nothing before a render has been seen finished', () => {
    expect(new RenderTimes().nextAsk(0, 400)).toBe(Infinity);
  });

  it('probes between the longest "not yet" and the fastest "done", then asks at the fastest', () => {
    const t = new RenderTimes();
    t.add(800, 1200);
    expect(t.nextAsk(0, 400)).toBe(1000);
    expect(t.nextAsk(1000, 400)).toBe(1200);
    t.add(950, 1000);
    expect(t.nextAsk(0, 400)).toBe(975);
    t.add(990, 995);
    expect(t.nextAsk(0, 400)).toBe(992.5);
    t.add(992.5, 995);
    // Within the resolution (0.25 % of a render): ask at the fastest, then follow up at 1, 2, 4 ... x 0.25 %.
    expect(t.nextAsk(0, 400)).toBe(995);
    expect(t.nextAsk(995, 400)).toBeCloseTo(995 + 2.4875);
    expect(t.nextAsk(995 + 2.4875, 400)).toBeCloseTo(995 + 4.975);
  });

  it('with regular renders, goes on bisecting within a job past its own last "not yet", a probe a round trip', () => {
    const t = new RenderTimes();
    for (let i = 0; i < 10; i++) t.add(600, 1000);
    expect(t.regular()).toBe(true);
    // Not done at 800 (the probe at the middle): the next probe is in the middle of what is left, not at 1000.
    expect(t.nextAsk(800, 400, 800)).toBe(900);
    expect(t.nextAsk(900, 400, 900)).toBe(950);
    // Asked at 950 and not answered yet: the fastest render is next, as before.
    expect(t.nextAsk(950, 400, 900)).toBe(1000);
    // Without an answer of its own past `lo`, the bounds alone decide.
    expect(t.nextAsk(0, 400, 0)).toBe(800);
  });

  it("with renders of varying length, a job's own 'not yet' does not add probes", () => {
    const t = new RenderTimes();
    for (const hi of [1000, 1400, 1800, 1200]) t.add(600, hi);
    expect(t.regular()).toBe(false);
    expect(t.nextAsk(800, 400, 800)).toBe(1000);
  });

  it('calls renders regular when most take about as long as a fast one', () => {
    const steady = new RenderTimes();
    for (const hi of [1000, 1003, 1001, 1010]) steady.add(hi - 5, hi);
    expect(steady.regular()).toBe(true);
    const varied = new RenderTimes();
    for (const hi of [1000, 1400, 1800, 1200]) varied.add(hi - 5, hi);
    expect(varied.regular()).toBe(false);
  });

  it('follow-ups stop growing at the backoff interval, where the ordinary backoff takes over', () => {
    const t = new RenderTimes();
    t.add(990, 1000);
    expect(t.nextAsk(1000 + 160, 100)).toBe(Infinity);
  });

  it('ignores a "not yet" longer than the fastest render (a slower job says nothing about this one)', () => {
    const t = new RenderTimes();
    t.add(1500, 1600);
    t.add(900, 1000);
    expect(t.bounds()).toEqual({ lo: 900, hi: 1000 });
  });
});
