/** Where a URL asset's local copy is kept (src/execute/url-copies.ts); `export` reads it too, and `gc` sweeps the folder. */
import { join, resolve } from 'node:path';
import { sha256Hex } from '../hash/canonical.js';

/** The folder of the copies, relative to the project root. */
export const URL_COPY_DIR = join('.heygen', 'remote');

/** The stem of the copy of `url` (its name up to the first dot): 32 hex digits of the URL's sha256. */
export function urlCopyStem(url: string): string {
  return sha256Hex(url).slice(0, 32);
}

/** `.heygen/remote/<sha256(url), 32 hex><the URL path's extension>`, absolute. */
export function urlCopyPath(root: string, url: string): string {
  const ext = /\.[a-z0-9]{2,5}(?=$|[?#])/i.exec(new URL(url).pathname)?.[0] ?? '';
  return resolve(root, URL_COPY_DIR, `${urlCopyStem(url)}${ext}`);
}

/**
 * Whether `name` (in URL_COPY_DIR) is a copy or its `.json` validators, as urlCopyPath and UrlCopies
 * name them. Anything else there (a user's file, a folder store's objects) is not ours to remove.
 */
export function isUrlCopyName(name: string): boolean {
  return /^[0-9a-f]{32}(?:\.[a-z0-9]{2,5})?(?:\.json)?$/i.test(name);
}
