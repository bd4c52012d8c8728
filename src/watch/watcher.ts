/**
 * The file system side of a watch: two chokidar watchers, one recursive over the manifest folders and one
 * over single folders (the project root for the config, and each asset's folder), without depth.
 * Single files are watched through their folder because editors that save by writing a new file and
 * renaming it over the old one make a watch on the file itself go quiet.
 *
 * Neither polling (it burns most of a core) nor `awaitWriteFinish` (it adds 0.2-2 s to every save):
 * the debounce and the run's own checks deal with files caught half-written.
 */
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { isIgnoredPath, isInside, minimalFolders, type ProjectPaths } from './paths.js';

export type FsEventKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface FsEvent {
  kind: FsEventKind;
  /** Absolute path. */
  path: string;
  /** Which watcher saw it: `tree` (recursive manifest folders) or `files` (single folders). */
  from: 'tree' | 'files';
}

export interface Watchers {
  /** Watch exactly these folders (recursive) and these folders' direct children; resolves when ready. */
  sync(treeFolders: string[], fileFolders: string[]): Promise<void>;
  close(): Promise<void>;
}

function makeWatcher(paths: () => ProjectPaths, depth: number | undefined, onEvent: (kind: FsEventKind, path: string) => void, onError: (e: unknown) => void): FSWatcher {
  const w = chokidarWatch([], {
    ignoreInitial: true,
    persistent: true,
    // Read at each event: the out folder and lockfile move when the config changes.
    ignored: (p: string) => isIgnoredPath(paths(), p),
    ...(depth === undefined ? {} : { depth }),
  });
  for (const kind of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
    w.on(kind, (p: string) => onEvent(kind, p));
  }
  w.on('error', onError);
  return w;
}

function ready(w: FSWatcher): Promise<void> {
  return new Promise((resolve) => w.once('ready', () => resolve()));
}

export function createWatchers(paths: () => ProjectPaths, onEvent: (e: FsEvent) => void, onError: (e: unknown) => void): Watchers {
  let tree: FSWatcher | undefined;
  let files: FSWatcher | undefined;
  let treeNow = new Set<string>();
  let filesNow = new Set<string>();

  const update = async (w: FSWatcher | undefined, make: () => FSWatcher, now: Set<string>, next: Set<string>): Promise<FSWatcher | undefined> => {
    const added = [...next].filter((f) => !now.has(f));
    const removed = [...now].filter((f) => !next.has(f));
    if (removed.length > 0 && w) w.unwatch(removed);
    if (added.length === 0) return w;
    if (!w) {
      // The first add of a new watcher emits `ready` once its initial scan is done.
      const created = make();
      const r = ready(created);
      created.add(added);
      await r;
      return created;
    }
    w.add(added);
    return w;
  };

  return {
    async sync(treeFolders, fileFolders) {
      const nextTree = new Set(minimalFolders(treeFolders));
      // A folder inside a recursive tree is already seen there.
      const nextFiles = new Set(fileFolders.filter((f) => ![...nextTree].some((t) => isInside(t, f))));
      const [t, f] = await Promise.all([
        update(tree, () => makeWatcher(paths, undefined, (kind, p) => onEvent({ kind, path: p, from: 'tree' }), onError), treeNow, nextTree),
        update(files, () => makeWatcher(paths, 0, (kind, p) => onEvent({ kind, path: p, from: 'files' }), onError), filesNow, nextFiles),
      ]);
      tree = t;
      files = f;
      treeNow = nextTree;
      filesNow = nextFiles;
    },
    async close() {
      await Promise.all([tree?.close(), files?.close()]);
      tree = undefined;
      files = undefined;
    },
  };
}
