/**
 * Atomic file replacement: readers (and a crash at any instant) see the old file or the new one,
 * never a torn mix. Temp file in the same directory (rename is only atomic within a file system),
 * write, fsync the file, rename over the target, fsync the directory so the rename itself
 * survives a power cut (write-file-atomic skips that last step).
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isAlive } from './process.js';

/** The file operations used, injectable so tests can fail any one of them. */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ mode: number }>;
}

export interface AtomicFileHandle {
  writeFile(data: string | Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const nodeFs: AtomicFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  stat: (path) => fsp.stat(path),
};

/** `.<name>.<pid>.<random>.tmp`: hidden, and tells which process left it. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export async function writeFileAtomic(path: string, data: string | Buffer, fs: AtomicFs = nodeFs): Promise<void> {
  const temp = tempPathFor(path);
  // Keep the permissions of the file we replace (a user may have made it group-writable).
  const mode = await fs.stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o666,
  );
  let handle: AtomicFileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    const h = handle;
    handle = undefined;
    await h.close();
    await fs.rename(temp, path);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path), fs);
}

/** Errors meaning "this platform cannot fsync a directory" (Windows, some network mounts): not failures. */
const UNSUPPORTED_DIR_SYNC = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF']);

async function syncDirectory(dir: string, fs: AtomicFs): Promise<void> {
  let handle: AtomicFileHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch (e) {
    if (UNSUPPORTED_DIR_SYNC.has((e as NodeJS.ErrnoException).code ?? '')) return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    if (!UNSUPPORTED_DIR_SYNC.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Removes temp files a killed writer left next to `target` (its pid no longer runs).
 * Call while holding the build lock, so no live writer of ours can be mid-write.
 */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const prefix = `.${basename(target)}.`;
  const names = await fsp.readdir(dirname(target)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!m || isAlive(Number(m[1]))) continue;
    const full = join(dirname(target), name);
    await fsp.unlink(full).then(
      () => removed.push(full),
      () => undefined,
    );
  }
  return removed;
}
