/**
 * The push journal: a record is written to `.heygen/push/<key>.json` before its blobs and record are
 * sent, and removed only once the record is in the store. A push killed (or a store unreachable) at any
 * point leaves the entry, and the next build or `heygen-build push` sends it again; blobs are
 * content-addressed, so sending one twice is harmless.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic, mkdirp } from '../fsx/atomic.js';
import type { RemoteRecord } from './record.js';

/** Where pending pushes are journaled, relative to the project root. */
export const PUSH_DIR = join('.heygen', 'push');

/** One pending push: the record, and the project-relative path of each of its files, by role. */
export interface PendingPush {
  record: RemoteRecord;
  files: Record<string, string>;
}

function entryPath(root: string, key: string): string {
  return resolve(root, PUSH_DIR, `${key}.json`);
}

/** Journals a push before it starts. */
export async function journalPush(root: string, p: PendingPush): Promise<void> {
  await mkdirp(resolve(root, PUSH_DIR));
  await writeFileAtomic(entryPath(root, p.record.key), JSON.stringify(p));
}

/** Clears a push once its record is in the store. */
export async function clearPush(root: string, key: string): Promise<void> {
  await rm(entryPath(root, key), { force: true });
}

/** Every push still pending (a damaged entry is dropped: its files are pushed again by `push` from the lockfile). */
export async function pendingPushes(root: string): Promise<PendingPush[]> {
  const dir = resolve(root, PUSH_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: PendingPush[] = [];
  for (const n of names.filter((x) => x.endsWith('.json') && !x.startsWith('.'))) {
    try {
      out.push(JSON.parse(await readFile(join(dir, n), 'utf8')) as PendingPush);
    } catch {
      await rm(join(dir, n), { force: true });
    }
  }
  return out;
}
