/**
 * Atomic file replacement, the one fsync policy of the project: readers (and a crash at any
 * instant) see the old file or the new one, never a torn mix. Temp file in the same directory
 * (rename is only atomic within a file system), write, fsync the file, rename over the target,
 * fsync the directory so the rename itself survives a power cut (write-file-atomic skips that
 * last step). The temp file is removed on any failure; one a killed process left is swept later
 * (see sweep.ts: its name carries the pid).
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, fsError } from './errors.js';

/** The file operations used, injectable so tests can fail any one of them. */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  rename(from: string, to: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ mode: number }>;
}

/** The file handle operations atomic writes use. */
export interface AtomicFileHandle {
  writeFile(data: string | Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The real file system, the default for atomic writes. */
export const nodeFs: AtomicFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  link: (from, to) => fsp.link(from, to),
  unlink: (path) => fsp.unlink(path),
  stat: (path) => fsp.stat(path),
};

/**
 * `.<name>.<pid>.<12 hex>.<suffix>` next to `target`: hidden, unique per call, and tells which
 * process left it. `suffix` is `tmp`, `part` (downloads) or e.g. `tmp.mp4` where a tool wants
 * an extension; sweep.ts recognises all of them.
 */
export function tempPathFor(target: string, suffix = 'tmp'): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.${suffix}`);
}

/** Removes a file if it exists, ignoring any failure; for cleaning up temp files. */
export async function removeQuietly(file: string | undefined): Promise<void> {
  if (file) await fsp.rm(file, { force: true }).catch(() => undefined);
}

/**
 * Replaces `path` whole (a temp file renamed over it), so readers see the old file or the new one, but
 * without the fsyncs: for caches only, where a power cut may leave the old file, an empty one or none,
 * and every reader checks what it reads (a miss, never trusted). The project's own files use
 * writeFileAtomic. On a busy disk the two fsyncs cost more than a small cache write itself.
 */
export async function replaceCacheFile(path: string, data: string | Buffer): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await fsp.writeFile(temp, data);
    await fsp.rename(temp, path);
  } catch (e) {
    await removeQuietly(temp);
    throw fsError(e, path);
  }
}

/** Writes `data` to `path` atomically and durably. Disk full, read-only and permission errors come out coded. */
export async function writeFileAtomic(path: string, data: string | Buffer, fs: AtomicFs = nodeFs, beforeRename?: (temp: string) => void): Promise<void> {
  try {
    await writeAtomic(path, data, fs, beforeRename);
  } catch (e) {
    throw fsError(e, path);
  }
}

/** `beforeRename` sees the complete temp file (a stat of it describes the file the rename puts in place). */
async function writeAtomic(path: string, data: string | Buffer, fs: AtomicFs, beforeRename?: (temp: string) => void): Promise<void> {
  // Keep the permissions of the file we replace (a user may have made it group-writable).
  const mode = await fs.stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o666,
  );
  const temp = await writeTemp(path, data, fs, mode);
  try {
    beforeRename?.(temp);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncPath(dirname(path), fs);
}

/** A complete, fsynced temp file next to `target` holding `data`; removed again if any step fails. */
async function writeTemp(target: string, data: string | Buffer, fs: AtomicFs, mode = 0o666): Promise<string> {
  const temp = tempPathFor(target);
  let handle: AtomicFileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    return temp;
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Creates `path` holding `data` only if it does not exist (false if it does), never visible
 * half-written: a complete temp file is hard-linked into place, and link() fails with EEXIST
 * like O_EXCL. Where the file system has no hard links, a plain exclusive create.
 */
export async function createExclusive(path: string, data: string | Buffer, fs: AtomicFs = nodeFs): Promise<boolean> {
  try {
    const temp = await writeTemp(path, data, fs);
    try {
      return await linkOrCreate(temp, path, data, fs);
    } finally {
      await fs.unlink(temp).catch(() => undefined);
    }
  } catch (e) {
    throw fsError(e, path);
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV']);

async function linkOrCreate(temp: string, path: string, data: string | Buffer, fs: AtomicFs): Promise<boolean> {
  try {
    await fs.link(temp, path);
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(errnoCode(e) ?? '')) throw e;
    // A crash mid-write here leaves a torn file: callers must treat an unreadable one with care.
    let handle: AtomicFileHandle;
    try {
      handle = await fs.open(path, 'wx');
    } catch (e2) {
      if (errnoCode(e2) === 'EEXIST') return false;
      throw e2;
    }
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (e3) {
      await fs.unlink(path).catch(() => undefined);
      throw e3;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  await syncPath(dirname(path), fs);
  return true;
}

/**
 * Publishes a temp file someone else wrote (a download, an ffmpeg output, a copy) at `final`:
 * fsync it, rename it over `final`, fsync the directory. The temp is removed if this fails.
 */
export async function commitTemp(temp: string, final: string, fs: AtomicFs = nodeFs): Promise<void> {
  try {
    const handle = await fs.open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, final);
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined);
    throw fsError(e, final);
  }
  try {
    await syncPath(dirname(final), fs);
  } catch (e) {
    throw fsError(e, final);
  }
}

/**
 * Runs `write(temp)` to fill a temp file next to `final`, then publishes it with commitTemp.
 * Whatever fails, no temp file is left.
 */
export async function withTempFile<T>(final: string, write: (temp: string) => Promise<T>, suffix = 'tmp'): Promise<T> {
  const temp = tempPathFor(final, suffix);
  try {
    const result = await write(temp);
    await commitTemp(temp, final);
    return result;
  } catch (e) {
    await removeQuietly(temp);
    throw fsError(e, final);
  }
}

/** Errors meaning "this platform cannot fsync a directory" (Windows, some network mounts): not failures. */
const UNSUPPORTED_DIR_SYNC = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** fsync a folder (or a file): makes renames in it durable. */
export async function syncPath(dir: string, fs: AtomicFs = nodeFs): Promise<void> {
  let handle: AtomicFileHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (e) {
    if (UNSUPPORTED_DIR_SYNC.has(errnoCode(e) ?? '')) return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    if (!UNSUPPORTED_DIR_SYNC.has(errnoCode(e) ?? '')) throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * `mkdir -p` whose failure names the real cause: Node's recursive mkdir can report ENOENT when a
 * parent is read-only or not ours, so on failure the first missing folder is created alone to
 * learn why.
 */
export async function mkdirp(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (e) {
    const real = await realMkdirError(dir, e);
    throw fsError(real.error, real.path, 'mkdir');
  }
}

async function realMkdirError(dir: string, original: unknown): Promise<{ error: unknown; path: string }> {
  let missing = dir;
  for (let parent = dirname(missing); parent !== missing; parent = dirname(parent)) {
    const exists = await fsp.stat(parent).then(
      () => true,
      () => false,
    );
    if (exists) break;
    missing = parent;
  }
  try {
    await fsp.mkdir(missing);
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') return { error: e, path: missing };
  }
  return { error: original, path: dir };
}
