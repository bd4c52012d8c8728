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
import { configFileFor, loadConfig } from '../config/index.js';
import { HeygenBuildError, isHeygenBuildError } from '../errors.js';
import { chooseProvider } from '../execute/choose.js';
import type { ResolvedConfig } from '../model/config.js';
import { projectRelative } from './paths.js';
import { WatchSession } from './session.js';
import type { WatchEvent, WatchHandle, WatchOptions, WatchState } from './types.js';

export type * from './types.js';
export { servePreview, type PreviewServer, type PreviewOptions } from './preview/server.js';

/** How long a watch waits after the last file event before starting a run, so one save triggers one run. */
export const DEFAULT_DEBOUNCE_MS = 100;

/** Watches a project and rebuilds what changed on every save (drafts by default) until the handle is closed. */
export async function watch(opts: WatchOptions = {}): Promise<WatchHandle> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const provider = opts.provider ?? 'local';
  const emit = (e: WatchEvent): void => opts.emit?.(e);
  if (opts.configFile && !existsSync(resolve(cwd, opts.configFile))) {
    throw new HeygenBuildError('E_CONFIG_MISSING', `config file not found: ${opts.configFile}`, {
      hint: 'check the --config path, or leave it out to use heygen.config.ts in the current folder',
    });
  }
  const initialConfig = await loadInitialConfig(cwd, provider, opts);
  const configFile = configFileFor(cwd, opts.configFile);
  const root = initialConfig?.root ?? (configFile ? dirname(configFile) : cwd);

  const session = new WatchSession({
    cwd,
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
    root,
    paths: opts.paths ?? [],
    provider,
    ...(opts.env ? { env: opts.env } : {}),
    debounceMs: opts.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    emit,
    ...(initialConfig ? { initialConfig } : {}),
  });
  await session.start({
    type: 'watch-start',
    root,
    provider,
    ...(configFile ? { configFile: projectRelative(root, configFile) } : {}),
    manifests: opts.paths && opts.paths.length > 0 ? opts.paths : (initialConfig?.manifests ?? []),
  });

  const close = (): Promise<void> => session.close();
  if (opts.signal) {
    if (opts.signal.aborted) void close();
    else opts.signal.addEventListener('abort', () => void close(), { once: true });
  }

  return {
    close,
    get state(): WatchState {
      return session.model.snapshot();
    },
    whenIdle: () => session.scheduler.whenIdle(),
    subscribe: (listener) => session.subscribe(listener),
  };
}

/**
 * The config before the first run. A config that does not load yet is reported by the first run and
 * waited on (undefined here); a missing API key for --provider heygen is not something a file edit
 * fixes, so it ends the watch before it starts.
 */
async function loadInitialConfig(cwd: string, provider: 'local' | 'heygen', opts: WatchOptions): Promise<ResolvedConfig | undefined> {
  try {
    const config = await loadConfig({ cwd, configFile: opts.configFile, overrides: { provider }, env: opts.env });
    if (provider === 'heygen') chooseProvider(config, opts.env ?? process.env);
    return config;
  } catch (e) {
    if (isHeygenBuildError(e) && (e.code === 'E_NO_API_KEY' || e.code === 'E_CONFIG_MISSING')) throw e;
    return undefined;
  }
}
