/**
 * What of a build's work another machine paid for, read from its events: a job adopted from another
 * machine's claim (`adopted`: that machine submitted it; this build only polled and downloaded it), or an
 * output taken from the remote store where the plan expected to render it (a record that appeared after
 * the plan). Neither is a render of this build: the counts and the credits spent leave them out.
 * The build's `done` counts (src/execute/heygen/run.ts) and the progress line and table (progress.ts)
 * both read it, so they agree.
 */
import type { BuildEvent } from '../execute/events.js';
import { FROM_STORE } from '../execute/heygen/remote-item.js';
import type { PlanItem } from '../model/plan.js';
import { sceneLabel } from '../plan/scenes.js';

/** How an item that ended done came to be when this build paid for none of it. */
export type Unpaid = 'adopted' | 'restored';

/** Adoptions and store restores seen so far in one build. */
export class OthersPaid {
  /** Ids whose job was adopted: plan items, and scene clips (`<video>#<scene number>`). */
  private readonly adopted = new Set<string>();
  /** Plan items that ended done from the remote store. */
  private readonly fromStore = new Set<string>();

  /** Takes in one event of the build (any id: scene clips too). */
  see(e: BuildEvent): void {
    if (e.type === 'adopted') this.adopted.add(e.id);
    else if (e.type === 'status' && e.state === 'done' && e.detail === FROM_STORE) this.fromStore.add(e.id);
  }

  /**
   * Whether another machine paid for all of `item`: restored from the store, adopted whole, or (a video
   * rendered scene by scene) every scene it had to pay for adopted, and at least one adopted. Undefined: this build paid, at least in part.
   */
  unpaid(item: PlanItem): Unpaid | undefined {
    if (this.fromStore.has(item.id)) return 'restored';
    if (this.adopted.has(item.id)) return 'adopted';
    // Every scene the plan priced adopted, and at least one scene adopted: a scene the plan took from the
    // store (priced at nothing) whose blob then failed is adopted by its record's id (remote-item.ts).
    const adopted = (i: number): boolean => this.adopted.has(sceneLabel(item.videoId, i));
    const scenes = item.scenes ?? [];
    return scenes.some((s) => adopted(s.index)) && this.paidScenes(item).every((s) => adopted(s.index)) ? 'adopted' : undefined;
  }

  /** `credits` (the item's estimate) less what other machines paid for: all of it, or its adopted scenes. */
  share(item: PlanItem, credits: number): number {
    if (this.unpaid(item)) return 0;
    const others = this.paidScenes(item)
      .filter((s) => this.adopted.has(sceneLabel(item.videoId, s.index)))
      .reduce((sum, s) => sum + s.estimate.credits, 0);
    return Math.max(0, credits - others);
  }

  private paidScenes(item: PlanItem): NonNullable<PlanItem['scenes']> {
    return (item.scenes ?? []).filter((s) => s.estimate.credits > 0);
  }
}
