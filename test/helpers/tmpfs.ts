/**
 * A small tmpfs to fill up or make read-only, for tests of full-disk and read-only behaviour.
 * Mounting needs root; elsewhere (or where mount fails, e.g. in an unprivileged container) the
 * tests that need it skip, saying why.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeKb` (read-only when `ro`); a string says why it could not. */
export function mountTmpfs(sizeKb: number, opts: { ro?: boolean } = {}): Tmpfs | string {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a tmpfs';
  const dir = mkdtempSync(join(tmpdir(), 'hb-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k${opts.ro ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${(e as Error).message.split('\n')[0]}`;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Remounts a mounted tmpfs read-only or read-write. */
export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' });
}

export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Fills the file system holding `dir` with `file` until it is full, then frees `leaveBytes` of it. */
export function fillDisk(file: string, leaveBytes = 0): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  let size = 0;
  try {
    for (;;) size += writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  truncateSync(file, Math.max(0, size - leaveBytes));
}
