/**
 * Keeps what the preview shows on disk: each ready item's output and (drafts) its entry in the draft cache.
 * When one of them is deleted while the watch runs, the watch is told, and its next run makes it again
 * (placed from the cache, or rendered), instead of the page showing a video that is gone.
 *
 * Cheap by design: one `fs.watch` per folder holding such files (an inotify watch each, not one per file,
 * and nothing recursive: `.heygen/` is never watched as a whole); an event that names no guarded file costs
 * a Set lookup. Only files seen on disk are guarded, and each is reported once per time it was seen, so a
 * file that cannot come back never starts run after run. The watch's own writes replace files by rename
 * (never leaving one missing), and events during a run are checked after it.
 */
import { existsSync, statSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { statOutputs } from '../execute/outputs.js';
import { DRAFTS_DIR } from '../providers/local/cache.js';
import { toPosix } from './paths.js';

/** A file the page shows, as the state model knows it: its project-relative output and content key. */
export interface ShownFile {
  output: string;
  key?: string;
}

/** The guard of the files the page shows. */
export interface Guard {
  /** Guard these project-relative files from now on; reports those guarded before and gone now. */
  arm(root: string, files: readonly string[]): void;
  /** Looks at the files events named during a run (call it when the watch is idle). */
  check(): void;
  close(): void;
}

interface Folder {
  /** Gone when the folder itself was deleted (its watch then sees nothing): the next arm watches it again. */
  watcher?: FSWatcher;
  /** The folder's inode when watched: a folder deleted and made again needs a new watch. */
  ino: number;
  /** Names of guarded files in it. */
  names: Set<string>;
}

/** The files to guard: each ready output, and for drafts its cache entry (`.heygen/drafts/<key>.*`). */
export function guardedFiles(shown: readonly ShownFile[], drafts: boolean): string[] {
  const files: string[] = [];
  const cache = toPosix(DRAFTS_DIR);
  for (const s of shown) {
    files.push(s.output);
    // A translation's cache key can differ from its plan key: a name not on disk is simply not guarded.
    if (drafts && s.key) for (const ext of ['mp4', 'json', 'srt']) files.push(`${cache}/${s.key}.${ext}`);
  }
  return files;
}

/** Creates the guard; `onGone` gets each guarded file found deleted, `busy` says whether a run is in progress. */
export function createGuard(onGone: (abs: string) => void, busy: () => boolean, onError: (e: unknown) => void): Guard {
  const folders = new Map<string, Folder>();
  /** Guarded files an event named while a run was in progress. */
  const suspects = new Set<string>();
  let closed = false;

  const lost = (abs: string): void => {
    const folder = folders.get(dirname(abs));
    if (!folder?.names.has(basename(abs)) || existsSync(abs)) return;
    folder.names.delete(basename(abs));
    onGone(abs);
  };
  const check = (): void => {
    if (closed || busy()) return;
    const files = [...suspects];
    suspects.clear();
    for (const f of files) lost(f);
  };
  const drop = (dir: string): void => {
    folders.get(dir)?.watcher?.close();
    folders.delete(dir);
  };
  const onEvent = (dir: string, name: string): void => {
    const folder = folders.get(dir);
    if (closed || !folder) return;
    if (folder.names.has(name)) {
      suspects.add(resolve(dir, name));
      check();
    } else if (name === basename(dir) && statSync(dir, { throwIfNoEntry: false })?.ino !== folder.ino) {
      // The folder itself was deleted (its files' events came first): its watch sees nothing more.
      folder.watcher?.close();
      delete folder.watcher;
    }
  };
  const open = (dir: string, ino: number, names: Set<string>): void => {
    try {
      const watcher = fsWatch(dir, { persistent: false }, (_kind, name) => {
        if (name !== null) onEvent(dir, String(name));
      });
      watcher.on('error', (e) => {
        onError(e);
        // The next arm watches it again if it still holds guarded files.
        if (folders.get(dir)?.watcher === watcher) drop(dir);
      });
      folders.set(dir, { watcher, ino, names });
    } catch (e) {
      onError(e);
    }
  };

  return {
    arm(root, files) {
      if (closed) return;
      const present = statOutputs(root, files);
      const wanted = new Map<string, Set<string>>();
      const gone: string[] = [];
      for (const f of files) {
        const abs = resolve(root, f);
        const dir = dirname(abs);
        if (present.has(f)) {
          let names = wanted.get(dir);
          if (!names) wanted.set(dir, (names = new Set()));
          names.add(basename(abs));
        } else if (folders.get(dir)?.names.has(basename(abs))) gone.push(abs);
      }
      for (const dir of [...folders.keys()]) if (!wanted.has(dir)) drop(dir);
      for (const [dir, names] of wanted) {
        const ino = statSync(dir, { throwIfNoEntry: false })?.ino;
        const folder = folders.get(dir);
        if (folder?.watcher && folder.ino === ino) folder.names = names;
        else {
          if (folder) drop(dir);
          if (ino !== undefined) open(dir, ino, names);
        }
      }
      for (const abs of gone) onGone(abs);
    },
    check,
    close() {
      closed = true;
      for (const dir of [...folders.keys()]) drop(dir);
      suspects.clear();
    },
  };
}
