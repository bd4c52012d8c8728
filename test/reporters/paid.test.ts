/**
 * What a build reports as paid must be what it paid: a scene clip taken from the remote store mid-build
 * (its record appeared after the plan priced it) is taken off its video's credits, and a video whose
 * every paid clip came from the store is restored, not rendered.
 */
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../src/execute/events.js';
import { FROM_STORE } from '../../src/execute/heygen/remote-item.js';
import type { PlanItem, ScenePlanItem } from '../../src/model/plan.js';
import { OthersPaid } from '../../src/reporters/paid.js';
import { BuildProgress } from '../../src/reporters/progress.js';

const scene = (index: number, credits: number): ScenePlanItem => ({ index, key: `k${index}`, action: 'create', reasons: [], estimate: { seconds: 10, credits } });

function video(id: string, credits: number[]): PlanItem {
  const scenes = credits.map((c, i) => scene(i, c));
  return { kind: 'video', id, videoId: id, action: 'create', reasons: [], output: `out/${id}.mp4`, scenes, estimate: { seconds: 10 * credits.length, credits: credits.reduce((a, b) => a + b, 0) } };
}

const restoring = (id: string): BuildEvent => ({ type: 'status', id, state: 'downloading', detail: FROM_STORE });
const composed = (id: string): BuildEvent => ({ type: 'status', id, state: 'done', detail: 'composed' });

function seen(events: BuildEvent[]): OthersPaid {
  const o = new OthersPaid();
  for (const e of events) o.see(e);
  return o;
}

describe('scene clips restored from the store mid-build', () => {
  const tour = video('tour', [1, 1.5, 0.5]);

  it('a clip restored is taken off its video: the build paid for the other two', () => {
    const o = seen([restoring('tour#2'), { type: 'status', id: 'tour#1', state: 'submitting' }, { type: 'submitted', id: 'tour#1', remoteId: 'r1' }, composed('tour')]);
    expect(o.unpaid(tour)).toBeUndefined();
    expect(o.share(tour, tour.estimate.credits)).toBe(1.5);
  });

  it('a clip whose restore failed and was then paid for counts as paid', () => {
    const o = seen([restoring('tour#2'), { type: 'status', id: 'tour#2', state: 'submitting' }, { type: 'submitted', id: 'tour#2', remoteId: 'r2' }]);
    expect(o.share(tour, tour.estimate.credits)).toBe(3);
  });

  it('a speech clip paid after a failed restore (submitting, no submitted event) counts as paid', () => {
    const o = seen([restoring('tour#3'), { type: 'status', id: 'tour#3', state: 'submitting', detail: 'speech' }]);
    expect(o.share(tour, tour.estimate.credits)).toBe(3);
  });

  it('every paid clip from the store: the video is restored and costs nothing; with one adopted, adopted', () => {
    const all = seen([restoring('tour#1'), restoring('tour#2'), restoring('tour#3'), composed('tour')]);
    expect(all.unpaid(tour)).toBe('restored');
    expect(all.share(tour, tour.estimate.credits)).toBe(0);
    const mixed = seen([restoring('tour#1'), restoring('tour#2'), { type: 'adopted', id: 'tour#3', remoteId: 'r3', job: 'runner-2:7', since: '2026-12-02T05:00:00Z' }]);
    expect(mixed.unpaid(tour)).toBe('adopted');
  });

  it('the progress line and the table count what was paid', () => {
    const p = new BuildProgress([tour, video('intro', [2])], false);
    for (const e of [restoring('tour#2'), composed('tour'), restoring('intro#1'), composed('intro')]) p.update(e);
    expect(p.outcome('tour')).toBe('rendered');
    expect(p.outcome('intro')).toBe('restored');
    expect(p.credits(tour)).toBe(1.5);
    expect(p.spend()).toEqual({ spent: 1.5, planned: 1.5 });
  });
});
