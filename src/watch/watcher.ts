/**
 * The file system side of a watch: chokidar on the manifest folders (recursive) and on single folders
 * (the project root for the config, each asset's folder) without descending. Single files are watched
 * through their folder because editors that save by writing a new file and renaming it over the old
 * one make a watch on the file itself go quiet.
 *
 * One chokidar instance per folder, so that adding a folder (an asset that a manifest now uses) can be
 * awaited until it is really watched: chokidar only reports `ready` for an instance's first paths.
 *
 * Neither polling (it burns most of a core) nor `awaitWriteFinish` (it adds 0.2-2 s to every save):
 * the debounce and the run's own checks deal with files caught half-written.
 */
import type { FSWatcher } from 'chokidar';
import { isIgnoredPath, isInside, minimalFolders, type ProjectPaths } from './paths.js';

/** The file-system changes a watch reacts to. */
export type FsEventKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

/** One file-system change, with its absolute path. */
export interface FsEvent {
  kind: FsEventKind;
  /** Absolute path. */
  path: string;
  /** Which kind of watch saw it: `tree` (recursive manifest folders) or `files` (single folders). */
  from: 'tree' | 'files';
}

/** The set of file watchers a watch keeps, resynced to the project's folders as they change. */
export interface Watchers {
  /** Watch exactly these folders (recursively) and these folders' direct children; resolves when watched. */
  sync(treeFolders: string[], fileFolders: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Creates the watchers; `paths` says what to watch now, events and errors go to the callbacks. */
export function createWatchers(paths: () => ProjectPaths, onEvent: (e: FsEvent) => void, onError: (e: unknown) => void): Watchers {
  const active = new Map<string, FSWatcher>();
  let closed = false;

  const open = async (folder: string, from: 'tree' | 'files'): Promise<FSWatcher> => {
    // Loaded here, not at the top: the package's entry exports `watch`, and a config importing
    // `defineConfig` from it must not load chokidar into every `plan`.
    const { watch: chokidarWatch } = await import('chokidar');
    const w = chokidarWatch(folder, {
      ignoreInitial: true,
      persistent: true,
      // Read at each event: the out folder and lockfile move when the config changes.
      ignored: (p: string) => isIgnoredPath(paths(), p),
      ...(from === 'files' ? { depth: 0 } : {}),
    });
    for (const kind of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
      w.on(kind, (p: string) => onEvent({ kind, path: p, from }));
    }
    w.on('error', onError);
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    return w;
  };

  return {
    async sync(treeFolders, fileFolders) {
      const tree = minimalFolders(treeFolders);
      // A folder inside a recursive tree is already seen there.
      const files = [...new Set(fileFolders)].filter((f) => !tree.some((t) => isInside(t, f)));
      const wanted = new Map<string, 'tree' | 'files'>([...files.map((f) => [`files:${f}`, 'files'] as const), ...tree.map((t) => [`tree:${t}`, 'tree'] as const)]);
      const closing: Promise<void>[] = [];
      for (const [id, w] of active) {
        if (wanted.has(id)) continue;
        active.delete(id);
        closing.push(w.close());
      }
      await Promise.all([
        ...closing,
        ...[...wanted]
          .filter(([id]) => !active.has(id))
          .map(async ([id, from]) => {
            const w = await open(id.slice(id.indexOf(':') + 1), from);
            if (closed) await w.close(); // closed while it was starting
            else active.set(id, w);
          }),
      ]);
    },
    async close() {
      closed = true;
      const all = [...active.values()];
      active.clear();
      await Promise.all(all.map((w) => w.close()));
    },
  };
}
