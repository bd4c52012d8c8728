/**
 * What a build tells the world, as data. Reporters turn these into TTY lines or NDJSON
 * (`build --json`, documented in the README); the executor never prints.
 */
import type { Plan } from '../model/plan.js';

/** Where one plan item is in a build, as shown by the progress reporters. */
export type ItemState =
  | 'queued'
  | 'uploading'
  | 'submitting'
  | 'submitted'
  | 'rendering'
  | 'downloading'
  | 'done'
  | 'failed'
  | 'skipped'
  /** Left rendering at HeyGen by `build --detach`: a later build (or the webhook receiver) collects it. */
  | 'detached';

/**
 * What a build did, item by item (videos and translations). `rendered`: a new render (paid with HeyGen);
 * `restored`: an output put back from a finished render or the draft cache, with no render; `reused`: a
 * draft that another item had already rendered; `adopted`: rendered by another machine whose claim this
 * build adopted (that machine paid); `done` is the four together.
 */
export interface BuildCounts {
  done: number;
  rendered: number;
  restored: number;
  reused: number;
  adopted: number;
  failed: number;
  skipped: number;
  unchanged: number;
  /** Left rendering at HeyGen (`build --detach`): a later build collects them. */
  detached: number;
}

/** Build counts all at zero, the start of every build's tally. */
export function emptyCounts(): BuildCounts {
  return { done: 0, rendered: 0, restored: 0, reused: 0, adopted: 0, failed: 0, skipped: 0, unchanged: 0, detached: 0 };
}

/** Everything a build reports while it runs; reporters (human, JSON lines) render these and never drive the build. */
export type BuildEvent =
  | { type: 'plan'; provider: 'heygen' | 'local'; plan: Plan; shard?: { index: number; count: number; lockOut?: string } }
  | { type: 'submitted'; id: string; remoteId: string; replayed?: boolean }
  /** `held`: a translation's language left to the machine that claimed it (remote store claims; README "Teams and CI"). */
  | { type: 'status'; id: string; state: ItemState; detail?: string; held?: { key: string; job: string; since: string; heartbeat?: string; why: 'live' | 'stale' | 'window' | 'group' } }
  | { type: 'downloaded'; id: string; path: string; size: number; sha256: string; cached?: boolean }
  /** `file`, `line`, `column`: where the manifest declares what failed, when the failure is placed there (its message then starts with it). */
  | { type: 'failed'; id: string; code: string; message: string; file?: string; line?: number; column?: number }
  /**
   * Another machine's claim of this item's key (or of a scene clip's, `<video>#<n>`) held HeyGen's id of
   * its job: this build polls and downloads that job instead of submitting, and pays nothing for it.
   */
  | { type: 'adopted'; id: string; remoteId: string; job: string; since: string }
  | { type: 'warning'; message: string }
  /** A blob found damaged in the remote store (`cas/sha256/<digest>`) replaced by this build's good copy of it (`path`). */
  | { type: 'repaired'; blob: string; path: string }
  /** One remote job left rendering by `build --detach`: what it is, its HeyGen id, and when it should be done. */
  | {
      type: 'detached';
      id: string;
      kind: 'video' | 'clip' | 'translation';
      remoteId: string;
      /** `unknown`: HeyGen could not be asked (its status poll failed with a 5xx, 429 or network error). */
      remoteStatus: 'queued' | 'running' | 'not_found' | 'unknown';
      /** ISO 8601: a rough expected end (HeyGen's guidance: 5-15 minutes a render). */
      expectedBy: string;
    }
  /** An export written after the build (`exports` in the config): the folder, its videos, and the files written or kept. */
  | { type: 'exported'; format: 'remotion' | 'otio'; dir: string; videos: number; skipped: number; written: number; kept: number; removed: number }
  /** A reviewed translation's SRT is written (`file`): the language waits for `review: approved`. */
  | { type: 'awaiting-review'; id: string; language: string; file: string; proofreadId: string }
  | {
      type: 'done';
      ok: boolean;
      interrupted: boolean;
      counts: BuildCounts;
      seconds: number;
      /** The lockfile still had merge-conflict markers: the file holding this build's records instead (the next build joins it in). */
      unmerged?: string;
    };

/** Where build events go; it must not throw, since a reporter must never break a build. */
export type EventSink = (e: BuildEvent) => void;
