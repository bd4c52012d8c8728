/** The jobs a human build report shows as in flight: each with its state, since when, and a detail. */
import type { ItemState } from '../execute/events.js';
import type { BuildProgress } from './progress.js';
import type { Style } from './style.js';
import { formatElapsed } from './units.js';

/** A job in flight: its state, since when (ms), and what it says about itself (a remote id, a step). */
export interface Active {
  state: ItemState;
  since: number;
  detail?: string;
}

/** The jobs in flight, in the order they started, with an index of their sub-jobs. */
export class ActiveJobs {
  private readonly active = new Map<string, Active>();
  /**
   * The sub-jobs (`intro#2`) under each id they start with (`intro`), so that settling a video does not scan
   * every active job: with thousands queued, one scan per status event was quadratic.
   */
  private readonly subJobs = new Map<string, Set<string>>();

  get size(): number {
    return this.active.size;
  }

  /** Sets a job's state and returns what it was; its clock (`now`, asked only then) restarts when its state changes. */
  update(id: string, state: ItemState, detail: string | undefined, now: () => number): Active | undefined {
    const prev = this.active.get(id);
    if (!prev) this.noteSubJob(id);
    this.active.set(id, { state, since: prev?.state === state ? prev.since : now(), detail });
    return prev;
  }

  delete(id: string): void {
    this.active.delete(id);
  }

  private noteSubJob(key: string): void {
    for (let i = key.indexOf('#'); i > 0; i = key.indexOf('#', i + 1)) {
      const parent = key.slice(0, i);
      const set = this.subJobs.get(parent) ?? new Set<string>();
      set.add(key);
      this.subJobs.set(parent, set);
    }
  }

  /**
   * Sub-jobs announce no end of their own: a scene clip (`intro#2`) is done once its video moves on (to
   * composing, or to done), and a finished video's upload for its translations once a translation moves on.
   */
  settle(id: string, progress: BuildProgress | undefined): void {
    if (!progress?.has(id)) return;
    for (const k of this.subJobs.get(id) ?? []) this.active.delete(k);
    this.subJobs.delete(id);
    const at = id.indexOf('@');
    if (at > 0 && progress.outcome(id.slice(0, at)) !== 'pending') this.active.delete(id.slice(0, at));
  }

  /** One line per job (state, id, time in that state at `t`, detail), at most `room` of them. */
  lines(room: number, t: number, style: Style): string[] {
    // Only the lines that fit are formatted: a redraw per event over 10k queued videos would be quadratic.
    const lines: string[] = [];
    for (const [id, a] of this.active) {
      if (lines.length === room) break;
      lines.push(`  ${style.cyan(a.state.padEnd(11))} ${id} ${style.dim(`${formatElapsed(t - a.since)}${a.detail ? ` ${a.detail}` : ''}`)}`);
    }
    return this.active.size <= room ? lines : [...lines.slice(0, room - 1), style.dim(`  … and ${this.active.size - room + 1} more`)];
  }

  /** The jobs past `queued`, in the order they started. */
  busy(): [string, Active][] {
    return [...this.active.entries()].filter(([, a]) => a.state !== 'queued');
  }
}
