/**
 * `totals.seconds` of a plan: the seconds HeyGen will render and be paid for (README "plan --json"), so
 * that it agrees with `totals.credits`. A composed video counts only its scene clips to render: the
 * clips the lockfile or the remote store already has, and what is composed here, are no new render.
 */
import { PAID_ACTIONS, type PlanItem } from '../model/plan.js';

/** The seconds `it` has rendered (and paid for): none for a restore, an adoption or a recompose. */
export function paidSeconds(it: PlanItem): number {
  if (!PAID_ACTIONS.has(it.action) || it.restore || it.recompose) return 0;
  if (!it.scenes) return it.estimate.seconds;
  let seconds = 0;
  for (const s of it.scenes) if (s.action === 'create') seconds += s.estimate.seconds;
  return seconds;
}
