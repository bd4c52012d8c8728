/**
 * What of a build's work another machine paid for, read from its events: a job adopted from another
 * machine's claim (`adopted`: that machine submitted it; this build only polled and downloaded it), or an
 * output (or a video's scene clip) taken from the remote store where the plan expected to render it (a
 * record that appeared after the plan). Neither is a render of this build: the counts and the credits
 * spent leave them out.
 * The build's `done` counts (src/execute/heygen/run.ts) and the progress line and table (progress.ts)
 * both read it, so they agree.
 */
import type { BuildEvent, ItemState } from '../execute/events.js';
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
  /**
   * Scene clips being taken from the store, and then taken: a clip ends no `done` of its own, so one
   * whose restore failed shows by what follows (`submitting`: paid after all; `adopted`: HeyGen's job).
   */
  private readonly clipsFromStore = new Set<string>();

  /** Takes in one event of the build (any id: scene clips too). */
  see(e: BuildEvent): void {
    if (e.type === 'adopted') this.adopted.add(e.id);
    else if (e.type === 'submitted') this.clipsFromStore.delete(e.id);
    else if (e.type === 'status') this.seeStatus(e.id, e.state, e.detail);
  }

  private seeStatus(id: string, state: ItemState, detail: string | undefined): void {
    if (state === 'done' && detail === FROM_STORE) this.fromStore.add(id);
    else if (state === 'downloading' && detail === FROM_STORE) this.clipsFromStore.add(id);
    else if (state === 'submitting' || state === 'submitted') this.clipsFromStore.delete(id);
  }

  /** Whether scene `index` of `item` came from another machine: adopted, or restored from the store. */
  private sceneUnpaid(item: PlanItem, index: number): Unpaid | undefined {
    const label = sceneLabel(item.videoId, index);
    return this.adopted.has(label) ? 'adopted' : this.clipsFromStore.has(label) ? 'restored' : undefined;
  }

  /**
   * Whether another machine paid for all of `item`: restored from the store, adopted whole, or (a video
   * rendered scene by scene) every scene it had to pay for adopted or restored from the store, and at least
   * one such scene (adopted when any was). Undefined: this build paid, at least in part.
   */
  unpaid(item: PlanItem): Unpaid | undefined {
    if (this.fromStore.has(item.id)) return 'restored';
    if (this.adopted.has(item.id)) return 'adopted';
    // A scene the plan took from the store (priced at nothing) whose blob then failed is adopted by its
    // record's id (remote-item.ts): it counts although the plan did not price it.
    const scenes = (item.scenes ?? []).map((s) => this.sceneUnpaid(item, s.index));
    if (!scenes.some((u) => u) || !this.paidScenes(item).every((s) => this.sceneUnpaid(item, s.index))) return undefined;
    return scenes.includes('adopted') ? 'adopted' : 'restored';
  }

  /** `credits` (the item's estimate) less what other machines paid for: all of it, or its adopted and restored scenes. */
  share(item: PlanItem, credits: number): number {
    if (this.unpaid(item)) return 0;
    const others = this.paidScenes(item)
      .filter((s) => this.sceneUnpaid(item, s.index))
      .reduce((sum, s) => sum + s.estimate.credits, 0);
    return Math.max(0, credits - others);
  }

  private paidScenes(item: PlanItem): NonNullable<PlanItem['scenes']> {
    return (item.scenes ?? []).filter((s) => s.estimate.credits > 0);
  }
}
