/**
 * A key the remote store has a record of is restored for nothing: the plan must say so (`↓ restore`,
 * not `+ create`) and count it apart from new video, in the human plan, `plan --json` and the markdown
 * summary alike. A plan without restores prints as it always did.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import { planTotals } from '../../src/plan/plan.js';
import { markRestores, RESTORE_REASON } from '../../src/remote/plan-records.js';
import { formatPlanHuman, planToJson, RESTORED_NOTE } from '../../src/reporters/plan.js';
import { formatPlanMarkdown } from '../../src/reporters/plan-markdown.js';

const k = (c: string): string => c.repeat(64);

function item(id: string, key: string, over: Partial<PlanItem> = {}): PlanItem {
  return { kind: 'video', id, videoId: id, action: 'create', key, reasons: ['not in the lockfile'], output: `out/${id}.mp4`, estimate: { seconds: 30, credits: 3 }, ...over };
}

function planOf(items: PlanItem[]): Plan {
  return { items, totals: planTotals(items) };
}

// `kept` is rendered and paid; `shared` and `moved` (an update to a key another branch built) are in the store.
const plan = planOf([item('kept', k('a')), item('shared', k('b')), item('moved', k('c'), { action: 'update', previousKey: k('d'), reasons: ['scenes[0].script'] })]);
const restored = markRestores(plan, new Set([k('b'), k('c')]));

describe('a plan with items the remote store has', () => {
  it('shows them as ↓ restore with no cost, and counts only the new render as new video', () => {
    const text = formatPlanHuman(restored);
    expect(text).toMatch(/^↓ restore {3}shared/m);
    expect(text).toMatch(/^↓ restore {3}moved/m);
    expect(text).not.toMatch(/^\+ create {4}shared/m);
    expect(text).toMatch(/^\+ create {4}kept {4,}~30s {2}3\.00 cr$/m);
    expect(text).toContain('Plan: 1 to create, 0 to update, 0 to resume, 0 to download, 2 to restore (free), 0 unchanged, 0 orphaned.');
    expect(text).toContain('Estimated 30s of new video, 3.00 cr.');
  });

  it('says why once, not on every restored item: each line says "from the remote store", and only reasons of its own follow', () => {
    const many = planOf([...plan.items, ...Array.from({ length: 5 }, (_, i) => item(`r${i}`, k(String(i))))]);
    const text = formatPlanHuman(markRestores(many, new Set([k('b'), k('c'), ...[0, 1, 2, 3, 4].map((i) => k(String(i)))])));
    expect(text.split(RESTORE_REASON).length - 1, 'the long reason is never repeated').toBe(0);
    expect(text.split(RESTORED_NOTE).length - 1, 'why, said once').toBe(1);
    expect(text.split('not in the lockfile').length - 1, 'only the item to create says it').toBe(1);
    expect(text).toMatch(/^↓ restore {3}r0 +from the remote store \(0 credits\)\n↓ restore {3}r1 /m);
    // An edit's reasons are its own: kept.
    expect(text).toMatch(/^↓ restore {3}moved +from the remote store \(0 credits\)\n {6}scenes\[0\]\.script$/m);
    // plan --json keeps every reason, as documented.
    const doc = planToJson(markRestores(many, new Set([k('b')]))) as { items: { id: string; reasons: string[] }[] };
    expect(doc.items.find((i) => i.id === 'shared')!.reasons).toEqual([RESTORE_REASON, 'not in the lockfile']);
  });

  it('plan --json: action restore, 0 credits, counted under totals.actions.restore and not as seconds of new video', () => {
    const doc = planToJson(restored) as { items: { id: string; action: string; previous_key: string | null; estimate: { credits: number } }[]; totals: Plan['totals'] };
    const by = new Map(doc.items.map((i) => [i.id, i]));
    expect(by.get('shared')).toMatchObject({ action: 'restore', estimate: { credits: 0 } });
    // Still says it replaces another render of the video.
    expect(by.get('moved')).toMatchObject({ action: 'restore', previous_key: k('d') });
    expect(by.get('kept')!.action).toBe('create');
    expect(doc.totals).toEqual({ actions: { create: 1, update: 0, unchanged: 0, orphan: 0, resume: 0, download: 0, restore: 2 }, seconds: 30, credits: 3 });
  });

  it('the markdown summary says restore, 0.00 cr, and leaves it out of the new video', () => {
    const md = formatPlanMarkdown(restored, { drafts: false, warnings: [] });
    expect(md).toContain('| `shared` | restore |');
    expect(md).toMatch(/\| `shared` \| restore \| [^|]+ \| 0\.00 cr \|/);
    expect(md).toContain('**1** to create, **0** to update, **0** to resume, **0** to download, **2** to restore (free), 0 unchanged, 0 orphaned.');
    expect(md).toContain('Estimated **3.00 cr** for about 30s of new video.');
  });

  it('a plan without restores prints exactly as before (no restore count anywhere)', () => {
    const text = formatPlanHuman(plan);
    expect(text).toContain('Plan: 2 to create, 1 to update, 0 to resume, 0 to download, 0 unchanged, 0 orphaned.');
    expect(text).not.toContain('restore');
    expect((planToJson(plan) as { totals: Plan['totals'] }).totals.actions).not.toHaveProperty('restore');
    expect(formatPlanMarkdown(plan, { drafts: false, warnings: [] })).not.toContain('restore');
  });

  it('rows of a group count their restores apart in the group line', () => {
    const rows = planOf([item('w/1', k('1'), { group: 'w/*' }), item('w/2', k('2'), { group: 'w/*' })]);
    const text = formatPlanHuman(markRestores(rows, new Set([k('2')])));
    expect(text).toContain('w/* (2 rows): 1 create, 1 restore');
  });
});
