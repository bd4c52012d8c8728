/**
 * One running watch, wired together: file events go to the scheduler (debounced, one run at a time),
 * each run to the runner, and after each run the watchers follow the folders it found and the guard
 * the outputs it shows. `close()` stops them all, once.
 */
import type { ResolvedConfig } from '../model/config.js';
import { createGuard, guardedFiles, type Guard } from './guard.js';
import { isIgnoredPath } from './paths.js';
import { Runner } from './run.js';
import { createScheduler, type Batch, type Scheduler } from './scheduler.js';
import { StateModel } from './state.js';
import type { WatchEvent } from './types.js';
import { createWatchers, type FsEvent, type Watchers } from './watcher.js';

/** What a session watches and where it reports. */
export interface SessionSetup {
  cwd: string;
  /** As given (relative to `cwd`), if given. */
  configFile?: string;
  root: string;
  paths: string[];
  provider: 'local' | 'heygen';
  env?: NodeJS.ProcessEnv;
  debounceMs: number;
  emit: (e: WatchEvent) => void;
  /** The config as loaded before the first run, if it loaded. */
  initialConfig?: ResolvedConfig;
}

function warning(e: unknown): WatchEvent {
  return { type: 'warning', message: `watch: ${e instanceof Error ? e.message : String(e)}` };
}

/** A running watch's parts and state; `watch()` (index.ts) hands out its handle. */
export class WatchSession {
  readonly model: StateModel;
  readonly scheduler: Scheduler;
  private readonly listeners = new Set<() => void>();
  private readonly controller = new AbortController();
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly guard: Guard;
  private readonly runner: Runner;
  private readonly watchers: Watchers;

  constructor(private readonly s: SessionSetup) {
    this.model = new StateModel(s.root, s.provider, () => {
      for (const l of this.listeners) l();
    });
    this.scheduler = createScheduler(s.debounceMs, (batch) => this.run(batch), () => this.idle());
    // A draft (or output) the page shows, deleted while watching: the next run makes it again.
    this.guard = createGuard(
      (abs) => {
        if (!this.closed) this.scheduler.notify(abs);
      },
      () => this.scheduler.running(),
      (e) => s.emit(warning(e)),
    );
    this.runner = new Runner({
      cwd: s.cwd,
      ...(s.configFile !== undefined ? { configFile: s.configFile } : {}),
      paths: s.paths,
      provider: s.provider,
      ...(s.env ? { env: s.env } : {}),
      model: this.model,
      emit: s.emit,
      superseded: () => this.scheduler.hasPending(),
    });
    if (s.initialConfig) this.runner.config = s.initialConfig;
    this.watchers = createWatchers(() => this.runner.projectPaths(), (e) => this.onFs(e), (e) => s.emit(warning(e)));
  }

  /** Watches the folders the config names, says `start`, and starts the first run. */
  async start(start: Extract<WatchEvent, { type: 'watch-start' }>): Promise<void> {
    const t = this.runner.targets();
    await this.watchers.sync(t.tree, t.files);
    this.s.emit(start);
    this.scheduler.kick();
  }

  private async run(batch: Batch): Promise<void> {
    try {
      await this.runner.run(batch, this.controller.signal);
    } catch (e) {
      // A bug in a run must not end the watch: report it and wait for the next change.
      this.s.emit({ type: 'error', run: this.model.runs, code: 'E_INTERNAL', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
    if (this.closed) return;
    const t = this.runner.targets();
    await this.watchers.sync(t.tree, t.files).catch((e: unknown) => this.s.emit({ type: 'warning', message: `watch: ${String(e)}` }));
    this.guard.arm(this.runner.root, guardedFiles(this.model.readyOutputs(), this.s.provider === 'local'));
  }

  private idle(): void {
    if (this.closed) return;
    this.model.setStatus('idle');
    this.s.emit({ type: 'idle' });
    this.guard.check();
  }

  private onFs(e: FsEvent): void {
    if (this.closed) return;
    // chokidar already skips ignored paths; this also covers events racing a config change of outDir.
    if (isIgnoredPath(this.runner.projectPaths(), e.path)) return;
    if (!this.runner.isRelevant(e.path, e.kind, e.from)) return;
    this.scheduler.notify(e.path);
  }

  /** Calls `listener` at each change of the state; returns how to stop. */
  subscribe(listener: () => void): () => boolean {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.controller.abort(new Error('watch closed'));
      await this.scheduler.stop();
      await this.watchers.close();
      this.guard.close();
      this.model.setStatus('closed');
      this.listeners.clear();
    })();
    return this.closing;
  }
}
