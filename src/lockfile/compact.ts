/**
 * What format 3 leaves out of the file because it can be derived again on read, so a row's entry
 * stays small (issue #9) without losing anything a plan, a resume or a restore reads:
 * - files as one line, `[path, sha256, size]`;
 * - `attempt: 1` (most entries are on their first attempt; 0 and 2 on are written);
 * - an Idempotency-Key equal to the one computed from the entry's key and attempt (hash/idempotency.ts);
 * - a scene clip's file path when it is the clip folder, the clip key and an extension;
 * - format 4: a clip's `kind: avatar`, and `status: completed` of a clip that has its file.
 * The serializer writes the short form only when reading it back gives exactly the same value.
 */
import { idempotencyKey } from '../hash/idempotency.js';

/** Where clip files live, as the lockfile records paths (POSIX, project-relative): execute/heygen/clip-job.ts's CLIP_DIR. */
export const CLIP_FOLDER = '.heygen/clips';

/** A clip file's extension as format 3 writes it in place of the path. */
export const CLIP_SUFFIX = /^[A-Za-z0-9]+$/;

/** The path of a clip's file with this extension. */
export function clipFilePath(clipKey: string, ext: string): string {
  return `${CLIP_FOLDER}/${clipKey}.${ext}`;
}

const CONTENT_KEY = /^[0-9a-f]{40,}$/;

/** The Idempotency-Key a build sends for this key and attempt; undefined when none can be derived. */
export function derivedIdempotencyKey(key: string, attempt: number): string | undefined {
  if (!CONTENT_KEY.test(key) || !Number.isSafeInteger(attempt) || attempt < 0) return undefined;
  return idempotencyKey(key, attempt);
}
