/**
 * The progress line's counts, credits and ETA are kept as events arrive (a redraw per event at 10k items
 * must not walk every item). Whatever the events, they equal the same figures worked out from scratch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuildEvent, ItemState } from '../../src/execute/events.js';
import { FROM_STORE } from '../../src/execute/heygen/remote-item.js';
import type { PlanItem } from '../../src/model/plan.js';
import { BuildProgress } from '../../src/reporters/progress.js';

function video(id: string, credits: number[], action: PlanItem['action'] = 'create'): PlanItem {
  const scenes = credits.map((c, index) => ({ index, key: `k${index}`, action: 'create' as const, reasons: [], estimate: { seconds: 10, credits: c } }));
  return { kind: 'video', id, videoId: id, action, reasons: [], output: `out/${id}.mp4`, scenes, estimate: { seconds: 10 * credits.length, credits: credits.reduce((a, b) => a + b, 0) } };
}

const items: PlanItem[] = [
  video('a', [1, 2]),
  video('b', [0.5]),
  video('c', [1, 0, 3], 'update'),
  video('d', [2], 'download'),
  { ...video('a@es', []), id: 'a@es', videoId: 'a', kind: 'translation', estimate: { seconds: 20, credits: 4 } },
];
const ids = ['a', 'b', 'c', 'd', 'a@es', 'a#1', 'a#2', 'c#1', 'c#3', 'b#1'];
const states: ItemState[] = ['queued', 'uploading', 'submitting', 'submitted', 'rendering', 'downloading', 'done', 'failed', 'skipped'];

const event = fc.oneof(
  fc.record({ type: fc.constant('status' as const), id: fc.constantFrom(...ids), state: fc.constantFrom(...states), detail: fc.constantFrom(undefined, FROM_STORE, 'composed') }),
  fc.record({ type: fc.constant('adopted' as const), id: fc.constantFrom(...ids), remoteId: fc.constant('r'), job: fc.constant('m:1'), since: fc.constant('2026-12-02T00:00:00Z') }),
  fc.record({ type: fc.constant('submitted' as const), id: fc.constantFrom(...ids), remoteId: fc.constant('r'), replayed: fc.boolean() }),
  fc.record({ type: fc.constant('failed' as const), id: fc.constantFrom(...ids), code: fc.constantFrom('E_X', 'E_RENDER_FAILED'), message: fc.constant('boom') }),
);

/**
 * What the build paid for an item it did not see rendered: the renders it sent (not replays of an earlier
 * build's) that HeyGen did not fail, whole or clip by clip.
 */
function committed(item: PlanItem, credits: number, events: readonly BuildEvent[]): number {
  const sent = new Set(events.filter((e) => e.type === 'submitted' && e.replayed !== true).map((e) => (e as { id: string }).id));
  const failed = new Set(events.filter((e) => e.type === 'failed' && e.code === 'E_RENDER_FAILED').map((e) => (e as { id: string }).id));
  const paid = (id: string): boolean => sent.has(id) && !failed.has(id);
  if (credits === 0) return 0;
  if (!item.scenes) return paid(item.id) ? credits : 0;
  return Math.min(credits, item.scenes.filter((s) => paid(`${item.videoId}#${s.index + 1}`)).reduce((a, s) => a + s.estimate.credits, 0));
}

/** The figures as the definitions say, over every item. */
function fromScratch(p: BuildProgress, clock: number, started: number, events: readonly BuildEvent[]) {
  let spent = 0;
  let planned = 0;
  let done = 0;
  let left = 0;
  for (const i of p.items) {
    planned += p.credits(i);
    const o = p.outcome(i.id);
    spent += o === 'rendered' || o === 'review' ? p.credits(i) : committed(i, p.credits(i), events);
    const w = i.action === 'download' ? 1 : Math.max(1, i.estimate.seconds);
    if (o === 'pending') left += w;
    else done += w;
  }
  const eta = done === 0 || left === 0 ? undefined : (((clock - started) / 1000) * left) / done;
  return { spent, planned, eta };
}

describe('the progress figures kept as events arrive', () => {
  it('equal the figures worked out from scratch after every event', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let clock = 1000;
        const p = new BuildProgress(items, false, () => clock);
        const all = events as BuildEvent[];
        for (const [k, e] of all.entries()) {
          clock += 500;
          p.update(e);
          const want = fromScratch(p, clock, 1000, all.slice(0, k + 1));
          const got = p.spend();
          expect(got.spent).toBeCloseTo(want.spent, 9);
          expect(got.planned).toBeCloseTo(want.planned, 9);
          if (want.eta === undefined) expect(p.eta()).toBeUndefined();
          else expect(p.eta()).toBeCloseTo(want.eta, 6);
          const shown = p.line();
          for (const s of ['queued', 'rendering', 'downloading'] as const) {
            const n = p.items.filter((i) => p.outcome(i.id) === 'pending' && stateOf(all.slice(0, k + 1), i.id) === s).length;
            expect(shown.includes(`${s} ${n}`)).toBe(n > 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The last state an item was given, the way the progress line counts it (a finished item has none). */
function stateOf(events: BuildEvent[], id: string): ItemState | undefined {
  let s: ItemState | undefined;
  for (const e of events) if (e.type === 'status' && e.id === id && !['done', 'failed', 'skipped'].includes(e.state)) s = e.state;
  return s;
}
