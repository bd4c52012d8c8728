/** Plans show translations awaiting review, although there is nothing to build for them. */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanItem } from '../../src/model/plan.js';
import { formatPlanHuman, planToJson } from '../../src/reporters/plan.js';
import { formatPlanMarkdown } from '../../src/reporters/plan-markdown.js';
import { planTotals } from '../../src/plan/plan.js';

const awaiting: PlanItem = {
  kind: 'translation',
  id: 'tour@es',
  videoId: 'tour',
  language: 'es',
  action: 'unchanged',
  reasons: ['awaiting review: edit translations/tour.es.srt, then set review: approved'],
  output: 'translations/tour.es.srt',
  review: 'awaiting',
  estimate: { seconds: 10, credits: 0 },
};
const quiet: PlanItem = { ...awaiting, id: 'tour@fr', language: 'fr', reasons: [], output: 'out/tour.fr.mp4', review: undefined };
const plan = (items: PlanItem[]): Plan => ({ items, totals: planTotals(items) });

describe('a plan with a language awaiting review', () => {
  it('lists it among the changes a person must act on, and only it', () => {
    const text = formatPlanHuman(plan([awaiting, quiet]), { showUnchanged: false });
    expect(text).toMatch(/= unchanged\s+tour@es\s+awaiting review/);
    expect(text).toContain('edit translations/tour.es.srt');
    expect(text).not.toContain('tour@fr');
  });

  it('says so in the job summary and in plan --json', () => {
    const md = formatPlanMarkdown(plan([awaiting]), { drafts: false, warnings: [] });
    expect(md).toContain('**Awaiting review**');
    expect(md).toContain('- `tour@es`: review `translations/tour.es.srt`, then set `review: approved`');
    expect((planToJson(plan([awaiting])) as { items: { review?: string }[] }).items[0]!.review).toBe('awaiting');
  });
});
