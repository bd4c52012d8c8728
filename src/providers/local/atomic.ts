/**
 * Files appear whole or not at all: write to a temp name in the destination's directory (same
 * filesystem, so rename is atomic), fsync, rename, fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, constants, link, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** A hidden temp name next to `final`, unique per call: `.<name>.<random>.part`. */
export function tempPathFor(final: string): string {
  return path.join(path.dirname(final), `.${path.basename(final)}.${randomBytes(6).toString('hex')}.part`);
}

export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Make a rename durable. Some platforms (Windows) cannot open directories: that is fine. */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncFile(dir);
  } catch {
    // best effort
  }
}

export async function removeQuietly(file: string | undefined): Promise<void> {
  if (file) await rm(file, { force: true }).catch(() => undefined);
}

/** Rename a complete temp file over `final`, durably. */
export async function commit(temp: string, final: string): Promise<void> {
  await fsyncFile(temp);
  await rename(temp, final);
  await fsyncDir(path.dirname(final));
}

/**
 * Put a copy of `src` at `final` atomically: a hard link when `link` is set and the filesystem
 * allows it (no bytes copied), else a copy (a reflink where the filesystem supports it).
 */
export async function placeCopy(src: string, final: string, opts: { link?: boolean } = {}): Promise<void> {
  const temp = tempPathFor(final);
  try {
    let linked = false;
    if (opts.link) {
      try {
        await link(src, temp);
        linked = true;
      } catch {
        // EXDEV (another filesystem), EPERM (no hard links here): copy instead
      }
    }
    if (!linked) await copyFile(src, temp, constants.COPYFILE_FICLONE);
    await commit(temp, final);
  } catch (e) {
    await removeQuietly(temp);
    throw e;
  }
}
