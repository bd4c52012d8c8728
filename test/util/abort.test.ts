import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/util/limit.js';
import { linkSignal } from '../../src/util/abort.js';

const listeners = (s: AbortSignal): number => getEventListeners(s, 'abort').length;

describe('linkSignal', () => {
  it('puts one listener on the parent however many operations wait, and removes it when they end', () => {
    const parent = new AbortController();
    const links = Array.from({ length: 100 }, () => linkSignal(parent.signal));
    expect(listeners(parent.signal)).toBe(1);
    for (const l of links) l.release();
    expect(listeners(parent.signal)).toBe(0);
  });

  it('aborts every live child with the parent\'s reason, and none that was released', () => {
    const parent = new AbortController();
    const done = linkSignal(parent.signal);
    done.release();
    const live = [linkSignal(parent.signal), linkSignal(parent.signal)];
    const reason = new Error('stop');
    parent.abort(reason);
    expect(live.map((l): unknown => l.signal?.reason)).toEqual([reason, reason]);
    expect(done.signal?.aborted).toBe(false);
    // A child taken after the abort is born aborted.
    expect(linkSignal(parent.signal).signal?.reason).toBe(reason);
  });
});

describe('Semaphore with a shared signal', () => {
  it('queues 1,000 waiters with one listener on the signal, and rejects them all on abort', async () => {
    const c = new AbortController();
    const sem = new Semaphore(2);
    await sem.acquire(2, c.signal);
    const waiting = Array.from({ length: 1000 }, () => sem.acquire(1, c.signal));
    expect(listeners(c.signal)).toBe(1);
    const reason = new Error('interrupted');
    c.abort(reason);
    const settled = await Promise.allSettled(waiting);
    expect(settled.every((s) => s.status === 'rejected' && s.reason === reason)).toBe(true);
    expect(sem.available).toBe(0);
  });

  it('leaves no listener behind once every waiter got its slot', async () => {
    const c = new AbortController();
    const sem = new Semaphore(1);
    await sem.acquire(1, c.signal);
    const waiting = Array.from({ length: 20 }, () => sem.acquire(1, c.signal));
    for (let i = 0; i < 20; i++) sem.release();
    await Promise.all(waiting);
    expect(listeners(c.signal)).toBe(0);
  });
});

describe('Semaphore with several signals', () => {
  it('takes out of line only the waiters of the signal that aborted, and serves the rest in order', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const sem = new Semaphore(1);
    await sem.acquire(1);
    const served: string[] = [];
    const wait = (name: string, s: AbortSignal) => sem.acquire(1, s).then(() => void served.push(name));
    const waits = [wait('a1', a.signal), wait('b1', b.signal), wait('a2', a.signal), wait('b2', b.signal)];
    a.abort(new Error('stop a'));
    expect(sem.waiting).toBe(2);
    expect(listeners(a.signal)).toBe(0);
    sem.release();
    await Promise.resolve();
    sem.release();
    const settled = await Promise.allSettled(waits);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(served).toEqual(['b1', 'b2']);
    expect(listeners(b.signal)).toBe(0);
  });
});

describe('Semaphore.acquireUntil', () => {
  it('leaves the line with 0 when its other event comes first, and the ones behind it move up', async () => {
    const sem = new Semaphore(1);
    await sem.acquire(1);
    let slotCame!: () => void;
    const slot = new Promise<void>((r) => (slotCame = r));
    const first = sem.acquireUntil(1, slot);
    const second = sem.acquireUntil(1, new Promise(() => undefined));
    expect(sem.waiting).toBe(2);
    slotCame();
    expect(await first).toBe(0);
    expect(sem.waiting).toBe(1);
    sem.release();
    // The slot freed goes to the one still waiting, not to the one that left.
    expect(await second).toBe(1);
    expect(sem.available).toBe(0);
  });

  it('keeps its slots when served before its other event, and leaves when that event fails too', async () => {
    const sem = new Semaphore(1);
    await sem.acquire(1);
    let fail!: (e: Error) => void;
    const stop = new Promise<void>((_, reject) => (fail = reject));
    const served = sem.acquireUntil(1, new Promise<void>((r) => setTimeout(r, 5)));
    const stopped = sem.acquireUntil(1, stop);
    sem.release();
    expect(await served).toBe(1);
    // Its other event settling afterwards changes nothing: the slot stays taken.
    await new Promise((r) => setTimeout(r, 10));
    expect(sem.available).toBe(0);
    fail(new Error('interrupted'));
    expect(await stopped).toBe(0);
    expect(sem.waiting).toBe(0);
  });
});
