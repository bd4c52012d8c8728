/** Where a URL asset's local copy is kept (src/execute/url-copies.ts); `export` reads it too, without the HTTP code. */
import { resolve } from 'node:path';
import { sha256Hex } from '../hash/canonical.js';

/** `.heygen/remote/<sha256(url), 32 hex><the URL path's extension>`, absolute. */
export function urlCopyPath(root: string, url: string): string {
  const ext = /\.[a-z0-9]{2,5}(?=$|[?#])/i.exec(new URL(url).pathname)?.[0] ?? '';
  return resolve(root, '.heygen', 'remote', `${sha256Hex(url).slice(0, 32)}${ext}`);
}
