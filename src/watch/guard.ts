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
  return new FolderWatches(onGone, busy, onError);
}

/** What an arm asks for: the guarded names per folder of the files on disk, and guarded files now gone. */
interface Wanted {
  wanted: Map<string, Set<string>>;
  gone: string[];
}

/** One `fs.watch` per folder of guarded files, and the files an event named while a run was in progress. */
class FolderWatches implements Guard {
  private readonly folders = new Map<string, Folder>();
  /** Guarded files an event named while a run was in progress. */
  private readonly suspects = new Set<string>();
  private closed = false;

  constructor(
    private readonly onGone: (abs: string) => void,
    private readonly busy: () => boolean,
    private readonly onError: (e: unknown) => void,
  ) {}

  arm(root: string, files: readonly string[]): void {
    if (this.closed) return;
    const { wanted, gone } = this.sort(root, files);
    for (const dir of [...this.folders.keys()]) if (!wanted.has(dir)) this.drop(dir);
    for (const [dir, names] of wanted) this.watchFolder(dir, names);
    for (const abs of gone) this.onGone(abs);
  }

  check(): void {
    if (this.closed || this.busy()) return;
    const files = [...this.suspects];
    this.suspects.clear();
    for (const f of files) this.lost(f);
  }

  close(): void {
    this.closed = true;
    for (const dir of [...this.folders.keys()]) this.drop(dir);
    this.suspects.clear();
  }

  /** The files on disk by folder, and those guarded before that are missing now. */
  private sort(root: string, files: readonly string[]): Wanted {
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
      } else if (this.folders.get(dir)?.names.has(basename(abs))) gone.push(abs);
    }
    return { wanted, gone };
  }

  /** Guards `names` in `dir`: the standing watch if it still watches the same folder, else a new one. */
  private watchFolder(dir: string, names: Set<string>): void {
    const ino = statSync(dir, { throwIfNoEntry: false })?.ino;
    const folder = this.folders.get(dir);
    if (folder?.watcher && folder.ino === ino) folder.names = names;
    else {
      if (folder) this.drop(dir);
      if (ino !== undefined) this.open(dir, ino, names);
    }
  }

  /** Reports a guarded file that is no longer on disk, once. */
  private lost(abs: string): void {
    const folder = this.folders.get(dirname(abs));
    if (!folder?.names.has(basename(abs)) || existsSync(abs)) return;
    folder.names.delete(basename(abs));
    this.onGone(abs);
  }

  private drop(dir: string): void {
    this.folders.get(dir)?.watcher?.close();
    this.folders.delete(dir);
  }

  private onEvent(dir: string, name: string): void {
    const folder = this.folders.get(dir);
    if (this.closed || !folder) return;
    if (folder.names.has(name)) {
      this.suspects.add(resolve(dir, name));
      this.check();
    } else if (name === basename(dir) && statSync(dir, { throwIfNoEntry: false })?.ino !== folder.ino) {
      // The folder itself was deleted (its files' events came first): its watch sees nothing more.
      folder.watcher?.close();
      delete folder.watcher;
    }
  }

  private open(dir: string, ino: number, names: Set<string>): void {
    try {
      const watcher = fsWatch(dir, { persistent: false }, (_kind, name) => {
        if (name !== null) this.onEvent(dir, String(name));
      });
      watcher.on('error', (e) => {
        this.onError(e);
        // The next arm watches it again if it still holds guarded files.
        if (this.folders.get(dir)?.watcher === watcher) this.drop(dir);
      });
      this.folders.set(dir, { watcher, ino, names });
    } catch (e) {
      this.onError(e);
    }
  }
}
