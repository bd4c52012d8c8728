/** Reading and saving `heygen.lock.yaml`, and the in-memory store the executor journals through. */
import { HeygenBuildError } from '../errors.js';
import { statSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nodeFs, writeFileAtomic, type AtomicFs } from '../fsx/atomic.js';
import { emptyLockfile, type Lockfile } from '../model/lock.js';
import { sha256Hex } from '../hash/canonical.js';
import { readLockCache, writeLockCache } from './sidecar.js';
import { ChangeTracker } from './track.js';
import { heldWarning, isConflict, readWithUnmerged, unmergedPath } from './unmerged.js';

/** Options for reading and writing lockfiles: the name used in messages and the file system (swapped in tests). */
export interface LockfileIoOptions {
  /** Name used in error messages (default: the path given). */
  displayPath?: string;
  fs?: AtomicFs;
  /** The parsed-lockfile cache to read from (see ReadLockfileOptions); a build never refreshes it. */
  cache?: string;
}

/** How to read a lockfile: the name used in messages, and the parsed-lockfile cache (sidecar.ts) to use. */
export interface ReadLockfileOptions {
  /** Name used in error messages (default: the path given). */
  displayPath?: string;
  /** Absolute path of the parsed-lockfile cache (`<root>/.heygen/cache/lockfile.json`); none by default. */
  cache?: string;
  /** Refresh the cache after a parse (default true); a build, which rewrites the lockfile at once, need not. */
  writeCache?: boolean;
}

/*
 * The YAML reader (parse.ts and its checks) and the writer (serialize.ts) are imported when used: a
 * plan whose lockfile has a parsed copy (sidecar.ts) needs neither, and they are a dozen modules of
 * every start.
 */
const parser = async (): Promise<typeof import('./parse.js')> => import('./parse.js');
const writer = async (): Promise<typeof import('./serialize.js')> => import('./serialize.js');

/** A missing lockfile reads as empty; anything unreadable throws (see parseLockfile). */
export async function readLockfile(absPath: string, opts: ReadLockfileOptions = {}): Promise<Lockfile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return emptyLockfile();
    throw new HeygenBuildError('E_LOCKFILE_UNREADABLE', `cannot read the lockfile ${opts.displayPath ?? absPath} (${code ?? String(e)})`, {
      hint: code === 'EISDIR' ? 'the lockfile path is a folder: move it away, or set `lockfile:` in heygen.config.ts' : 'check the file permissions',
    });
  }
  if (!opts.cache) return (await parser()).parseLockfile(bytes.toString('utf8'), opts.displayPath ?? absPath);
  const digest = sha256Hex(bytes);
  const cached = await readLockCache(opts.cache, digest);
  if (cached) return cached;
  const lock = (await parser()).parseLockfile(bytes.toString('utf8'), opts.displayPath ?? absPath);
  if (opts.writeCache !== false) await writeLockCache(opts.cache, digest, lock);
  return lock;
}

/**
 * The lockfile as the next build will see it: with the records of a build that ran while it had
 * merge-conflict markers (the journal beside it, unmerged.ts) joined in. For the commands that only
 * read it (`gc`, `status`, `push`, the webhook receiver): a clip or job recorded only in the journal
 * is kept, shown, pushed or collected like any other.
 */
export async function readLockfileWithJournal(absPath: string, opts: ReadLockfileOptions = {}): Promise<Lockfile> {
  return (await readWithUnmerged(() => readLockfile(absPath, opts), absPath, opts.displayPath ?? absPath)).lock;
}

/** Writes a lockfile atomically (temp, fsync, rename), so a crash never leaves a partial one. */
export async function writeLockfile(absPath: string, lock: Lockfile, opts: Pick<LockfileIoOptions, 'fs'> = {}): Promise<void> {
  await writeFileAtomic(absPath, (await writer()).serializeLockfile(lock), opts.fs ?? nodeFs);
}

/**
 * What tells another writer's change of the file: its inode, size and mtime; undefined when it is missing.
 * Synchronous (a few µs): a save must not give up its turn of the event loop before it serializes.
 */
function stampOf(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return undefined;
  }
}

