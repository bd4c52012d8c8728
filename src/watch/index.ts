/**
 * `watch`: rebuild drafts (or, when asked by name, HeyGen videos) as manifests, their assets and the
 * config change. File events are filtered (never our own writes), debounced, and run one at a time;
 * a change during a run becomes exactly one more run after it.
 *
 * A render in progress when its manifest changes again is left to finish (drafts take a fraction of a
 * second); the next run renders the new content, and the draft cache makes a reverted edit free.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfigFile, loadConfig } from '../config/index.js';
import { HeygenBuildError, isHeygenBuildError } from '../errors.js';
import { chooseProvider } from '../execute/choose.js';
import { createGuard, guardedFiles } from './guard.js';
import { isIgnoredPath, projectRelative } from './paths.js';
import { Runner } from './run.js';
import { createScheduler } from './scheduler.js';
import { StateModel } from './state.js';
import type { WatchEvent, WatchHandle, WatchOptions, WatchState } from './types.js';
import { createWatchers, type FsEvent } from './watcher.js';

export type * from './types.js';
export { servePreview, type PreviewServer, type PreviewOptions } from './preview/server.js';

/** How long a watch waits after the last file event before starting a run, so one save triggers one run. */
export const DEFAULT_DEBOUNCE_MS = 100;

/** Watches a project and rebuilds what changed on every save (drafts by default) until the handle is closed. */
export async function watch(opts: WatchOptions = {}): Promise<WatchHandle> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const provider = opts.provider ?? 'local';
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const emit = (e: WatchEvent): void => opts.emit?.(e);
  if (opts.configFile && !existsSync(resolve(cwd, opts.configFile))) {
    throw new HeygenBuildError('E_CONFIG_MISSING', `config file not found: ${opts.configFile}`, {
      hint: 'check the --config path, or leave it out to use heygen.config.ts in the current folder',
    });
  }

  // A config that does not load yet is reported by the first run and waited on; a missing API key for
  // --provider heygen is not something a file edit fixes, so it ends the watch before it starts.
  let initialConfig;
  try {
    initialConfig = await loadConfig({ cwd, configFile: opts.configFile, overrides: { provider }, env: opts.env });
    if (provider === 'heygen') chooseProvider(initialConfig, opts.env ?? process.env);
  } catch (e) {
    if (isHeygenBuildError(e) && (e.code === 'E_NO_API_KEY' || e.code === 'E_CONFIG_MISSING')) throw e;
    initialConfig = undefined;
  }
  const configFile = opts.configFile ? resolve(cwd, opts.configFile) : findConfigFile(cwd);
  const root = initialConfig?.root ?? (configFile ? dirname(configFile) : cwd);

  const listeners = new Set<() => void>();
  const model = new StateModel(root, provider, () => {
    for (const l of listeners) l();
  });
  const controller = new AbortController();
  let closed = false;

  const scheduler = createScheduler(
    debounceMs,
    async (batch) => {
      try {
        await runner.run(batch, controller.signal);
      } catch (e) {
        // A bug in a run must not end the watch: report it and wait for the next change.
        emit({ type: 'error', run: model.runs, code: 'E_INTERNAL', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
      if (closed) return;
      const t = runner.targets();
      await watchers.sync(t.tree, t.files).catch((e: unknown) => emit({ type: 'warning', message: `watch: ${String(e)}` }));
      guard.arm(runner.root, guardedFiles(model.readyOutputs(), provider === 'local'));
    },
    () => {
      if (closed) return;
      model.setStatus('idle');
      emit({ type: 'idle' });
      guard.check();
    },
  );
  // A draft (or output) the page shows, deleted while watching: the next run makes it again.
  const guard = createGuard(
    (abs) => {
      if (!closed) scheduler.notify(abs);
    },
    () => scheduler.running(),
    (e) => emit({ type: 'warning', message: `watch: ${e instanceof Error ? e.message : String(e)}` }),
  );
  const runner = new Runner({
    cwd,
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    paths: opts.paths ?? [],
    provider,
    ...(opts.env ? { env: opts.env } : {}),
    model,
    emit,
    superseded: () => scheduler.hasPending(),
  });
  if (initialConfig) runner.config = initialConfig;

  const onFs = (e: FsEvent): void => {
    if (closed) return;
    // chokidar already skips ignored paths; this also covers events racing a config change of outDir.
    if (isIgnoredPath(runner.projectPaths(), e.path)) return;
    if (!runner.isRelevant(e.path, e.kind, e.from)) return;
    scheduler.notify(e.path);
  };
  const watchers = createWatchers(
    () => runner.projectPaths(),
    onFs,
    (e) => emit({ type: 'warning', message: `watch: ${e instanceof Error ? e.message : String(e)}` }),
  );
  const t = runner.targets();
  await watchers.sync(t.tree, t.files);

  emit({
    type: 'watch-start',
    root,
    provider,
    ...(configFile ? { configFile: projectRelative(root, configFile) } : {}),
    manifests: opts.paths && opts.paths.length > 0 ? opts.paths : (initialConfig?.manifests ?? []),
  });
  scheduler.kick();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      closed = true;
      controller.abort(new Error('watch closed'));
      await scheduler.stop();
      await watchers.close();
      guard.close();
      model.setStatus('closed');
      listeners.clear();
    })();
    return closing;
  };
  if (opts.signal) {
    if (opts.signal.aborted) void close();
    else opts.signal.addEventListener('abort', () => void close(), { once: true });
  }

  return {
    close,
    get state(): WatchState {
      return model.snapshot();
    },
    whenIdle: () => scheduler.whenIdle(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
