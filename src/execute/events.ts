/**
 * What a build tells the world, as data. Reporters turn these into TTY lines or NDJSON
 * (`build --json`, documented in the README); the executor never prints.
 */
import type { Plan } from '../model/plan.js';

export type ItemState =
  | 'queued'
  | 'uploading'
  | 'submitting'
  | 'submitted'
  | 'rendering'
  | 'downloading'
  | 'done'
  | 'failed'
  | 'skipped';

export type BuildEvent =
  | { type: 'plan'; provider: 'heygen' | 'local'; plan: Plan }
  | { type: 'submitted'; id: string; remoteId: string; replayed?: boolean }
  | { type: 'status'; id: string; state: ItemState; detail?: string }
  | { type: 'downloaded'; id: string; path: string; size: number; sha256: string; cached?: boolean }
  | { type: 'failed'; id: string; code: string; message: string }
  | { type: 'warning'; message: string }
  | {
      type: 'done';
      ok: boolean;
      interrupted: boolean;
      counts: { done: number; failed: number; skipped: number; unchanged: number };
      seconds: number;
    };

export type EventSink = (e: BuildEvent) => void;
