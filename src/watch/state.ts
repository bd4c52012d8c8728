/**
 * The live picture of a watch: each video and translation with its status and latest output, plus the
 * current errors. Runs feed it plans and build events; the preview page and `handle.state` read it.
 */
import type { Diagnostic } from '../errors.js';
import type { BuildEvent, ItemState } from '../execute/events.js';
import type { ShownFile } from './guard.js';
import type { CastEntry, ItemStatus, ItemView, PlanView, SceneView, VideoView, WatchState } from './types.js';

/** One planned video or translation, as the watch state records it. */
export interface PlannedItem {
  id: string;
  language?: string;
  key: string;
  /** Project-relative output this item is expected at. */
  output: string;
  needsWork: boolean;
  /** The output as found on disk, for items this watch has not produced yet. */
  existing?: { size: number; mtimeMs: number; sha256?: string };
  /** The plan's action, reasons and estimate, for the preview. */
  plan?: PlanView;
  /** A caption sidecar is made with the output. */
  captions?: boolean;
}

/** One planned video with its translations, as the watch state records it. */
export interface PlannedVideo {
  id: string;
  title?: string;
  source: string;
  /** A row's group (`welcome/*`): the preview lists rows under it. */
  group?: string;
  /** The video first, then its translations. */
  items: PlannedItem[];
  scenes?: SceneView[];
  cast?: CastEntry[];
}

const STATUS: Record<ItemState, ItemStatus | undefined> = {
  queued: 'queued',
  uploading: 'rendering',
  submitting: 'rendering',
  submitted: 'rendering',
  rendering: 'rendering',
  downloading: 'rendering',
  done: 'ready',
  failed: 'failed',
  // Interrupted before it started: it will be tried again by the next run.
  skipped: 'queued',
  // Watch never detaches; a detached item is still rendering at HeyGen.
  detached: 'rendering',
};

/** The live state of a watch as described above, with subscribers notified on every change. */
export class StateModel {
  private videos = new Map<string, VideoView>();
  private diagnostics: Diagnostic[] = [];
  status: WatchState['status'] = 'starting';
  runs = 0;
  private updatedAt = new Date().toISOString();

  constructor(
    readonly root: string,
    readonly provider: 'local' | 'heygen',
    private readonly changed: () => void,
  ) {}

  private touch(): void {
    this.updatedAt = new Date().toISOString();
    this.changed();
  }

  setStatus(status: WatchState['status']): void {
    if (this.status === status) return;
    this.status = status;
    this.touch();
  }

  setDiagnostics(diagnostics: Diagnostic[]): void {
    this.diagnostics = diagnostics;
    this.touch();
  }

  /** A new plan: videos that left the project go, invalid ones stay with their last output, marked invalid. */
  setPlan(planned: PlannedVideo[], invalid: Map<string, string>): void {
    const now = new Date().toISOString();
    const next = new Map<string, VideoView>();
    for (const p of planned) {
      const prev = this.videos.get(p.id);
      const prevItems = new Map<string, ItemView>();
      if (prev) {
        prevItems.set(prev.id, prev);
        for (const t of prev.translations) prevItems.set(t.id, t);
      }
      const items = p.items.map((item) => planItem(item, prevItems.get(item.id), now));
      const [video, ...translations] = items;
      if (!video) continue;
      next.set(p.id, {
        ...video,
        ...(p.title !== undefined ? { title: p.title } : {}),
        ...(p.group !== undefined ? { group: p.group } : {}),
        source: p.source,
        ...(p.scenes ? { scenes: p.scenes } : {}),
        ...(p.cast ? { cast: p.cast } : {}),
        translations,
      });
    }
    for (const [id, v] of this.videos) {
      const message = invalid.get(v.source);
      if (next.has(id) || message === undefined) continue;
      next.set(id, v.status === 'invalid' && v.error === message ? v : { ...v, status: 'invalid', error: message, updatedAt: now });
    }
    this.videos = next;
    this.touch();
  }

  apply(e: BuildEvent): void {
    if (e.type !== 'status' && e.type !== 'downloaded' && e.type !== 'failed') return;
    const item = this.find(e.id);
    if (!item) return;
    const now = new Date().toISOString();
    if (e.type === 'downloaded') {
      item.output = e.path;
      item.version = e.sha256;
      item.size = e.size;
      item.builtAt = now;
      item.updatedAt = now;
    } else if (e.type === 'failed') {
      item.status = 'failed';
      item.error = `[${e.code}] ${e.message}`;
      item.updatedAt = now;
    } else {
      const status = STATUS[e.state];
      if (!status || status === item.status) return;
      item.status = status;
      if (status !== 'failed') delete item.error;
      item.updatedAt = now;
    }
    this.touch();
  }

  /** The outputs shown as ready, with their content keys: what the page plays, so what must stay on disk. */
  readyOutputs(): ShownFile[] {
    const out: ShownFile[] = [];
    for (const v of this.videos.values()) {
      for (const item of [v, ...v.translations]) {
        if (item.status === 'ready' && item.output !== undefined) out.push({ output: item.output, ...(item.key !== undefined ? { key: item.key } : {}) });
      }
    }
    return out;
  }

  /** The item's content key, as the preview and tests see it. */
  item(id: string): ItemView | undefined {
    return this.find(id);
  }

  snapshot(): WatchState {
    const videos = [...this.videos.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return structuredClone({
      status: this.status,
      provider: this.provider,
      root: this.root,
      runs: this.runs,
      updatedAt: this.updatedAt,
      videos,
      diagnostics: this.diagnostics,
    });
  }

  private find(id: string): ItemView | undefined {
    const at = id.indexOf('@');
    const video = this.videos.get(at === -1 ? id : id.slice(0, at));
    if (!video) return undefined;
    // A dub has no video of its own: its card's item is its first language (`webinar@es`).
    if (at === -1 || video.id === id) return video;
    return video.translations.find((t) => t.id === id);
  }
}

/** The item's view from the plan, with what this run's plan says of it (its action, reasons, estimate). */
function planItem(item: PlannedItem, prev: ItemView | undefined, now: string): ItemView {
  const view = viewOf(item, prev, now);
  if (item.plan) view.plan = item.plan;
  else delete view.plan;
  if (item.captions) view.captions = true;
  else delete view.captions;
  return view;
}

function viewOf(item: PlannedItem, prev: ItemView | undefined, now: string): ItemView {
  const base: ItemView = { id: item.id, status: 'queued', updatedAt: now, key: item.key };
  if (item.language !== undefined) base.language = item.language;
  if (item.needsWork) {
    // Keep showing the last output while the new one renders.
    const keep = prev?.output !== undefined ? { output: prev.output, version: prev.version, size: prev.size, builtAt: prev.builtAt } : {};
    return prev?.status === 'queued' && prev.key === item.key ? { ...prev } : { ...base, ...keep };
  }
  if (prev && prev.key === item.key) {
    if (prev.status !== 'invalid') return { ...prev };
    // Fixed back to what was last built: the last output is current again.
    const { error: _error, ...rest } = prev;
    return { ...rest, status: prev.output !== undefined ? 'ready' : 'queued', updatedAt: now };
  }
  if (item.existing) {
    return {
      ...base,
      status: 'ready',
      output: item.output,
      version: item.existing.sha256 ?? `${item.existing.size}-${Math.round(item.existing.mtimeMs)}`,
      size: item.existing.size,
    };
  }
  return base;
}
