/**
 * A build's progress as counts, credits and a time estimate, read from its events alone. Reporters
 * print it: the TTY line `[12/40] rendering 6 · downloading 2 · 12 done · 3.1 cr spent of ~9.8 · ETA 6m`
 * and the final table.
 */
import type { BuildEvent, ItemState } from '../execute/events.js';
import { PAID_ACTIONS, type PlanItem } from '../model/plan.js';
import { OthersPaid } from './paid.js';
import { SentBySelf } from './sent.js';
import { formatEta } from './units.js';

/**
 * What happened to one plan item by the end of a build; `pending` when it never finished (interrupted);
 * `adopted` when another machine rendered it (its claim adopted: that machine paid); `in-flight` when
 * the build stopped after sending its render (paid for, rendering on at HeyGen: the next build resumes it).
 */
export type Outcome = 'rendered' | 'restored' | 'reused' | 'adopted' | 'failed' | 'skipped' | 'in-flight' | 'pending' | 'review';

/** The states shown in the progress line, in a build's order. */
const SHOWN: readonly ItemState[] = ['queued', 'uploading', 'submitting', 'submitted', 'rendering', 'downloading'];

/** The progress of one build, fed every event; `now` is the clock (injectable for tests). */
export class BuildProgress {
  readonly items: readonly PlanItem[];
  private readonly byId: Map<string, PlanItem>;
  private readonly state = new Map<string, ItemState>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly fromCache = new Set<string>();
  private readonly others = new OthersPaid();
  private readonly self = new SentBySelf();
  private readonly started: number;
  /**
   * Counts kept as events arrive, so that the progress line (redrawn per event on a TTY) costs the same at
   * 10k items as at 10: states and outcomes by kind, each item's credits (planned, and spent once it
   * rendered), and the weights the ETA divides.
   */
  private readonly states = new Map<ItemState, number>();
  private readonly ends = new Map<Outcome, number>();
  private readonly byVideo = new Map<string, PlanItem[]>();
  private readonly owed = new Map<string, { planned: number; spent: number }>();
  private planned = 0;
  private spent = 0;
  private doneWeight = 0;
  private totalWeight = 0;

  constructor(
    items: readonly PlanItem[],
    readonly drafts: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.items = items.filter((i) => i.action !== 'unchanged' && i.action !== 'orphan');
    this.byId = new Map(this.items.map((i) => [i.id, i]));
    this.started = now();
    for (const i of this.items) {
      this.byVideo.set(i.videoId, [...(this.byVideo.get(i.videoId) ?? []), i]);
      this.totalWeight += weight(i);
      this.owed.set(i.id, { planned: 0, spent: 0 });
      this.reprice(i);
    }
  }

  /** Re-reads what `item` costs this build (the plan's estimate less what others paid for) into the totals. */
  private reprice(item: PlanItem): void {
    const was = this.owed.get(item.id)!;
    const planned = this.credits(item);
    const o = this.outcome(item.id);
    // Rendered: its price. Otherwise what its requests sent committed (a render left in flight, or one
    // that finished at HeyGen and failed here, was paid for all the same).
    const spent = o === 'rendered' || o === 'review' ? planned : this.self.committed(item, planned);
    this.planned += planned - was.planned;
    this.spent += spent - was.spent;
    this.owed.set(item.id, { planned, spent });
  }

  /** The items an event may change the price of: its own, or (a scene clip, `intro#2`) its video's. */
  private touched(id: string): readonly PlanItem[] {
    const own = this.byId.get(id);
    if (own) return [own];
    const hash = id.lastIndexOf('#');
    return hash > 0 ? (this.byVideo.get(id.slice(0, hash)) ?? []) : [];
  }

  /** Takes in one event; events about other ids (scene clips, uploads) are ignored here. */
  update(e: BuildEvent): void {
    if (!('id' in e)) return;
    this.apply(e);
    for (const item of this.touched(e.id)) this.reprice(item);
  }

