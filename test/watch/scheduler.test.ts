/** Debounce and coalescing: one run per quiet period, one at a time, and the last batch is never lost. */
import { describe, expect, it } from 'vitest';
import { createScheduler, type Batch } from '../../src/watch/scheduler.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('scheduler', () => {
  it('turns a burst of events into one run with every path once', async () => {
    const runs: Batch[] = [];
    const s = createScheduler(30, async (b) => void runs.push(b), () => undefined);
    for (let i = 0; i < 20; i++) s.notify(i % 2 === 0 ? '/p/a.yaml' : '/p/b.yaml');
    await s.whenIdle();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.paths).toEqual(['/p/a.yaml', '/p/b.yaml']);
    expect(runs[0]?.initial).toBe(false);
    expect(runs[0]?.firstEventAt).toBeTypeOf('number');
  });

  it('runs one at a time and coalesces what arrives during a run into one more run', async () => {
    const runs: string[][] = [];
    const gate = deferred();
    let active = 0;
    let maxActive = 0;
    const s = createScheduler(
      5,
      async (b) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(b.paths);
        if (runs.length === 1) await gate.promise;
        active--;
      },
      () => undefined,
    );
    s.kick();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.running()).toBe(true);
    s.notify('/p/a.yaml');
    s.notify('/p/b.yaml');
    await new Promise((r) => setTimeout(r, 30)); // past the debounce, while the first run still runs
    s.notify('/p/c.yaml');
    expect(s.hasPending()).toBe(true);
    gate.resolve();
    await s.whenIdle();
    expect(maxActive).toBe(1);
    expect(runs).toEqual([[], ['/p/a.yaml', '/p/b.yaml', '/p/c.yaml']]);
  });

  it('reports idle after the last run, and starts nothing once stopped', async () => {
    let idle = 0;
    let runs = 0;
    const s = createScheduler(10, async () => void runs++, () => void idle++);
    s.kick();
    await s.whenIdle();
    expect([runs, idle]).toEqual([1, 1]);
    s.notify('/p/a.yaml');
    await s.stop();
    s.notify('/p/b.yaml');
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toBe(1);
  });
});