interface Waiter {
  generation: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The lockfile held in memory, saved durably after every change.
 *
 * Saves are serialized (never two writes of the file at once) and coalesced: changes made in one turn
 * of the event loop, or while a save is in flight, go out together in the next one. `update()` resolves only once a save that
 * contains its change has completed, so "await update(); then POST" really records intent first.
 */
export class LockStore {
  private generation = 0;
  private waiters: Waiter[] = [];
  private saving: Promise<void> | undefined;
  /** A save loop is running or about to start, and will take any waiter queued now. */
  private looping = false;
  /** The text the last successful save wrote (undefined until one has); hashed only when needed. */
  private written: string | undefined;
  /** Records which entries mutators touch, so a save re-serializes only those (track.ts). */
  private readonly tracker: ChangeTracker;
  /** Keeps each entry's text between saves; made with the first save (serialize.ts is loaded then). */
  private serializer: import('./serialize.js').LockfileWriter | undefined;
  /**
   * The file as this store last read or wrote it (stampOf), or null before the first look. A save that
   * finds another stamp first joins the file's records into the state (absorb.ts).
   */
  private stamp: string | undefined | null = null;
  /** The lockfile's name in messages (opened with a displayPath). */
  private displayPath: string | undefined;
  /**
   * The lockfile has merge-conflict markers (found at a save): saves go to the journal beside it
   * (unmerged.ts) until a save finds it resolved. The conflicted file is never written.
   */
  private held = false;
  /** The journal exists with records the lockfile lacks: removed after the next save of the lockfile. */
  private unmergedOnDisk = false;
  private readonly holdListeners: ((warning: string) => void)[] = [];

  constructor(
    readonly path: string,
    private readonly state: Lockfile,
    private readonly fs: AtomicFs = nodeFs,
    /** What of the state the file holds (a shard's partial lockfile: its changes only); all of it by default. */
    private readonly view?: (state: Readonly<Lockfile>) => Lockfile,
  ) {
    this.tracker = new ChangeTracker(state);
  }

  /** Reads the lockfile (missing -> empty) and clears temp files left by killed writers. */
  static async open(absPath: string, opts: LockfileIoOptions = {}): Promise<LockStore> {
    const read: ReadLockfileOptions = { writeCache: false };
    if (opts.displayPath !== undefined) read.displayPath = opts.displayPath;
    if (opts.cache !== undefined) read.cache = opts.cache;
    const stamp = stampOf(absPath);
    // With the records a build kept beside a conflicted lockfile (unmerged.ts), saved into it at once.
    const { lock, joined } = await readWithUnmerged(() => readLockfile(absPath, read), absPath, opts.displayPath ?? absPath);
    await (await import('../fsx/sweep.js')).sweepDir(dirname(absPath));
    const store = new LockStore(absPath, lock, opts.fs);
    store.stamp = stamp;
    store.displayPath = opts.displayPath;
    if (joined) {
      store.unmergedOnDisk = true;
      await store.update(() => undefined);
    }
    return store;
  }

  /** Whether the lockfile has merge-conflict markers, so that saves go to the journal beside it (see `held`). */
  get holding(): boolean {
    return this.held;
  }

  /** The lockfile as messages name it. */
  get display(): string {
    return this.displayPath ?? this.path;
  }

  /** While the lockfile is conflicted, the journal the state is saved to (as messages name it); else undefined. */
  get unmerged(): string | undefined {
    return this.held ? unmergedPath(this.display) : undefined;
  }

  /**
   * Calls `listener` with the warning to show, once, when the lockfile is found conflicted (at once if it
   * already is); it must not throw.
   */
  onHold(listener: (warning: string) => void): void {
    if (this.held) listener(heldWarning(this.display));
    else this.holdListeners.push(listener);
  }

  /** The live state. Change it only through `update()`, or the change may never be saved. */
  get lock(): Readonly<Lockfile> {
    return this.state;
  }

