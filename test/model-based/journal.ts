/**
 * What the executor journaled: every Idempotency-Key a lockfile entry held once the save that
 * contained it finished. The executor awaits that save before it POSTs, so a key that reaches the
 * server without being here was sent before it was on disk. A render's key lives in its scene clip
 * (`clips.<clip key>`, v3 builds scene by scene) or, for a whole-video render (v2, or a render
 * resumed from before scenes), in its video entry.
 */
import { vi } from 'vitest';
import { LockStore } from '../../src/lockfile/store.js';
import type { Lockfile } from '../../src/model/lock.js';

let current: Journal | undefined;

export class Journal {
  /** Render (clip or whole video) Idempotency-Key -> the `contentKey#attempt` pairs it was journaled for. */
  readonly videoPairs = new Map<string, Set<string>>();
  /** `contentKey#attempt` (a clip's or a whole video's) -> the render Idempotency-Keys journaled for it. */
  readonly videoKeys = new Map<string, Set<string>>();
  /** Translation Idempotency-Keys (one per group of languages sent together). */
  readonly translationKeys = new Set<string>();
  /** Lockfile writes made while no build was running, or by a build that had already returned. */
  readonly strayWrites: string[] = [];
  private building = false;
  /** Saves finished in the current build, and who wants to hear of each. */
  private saves = 0;
  onSave: ((n: number) => void) | undefined;
  private readonly live = new Set<LockStore>();
  private readonly returned = new WeakSet<LockStore>();

  static start(): Journal {
    current = new Journal();
    return current;
  }

  stop(): void {
    if (current === this) current = undefined;
  }

  buildStarted(): void {
    this.building = true;
    this.saves = 0;
  }

  /** Every store that wrote during the build belongs to it: it must never write again. */
  buildReturned(): void {
    this.building = false;
    this.onSave = undefined;
    for (const s of this.live) this.returned.add(s);
    this.live.clear();
  }

  checkWriter(store: LockStore): void {
    if (!this.building || this.returned.has(store)) {
      this.strayWrites.push(this.building ? 'by an earlier build, during the next one' : 'between builds');
    }
    this.live.add(store);
  }

  record(lock: Readonly<Lockfile>): () => void {
    const video: [string, string][] = [];
    const translation: string[] = [];
    for (const v of Object.values(lock.videos)) {
      if (v.idempotencyKey) video.push([v.idempotencyKey, `${v.key}#${v.attempt}`]);
      for (const t of Object.values(v.translations)) if (t.idempotencyKey) translation.push(t.idempotencyKey);
    }
    // Clip keys and video content keys are both sha256 of different documents: they never collide.
    for (const [key, c] of Object.entries(lock.clips ?? {})) if (c.idempotencyKey) video.push([c.idempotencyKey, `${key}#${c.attempt}`]);
    return () => {
      for (const [idem, pair] of video) {
        this.videoPairs.set(idem, (this.videoPairs.get(idem) ?? new Set()).add(pair));
        this.videoKeys.set(pair, (this.videoKeys.get(pair) ?? new Set()).add(idem));
      }
      for (const k of translation) this.translationKeys.add(k);
      this.onSave?.(++this.saves);
    };
  }
}

/** Wraps `LockStore.prototype.update` once per test file. */
export function spyOnJournal(): void {
  // Taken off the prototype on purpose: the mock below calls it with the store as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = LockStore.prototype.update;
  vi.spyOn(LockStore.prototype, 'update').mockImplementation(function (this: LockStore, mutator) {
    const saved = original.call(this, mutator);
    const journal = current;
    if (journal) {
      journal.checkWriter(this);
      // State as this update left it, credited once its save is done. Registered before the
      // caller's `await`, so it runs before the caller's next step (the POST).
      const credit = journal.record(this.lock);
      saved.then(credit, () => undefined);
    }
    return saved;
  });
}
