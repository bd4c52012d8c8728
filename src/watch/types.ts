/** The watch API as data: options, the events a watch emits, the live state it keeps, its handle. */
import type { Diagnostic } from '../errors.js';
import type { BuildEvent } from '../execute/events.js';

/** Options of `watch()`: the project folder, config file, provider and preview. */
export interface WatchOptions {
  cwd?: string;
  /** `--config PATH`; otherwise heygen.config.* in cwd. */
  configFile?: string;
  /** Manifest files, folders or globs; they replace the config's globs. */
  paths?: string[];
  /** Drafts by default, whatever the config says; HeyGen only when asked for by name. */
  provider?: 'local' | 'heygen';
  /** Quiet time after the last file event before a run starts. Default 100 ms. */
  debounceMs?: number;
  /** Aborting it closes the watch (like `close()`), stopping a render in progress. */
  signal?: AbortSignal;
  emit?: (e: WatchEvent) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * A run is one pass over a batch of file events: reload the config if it changed, re-plan, render what
 * changed. `run` numbers runs from 1 (the initial build) so events of one run can be grouped.
 */
export type WatchLifecycleEvent =
  | { type: 'watch-start'; root: string; provider: 'local' | 'heygen'; configFile?: string; manifests: string[] }
  | {
      type: 'change';
      run: number;
      initial: boolean;
      /** Project-relative files whose events started this run (manifests, assets, config). */
      files: string[];
      /** Ids that will be rendered (drafts not in the draft cache, or videos sent to HeyGen). */
      render: string[];
      /** Ids whose draft only needs placing again from the cache (output deleted, content reverted). */
      restore: string[];
      upToDate: boolean;
    }
  | { type: 'invalid'; run: number; files: string[]; diagnostics: Diagnostic[] }
  | { type: 'removed'; run: number; file: string; ids: string[] }
  | { type: 'config-reloaded'; run: number; file: string }
  | { type: 'error'; run: number; code: string; message: string; hint?: string }
  /** Rendering starts; `sinceEventMs` is the time from the run's first file event (null for the initial run). */
  | { type: 'run-start'; run: number; ids: string[]; sinceEventMs: number | null }
  | {
      type: 'run-end';
      run: number;
      ok: boolean;
      rendered: string[];
      cached: string[];
      failed: string[];
      /** The plan was dropped because files changed again while it was made: the next run has them. */
      superseded: boolean;
      ms: number;
    }
  | { type: 'idle' };

/** Everything a watch reports: build events plus its own lifecycle events. */
export type WatchEvent = BuildEvent | WatchLifecycleEvent;

/** What the preview shows for one video or translation. */
export type ItemStatus = 'queued' | 'rendering' | 'ready' | 'failed' | 'invalid';

/** One video or translation as the preview shows it: status, output and error. */
export interface ItemView {
  /** `welcome`, or `welcome@es` for a translation. */
  id: string;
  language?: string;
  status: ItemStatus;
  /** ISO time of the last status change. */
  updatedAt: string;
  /** Content key of what is (being) rendered. */
  key?: string;
  /** Project-relative path of the latest output (draft, or the HeyGen video with --provider heygen). */
  output?: string;
  /** Changes whenever the output's bytes do: its sha256 when known. */
  version?: string;
  size?: number;
  /**
   * ISO time this watch last wrote the output (rendered, or placed from the draft cache). A rebuild that came
   * out byte for byte the same changes it too: the page marks the card as rebuilt either way.
   */
  builtAt?: string;
  error?: string;
  /** What the plan says of it: the action, why, and the estimate (a draft is free; the estimate is HeyGen's). */
  plan?: PlanView;
  /** A caption sidecar (`.srt`) is made next to the output: the page attaches it as a `<track>`. */
  captions?: boolean;
}

/** The plan's line for one item, as the preview shows it. */
export interface PlanView {
  action: string;
  reasons: string[];
  seconds: number;
  credits: number;
}

/** One scene as the preview lists it: its script (or audio, or silence) and who speaks it. */
export interface SceneView {
  kind: 'script' | 'audio' | 'silence';
  /** The script, the audio file, or the silence in seconds, as text. */
  text: string;
  /** Labels (alias names, or ids) of the scene's avatar and voice, own or inherited. */
  avatar?: string;
  voice?: string;
}

/** An avatar and the voice it speaks with, by name (from the cached catalog), with the voice's sample URL. */
export interface CastEntry {
  avatar?: { id: string; name: string };
  voice?: { id: string; name: string; sample?: string };
}

/** One video as the preview shows it, with where its manifest is and its translations. */
export interface VideoView extends ItemView {
  title?: string;
  /** Who appears and speaks, scene by scene, each pair once. */
  cast?: CastEntry[];
  /** Project-relative manifest file. */
  source: string;
  /** The scenes in order, with their scripts. */
  scenes?: SceneView[];
  /** For a row of a `rows:` manifest: its group (`welcome/*`), under which the page lists it. */
  group?: string;
  translations: ItemView[];
}

/** A snapshot of a watch: its status, provider, project, items and current diagnostics. */
export interface WatchState {
  status: 'starting' | 'idle' | 'running' | 'closed';
  provider: 'local' | 'heygen';
  root: string;
  /** Runs so far (each batch of file events is one run). */
  runs: number;
  updatedAt: string;
  videos: VideoView[];
  /** Current errors (manifests and config); empty when everything is valid. */
  diagnostics: Diagnostic[];
}

/** A running watch: read or subscribe to its state, and close it. */
export interface WatchHandle {
  /** Stop watching; aborts a render in progress and resolves when everything is closed. */
  close(): Promise<void>;
  /** A snapshot of the current state (a fresh copy on each read). */
  readonly state: WatchState;
  /** Resolves when no run is in progress or waiting (after the debounce). */
  whenIdle(): Promise<void>;
  /** Called after every change of `state`; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}
