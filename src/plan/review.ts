/**
 * The plan of a reviewed translation (`review:` on its entry). Pure, like the rest of the planner.
 * - `review: true`: one HeyGen proofread per language writes the SRT into the repo; then the language waits
 *   (`awaiting review`, nothing to do) until the manifest says `review: approved`. A proofread is priced at
 *   its own rate; nothing is rendered.
 * - `review: approved`: the translation is rendered from the committed SRT, whose digest is in its key, so
 *   an edit renders that language again and the reason names the file. When no session can take the SRT
 *   (none yet, or it already rendered another version), a new proofread seeded with the file is paid too.
 */
import { proofreadKey, translationKey } from '../hash/index.js';
import type { LockEntry, ProofreadLock } from '../model/lock.js';
import { PAID_ACTIONS, type Action, type PlanItem } from '../model/plan.js';
import type { TranslationSpec } from '../model/spec.js';
import { decide } from './decide.js';
import { proofreadCredits, round2, translationCredits } from './estimate.js';
import type { PlanInput } from './input.js';

/** What differs in a reviewed translation's plan item from an ordinary one. */
export type ReviewPlan = Pick<PlanItem, 'action' | 'key' | 'reasons' | 'estimate' | 'review' | 'output' | 'sourceKey'> & { previousKey?: string };

/** Whether `rec` is a session the approved SRT of `t` can be rendered through without paying a new proofread. */
export function usableSession(rec: ProofreadLock | undefined, sourceKey: string, t: TranslationSpec): boolean {
  if (!rec) return false;
  const tkey = translationKey(sourceKey, t);
  if (rec.generated !== undefined && rec.generated !== tkey) return false;
  if (rec.key === proofreadKey(sourceKey, t, t.review?.sha256)) return rec.status !== 'failed';
  return rec.key === proofreadKey(sourceKey, t) && rec.status === 'completed';
}

/** What one reviewed language is planned from: its video's (or dub's) plan context and the language's output. */
export interface ReviewInput {
  input: PlanInput;
  /** The plan item's id, `<video>@<language>`. */
  id: string;
  /** The key of what is translated: the video's base key, or a dub source's. */
  sourceKey: string;
  t: TranslationSpec;
  entry: LockEntry | undefined;
  seconds: number;
  output: string;
  /** Words why the language's key changed when the SRT did not (source, options). */
  changed: () => string[];
  /** A dub's language is a `dub` in the reasons (default: `translation`). */
  what?: 'translation' | 'dub';
}

/** The plan of one reviewed language. */
export function planReview(a: ReviewInput): ReviewPlan {
  const { input, id, sourceKey, t, entry, seconds } = a;
  const review = t.review!;
  const prec = entry?.proofreads?.[t.language];
  if (review.state === 'approved') return planApproved(a);
  const key = proofreadKey(sourceKey, t);
  const d = decide(input, id, key, prec, review.srt, () => ['source or translation options changed: a new proofread'], 'proofread');
  const base = { key, sourceKey, output: review.srt, ...(prec ? { previousKey: prec.key } : {}) };
  // The SRT on disk is the reviewer's: once written, its edits are never "restored" over.
  if (d.action === 'unchanged' || (d.action === 'download' && input.outputs.has(review.srt))) {
    return { ...base, action: 'unchanged', review: 'awaiting', reasons: [`awaiting review: edit ${review.srt}, then set review: approved`], estimate: { seconds, credits: 0 } };
  }
  const paid = PAID_ACTIONS.has(d.action) || d.mayPay === true;
  const reasons = d.action === 'download' ? [`${review.srt} is missing: fetched again from its proofread (free)`] : [...d.reasons, `a HeyGen proofread writes ${review.srt} to review; no render is paid`];
  return { ...base, action: d.action, review: 'proofread', reasons, estimate: { seconds, credits: paid ? proofreadCredits(seconds, input.engine) : 0 } };
}

function planApproved({ input, id, sourceKey, t, entry, seconds, output, changed, what = 'translation' }: ReviewInput): ReviewPlan {
  const srt = t.review!.srt;
  const key = translationKey(sourceKey, t);
  const rec = entry?.translations[t.language];
  const why = (): string[] => (rec?.srt !== undefined && rec.srt !== t.review!.sha256 ? [`${srt} changed`] : rec?.srt === undefined ? [`review approved: rendered from ${srt}`] : changed());
  const d = decide(input, id, key, rec, output, why, what);
  const action: Action = d.action;
  const reasons = !rec ? [`review approved: rendered from ${srt}`] : d.reasons;
  const paid = PAID_ACTIONS.has(action) || d.mayPay === true;
  const session = usableSession(entry?.proofreads?.[t.language], sourceKey, t) ? 0 : proofreadCredits(seconds, input.engine);
  const credits = paid ? round2(translationCredits(seconds, t.mode, input.engine) + (action === 'resume' ? 0 : session)) : 0;
  const more = paid && action !== 'resume' && session > 0 ? [`a new proofread seeded with ${srt} (${whyNewSession(entry?.proofreads?.[t.language])})`] : [];
  return { action, key, sourceKey, output, review: 'approved', reasons: [...reasons, ...more], estimate: { seconds, credits }, ...(rec ? { previousKey: rec.key } : {}) };
}

/** Why the approved SRT cannot go to the recorded session. */
function whyNewSession(rec: ProofreadLock | undefined): string {
  if (!rec) return 'no proofread was made for review';
  if (rec.generated !== undefined) return 'its proofread rendered the previous version';
  if (rec.status === 'failed') return 'its proofread failed';
  return 'the source or options changed since the review';
}