  private apply(e: Extract<BuildEvent, { id: string }>): void {
    // Scene clips' adoptions too: a video whose every paid scene was adopted cost this build nothing.
    this.others.see(e);
    this.self.see(e);
    if (!this.byId.has(e.id)) return;
    if (e.type === 'failed') this.finish(e.id, 'failed');
    // A reviewed translation's proofread is done: its SRT waits for review (paid: the proofread).
    else if (e.type === 'awaiting-review') this.finish(e.id, 'review');
    else if (e.type === 'downloaded' && e.cached) this.fromCache.add(e.id);
    else if (e.type === 'status') {
      if (e.state === 'done') this.finish(e.id, this.doneOutcome(e.id));
      // An item whose render was submitted is not skipped when the build stops: it renders on at HeyGen.
      else if (e.state === 'skipped') this.finish(e.id, this.self.submittedFor(this.byId.get(e.id)!) ? 'in-flight' : 'skipped');
      else if (e.state === 'failed') this.finish(e.id, e.state);
      // A finished video may still upload itself for its translations: that is their work, not its.
      else if (!this.outcomes.has(e.id)) this.setState(e.id, e.state);
    }
  }

  private setState(id: string, s: ItemState | undefined): void {
    const was = this.state.get(id);
    if (was === s) return;
    if (was !== undefined) this.states.set(was, this.states.get(was)! - 1);
    if (s === undefined) this.state.delete(id);
    else {
      this.state.set(id, s);
      this.states.set(s, (this.states.get(s) ?? 0) + 1);
    }
  }

  /**
   * A finished item is restored when the plan only downloads it (or the remote store had it), adopted
   * when another machine rendered it, reused when its draft came from the cache.
   */
  private doneOutcome(id: string): Outcome {
    const item = this.byId.get(id)!;
    if (item.action === 'download') return 'restored';
    return this.others.unpaid(item) ?? (this.fromCache.has(id) ? 'reused' : 'rendered');
  }

  private finish(id: string, o: Outcome): void {
    this.setState(id, undefined);
    const was = this.outcomes.get(id);
    if (was !== undefined) this.ends.set(was, this.ends.get(was)! - 1);
    else this.doneWeight += weight(this.byId.get(id)!);
    this.outcomes.set(id, o);
    this.ends.set(o, (this.ends.get(o) ?? 0) + 1);
  }

  /** Whether `id` is one of the plan's items (not a scene clip or another sub-job). */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** What became of an item so far. */
  outcome(id: string): Outcome {
    return this.outcomes.get(id) ?? 'pending';
  }

  /** Items that reached an end: done, failed or skipped. */
  get finished(): number {
    return this.outcomes.size;
  }

  /**
   * Estimated credits this build pays for a new render of this item: the plan's estimate, less what
   * another machine paid for (an adopted job, a scene's adopted clip, an output the store had); 0 for drafts.
   */
  credits(item: PlanItem): number {
    return !this.drafts && PAID_ACTIONS.has(item.action) ? this.others.share(item, item.estimate.credits) : 0;
  }

  /** Credits this build paid for `item` so far (its render, or what its sent requests committed). */
  spentOn(item: PlanItem): number {
    return this.owed.get(item.id)?.spent ?? 0;
  }

  /** Credits of the renders finished so far (and of those sent and not finished), and of every render the plan has. */
  spend(): { spent: number; planned: number } {
    return { spent: this.spent, planned: this.planned };
  }

  /**
   * Seconds left, from the pace so far. Items weigh their estimated video length (a render takes about
   * as long as the video is), and a download weighs one second; undefined until something finished.
   */
  eta(): number | undefined {
    const done = this.doneWeight;
    const left = this.totalWeight - done;
    if (done === 0 || left <= 0) return undefined;
    return (((this.now() - this.started) / 1000) * left) / done;
  }

  /** The one-line summary: `[12/40] rendering 6 · downloading 2 · 12 done · 3.1 cr spent of ~9.8 · ETA 6m`. */
  line(): string {
    const parts: string[] = [];
    for (const s of SHOWN) {
      const n = this.states.get(s) ?? 0;
      if (n > 0) parts.push(`${s} ${n}`);
    }
    const count = (o: Outcome): number => this.ends.get(o) ?? 0;
    const ended = count('rendered') + count('restored') + count('reused') + count('adopted');
    parts.push(`${ended} done`);
    if (count('failed') > 0) parts.push(`${count('failed')} failed`);
    if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
    if (!this.drafts) {
      const { spent, planned } = this.spend();
      parts.push(`${spent.toFixed(1)} cr spent of ~${planned.toFixed(1)}`);
    }
    const eta = this.eta();
    if (eta !== undefined) parts.push(`ETA ${formatEta(eta)}`);
    return `[${this.finished}/${this.items.length}] ${parts.join(' · ')}`;
  }
}

/** What an item weighs in the ETA: its estimated video length (a render takes about as long), a download one second. */
function weight(i: PlanItem): number {
  return i.action === 'download' ? 1 : Math.max(1, i.estimate.seconds);
}
