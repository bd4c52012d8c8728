/**
 * A plan with nothing to do says so in words (as terraform's "No changes"), in the human plan as in
 * the Markdown summary, instead of pricing "about 0s of new video"; anything to do keeps the estimate.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import { planTotals } from '../../src/plan/plan.js';
import { formatPlanHuman } from '../../src/reporters/plan.js';

function item(id: string, action: PlanItem['action']): PlanItem {
  const paid = action === 'create' || action === 'update';
  return { kind: 'video', id, videoId: id, action, key: id.padEnd(64, '0'), reasons: [], output: `out/${id}.mp4`, estimate: { seconds: paid ? 30 : 0, credits: paid ? 3 : 0 } };
}

const planOf = (items: PlanItem[]): Plan => ({ items, totals: planTotals(items) });

describe('the end of a human plan', () => {
  it('says "No changes" when every video is unchanged, for HeyGen and for drafts', () => {
    const p = planOf([item('a', 'unchanged'), item('b', 'unchanged')]);
    for (const drafts of [false, true]) {
      const text = formatPlanHuman(p, { drafts });
      expect(text).toContain('Plan: 0 to create, 0 to update, 0 to resume, 0 to download, 2 unchanged, 0 orphaned.');
      expect(text).toContain('No changes: every video is up to date.');
      expect(text).not.toMatch(/Estimated|Offline drafts/);
    }
  });

  it('keeps the estimate when anything is to be done, an orphan to drop included', () => {
    expect(formatPlanHuman(planOf([item('a', 'unchanged'), item('b', 'create')]))).toContain('Estimated 30s of new video, 3.00 cr.');
    const orphan = formatPlanHuman(planOf([item('a', 'unchanged'), item('gone', 'orphan')]), { drafts: true });
    expect(orphan).not.toContain('No changes');
    expect(orphan).toContain('Offline drafts: about 0s of new draft video, no credits.');
  });
});
