/**
 * `totals.seconds` is the seconds HeyGen renders and is paid for, like `totals.credits`: a composed video
 * counts only its clips to render, not the clips the lockfile or the remote store already has.
 */
import { describe, expect, it } from 'vitest';
import type { PlanItem, ScenePlanItem } from '../../src/model/plan.js';
import { planTotals } from '../../src/plan/plan.js';
import { markRestores } from '../../src/remote/plan-records.js';

const k = (c: string): string => c.repeat(64);
const scene = (index: number, action: ScenePlanItem['action'], seconds: number): ScenePlanItem => ({
  index,
  key: k(String(index + 1)),
  action,
  reasons: [],
  estimate: { seconds, credits: action === 'create' ? seconds / 10 : 0 },
});
const video = (id: string, over: Partial<PlanItem>): PlanItem => ({ kind: 'video', id, videoId: id, action: 'update', key: k(id), reasons: [], output: `out/${id}.mp4`, estimate: { seconds: 30, credits: 3 }, ...over });

describe('totals.seconds', () => {
  it('a composed video counts the clips it renders, not those the lockfile has nor its audio or silent scenes', () => {
    const tour = video('t', { estimate: { seconds: 36, credits: 1.2 }, scenes: [scene(0, 'create', 12), scene(1, 'reuse', 20), scene(2, 'local', 4)] });
    expect(planTotals([tour])).toMatchObject({ seconds: 12, credits: 1.2 });
  });

  it('nor the clips the remote store has; a video the store has whole, an adopted one and a recompose count nothing', () => {
    const tour = video('t', { estimate: { seconds: 30, credits: 3 }, scenes: [scene(0, 'create', 10), scene(1, 'create', 20)] });
    const half = markRestores({ items: [tour], totals: planTotals([tour]) }, new Set([k('2')]));
    expect(half.totals).toMatchObject({ seconds: 10, credits: 1 });
    const whole = markRestores({ items: [tour], totals: planTotals([tour]) }, new Set([k('t')]));
    expect(whole.totals).toMatchObject({ seconds: 0, credits: 0 });
    const adopted = video('a', { restore: 'claim', estimate: { seconds: 30, credits: 0 } });
    const recompose = { ...video('r@es', { kind: 'translation', estimate: { seconds: 30, credits: 0 } }), recompose: true as const };
    expect(planTotals([adopted, recompose, video('p', {})])).toMatchObject({ seconds: 30, credits: 3 });
  });
});
