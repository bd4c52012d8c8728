/**
 * What this build committed to pay for, read from its events: every paid POST it sent (a `submitted`
 * event that was not a replay of an earlier build's request), whatever became of the item after. A render
 * left in flight by Ctrl-C, or one that finished at HeyGen and then could not be written here, was still
 * paid for by this build; one HeyGen failed was not (HeyGen does not charge failed renders).
 */
import type { BuildEvent } from '../execute/events.js';
import type { PlanItem } from '../model/plan.js';
import { sceneLabel } from '../plan/scenes.js';

/** Failures HeyGen reports for its own render: not charged. */
const NOT_CHARGED = new Set(['E_RENDER_FAILED', 'E_TRANSLATION_FAILED', 'E_PROOFREAD_FAILED']);

/** The paid requests one build sent, by item or scene clip (`intro#2`). */
export class SentBySelf {
  private readonly sent = new Set<string>();
  /** Submitted in this build, replays of an earlier build's request included: at HeyGen now. */
  private readonly submitted = new Set<string>();
  private readonly failedAtHeygen = new Set<string>();

  /** Takes in one event of the build (any id: scene clips too). */
  see(e: BuildEvent): void {
    if (e.type === 'submitted') {
      this.submitted.add(e.id);
      if (e.replayed !== true) this.sent.add(e.id);
    } else if (e.type === 'failed' && NOT_CHARGED.has(e.code)) this.failedAtHeygen.add(e.id);
  }

  /** Whether `item` (or one of its scene clips) was submitted to HeyGen in this build, by it or (replayed) an earlier one. */
  submittedFor(item: PlanItem): boolean {
    return this.submitted.has(item.id) || (item.scenes ?? []).some((s) => this.submitted.has(sceneLabel(item.videoId, s.index)));
  }

  /**
   * Of `planned` (what the item's new renders cost this build), what it committed to pay by the requests
   * it sent: all of it for an item rendered whole, the sent clips' estimates for one rendered scene by scene;
   * nothing for a render HeyGen failed.
   */
  committed(item: PlanItem, planned: number): number {
    if (planned === 0) return 0;
    if (!item.scenes) return this.sent.has(item.id) && !this.failedAtHeygen.has(item.id) ? planned : 0;
    const sent = item.scenes.filter((s) => {
      const label = sceneLabel(item.videoId, s.index);
      return this.sent.has(label) && !this.failedAtHeygen.has(label);
    });
    return Math.min(planned, sent.reduce((sum, s) => sum + s.estimate.credits, 0));
  }
}