  /**
   * Applies `mutator` now and resolves once the change is on disk. If the mutator throws,
   * nothing is saved for it and the error is rethrown (keep mutators simple: a partial change
   * it made before throwing stays in memory and goes out with the next save).
   * If the save fails, the promise rejects; the change stays in memory for a later save.
   */
  update(mutator: (lock: Lockfile) => void): Promise<void> {
    try {
      mutator(this.tracker.lock);
    } catch (e) {
      return Promise.reject(e);
    }
    const generation = ++this.generation;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ generation, resolve, reject }));
    // The first save starts once the current turn of the event loop is over (setImmediate), so that every
    // change made in it goes out in one write: when one status answer frees several slots, the
    // intents of the jobs taking them are journaled together instead of one write after another.
    // `looping` (not `saving`, cleared some ticks later) says whether a loop will still see this waiter:
    // it turns false in the same synchronous step as the loop's last look at the queue.
    if (!this.looping) {
      this.looping = true;
      const saving: Promise<void> = new Promise<void>((r) => setImmediate(r))
        .then(() => this.saveLoop())
        .finally(() => {
          if (this.saving === saving) this.saving = undefined;
        });
      this.saving = saving;
    }
    return done;
  }

  /** Resolves when every update requested so far is saved (or its save failed). */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  /**
   * Once every save is done, keeps the parsed form of the bytes last written in the parsed-lockfile
   * cache (`cacheFile`), so the next plan reads JSON instead of YAML, without reading the file again.
   * Keyed by the digest the last successful save took of its bytes; with no save, nothing is kept.
   */
  async leaveCache(cacheFile: string): Promise<void> {
    await this.flush();
    // Only when no change is waiting: the state then is exactly what the last save wrote.
    if (this.view || this.held) return; // the file is not the lockfile, or not ours: nothing a plan reads
    if (this.written === undefined || this.waiters.length > 0) return;
    // Saves re-serialize only the entries mutators touched: a change made some other way (a bug) would
    // be missing from the file. One full serialization proves the bytes whole before a plan trusts
    // them, and saves the state again (in full) if they were not.
    if ((await writer()).serializeLockfile(this.state) !== this.written) {
      this.serializer = undefined;
      await this.update(() => undefined);
    }
    if (this.written !== undefined && this.waiters.length === 0) await writeLockCache(cacheFile, sha256Hex(this.written), this.state);
  }

  /**
   * The file's stamp (undefined: gone) when another writer changed it since this store last read or wrote
   * it (a `git pull` or `checkout` during the build); undefined when it did not.
   */
  private changedOnDisk(): { stamp: string | undefined } | undefined {
    if (this.view || this.stamp === null) return undefined; // a shard's partial, or made in memory: nothing read to compare with
    const now = stampOf(this.path);
    return now === this.stamp ? undefined : { stamp: now };
  }

  /**
   * Joins the records of the file another writer changed into the state, before the save overwrites it.
   * A file with merge-conflict markers is left alone: saves go to the journal beside it until it is
   * resolved (`hold`). Any other file that does not parse fails the save: a lockfile that cannot be read
   * is never overwritten. A file gone has nothing to join.
   */
  private async absorbOtherWrites(now: string | undefined): Promise<void> {
    if (now === undefined) {
      this.held = false;
      return;
    }
    let theirs: Lockfile;
    try {
      theirs = (await parser()).parseLockfile(await readFile(this.path, 'utf8'), this.display);
    } catch (e) {
      if (!isConflict(e)) throw e;
      // Read again only once it changes again (resolved).
      this.stamp = now;
      this.hold();
      return;
    }
    const { absorbLockfile } = await import('./absorb.js');
    absorbLockfile(this.tracker.lock, theirs);
    this.stamp = now;
    this.held = false;
  }

  private hold(): void {
    if (this.held) return;
    this.held = true;
    // The lockfile's bytes are no longer the ones this store wrote: no parsed copy of them is left.
    this.written = undefined;
    for (const listener of this.holdListeners.splice(0)) listener(heldWarning(this.display));
  }

  /** Writes the state: to the lockfile, or while it is conflicted to the journal beside it. */
  private async write(text: string): Promise<void> {
    if (this.held) {
      await writeFileAtomic(unmergedPath(this.path), text, this.fs);
      this.unmergedOnDisk = true;
      return;
    }
    // Stamped before the rename (which keeps inode, size and mtime): a pull landing between the rename
    // and the end of the write is then seen by the next save, not taken for this write.
    let stamp: string | undefined;
    await writeFileAtomic(this.path, text, this.fs, (temp) => (stamp = stampOf(temp)));
    this.written = text;
    if (!this.view) this.stamp = stamp;
    if (this.unmergedOnDisk) {
      // The lockfile now holds every record of the journal. Left behind (a failed unlink), it is joined again: harmless.
      await unlink(unmergedPath(this.path)).catch(() => undefined);
      this.unmergedOnDisk = false;
    }
  }

  private async saveLoop(): Promise<void> {
    // Each pass snapshots the state (serializing is synchronous, before the first await) and
    // settles every waiter whose change that snapshot includes. Waiters that arrive during the
    // write wait for the next pass. `looping` turns false in the very step that finds the queue
    // empty, so an update made after it (even one tick later) starts a new loop.
    try {
      while (this.waiters.length > 0) {
        let generation = this.generation;
        let outcome: { ok: true } | { ok: false; error: unknown };
        try {
          // The writer, imported on first use (a failure rejects the waiters like a failed write);
          // the generation is taken again after it, right before the synchronous serialization.
          const { serializeLockfile, LockfileWriter } = await writer();
          const changed = this.changedOnDisk();
          if (changed !== undefined) await this.absorbOtherWrites(changed.stamp);
          generation = this.generation;
          let text: string;
          if (this.view) {
            this.tracker.take();
            text = serializeLockfile(this.view(this.state));
          } else {
            const serializer = (this.serializer ??= new LockfileWriter());
            try {
              text = serializer.serialize(this.state, this.tracker.take());
            } catch (e) {
              // Its texts may now lag the entries it was told to redo: start afresh.
              this.serializer = undefined;
              throw e;
            }
          }
          await this.write(text);
          outcome = { ok: true };
        } catch (error) {
          outcome = { ok: false, error };
        }
        const covered = this.waiters.filter((w) => w.generation <= generation);
        this.waiters = this.waiters.filter((w) => w.generation > generation);
        for (const w of covered) {
          if (outcome.ok) w.resolve();
          else w.reject(outcome.error);
        }
      }
    } finally {
      this.looping = false;
    }
  }
}
