/**
 * The warning a plan gives when it could not read the remote store (W_REMOTE_OFFLINE): the store as
 * configured (never a credential: the url names a bucket and prefix, or a folder), what went wrong in
 * words and its code, and the hint of that failure, not the object the failing request happened to
 * name (a plan reads many; `records/<key>.json (ENOENT)` told a user nothing about a missing folder).
 */
import { ERROR_CODES, HeygenBuildError } from '../errors.js';
import type { Problem } from '../execute/provider.js';

/** The error name a store error's message ends with (`ECONNREFUSED`, `HTTP 500 InternalError`). */
function errorName(e: HeygenBuildError): string | undefined {
  return /\(([^()]*)\)$/.exec(e.message)?.[1];
}

/** What went wrong, in words, with its error name. */
function what(e: unknown, url: string): string {
  if (!(e instanceof HeygenBuildError)) return 'it failed unexpectedly';
  const name = errorName(e);
  const tail = name ? ` (${e.code}: ${name})` : ` (${e.code})`;
  switch (e.code) {
    case 'E_REMOTE_UNREACHABLE':
      return (url.startsWith('file:') ? 'the folder is missing, not mounted or not usable here' : 'it could not be reached') + tail;
    case 'E_REMOTE_AUTH':
      return `it refused the credentials, or none were found${tail}`;
    case 'E_REMOTE':
      return `it answered with an error${tail}`;
    default:
      return `${e.message}`;
  }
}

/** W_REMOTE_OFFLINE for `e`, thrown while planning against the store at `url`. */
export function offlineProblem(e: unknown, url: string): Problem {
  const message = `W_REMOTE_OFFLINE: the remote store ${url} could not be read: ${what(e, url)}. Items are priced as renders; a build still restores any it finds there`;
  const hint = e instanceof HeygenBuildError && e.hint ? e.hint : ERROR_CODES.W_REMOTE_OFFLINE;
  return { code: 'W_REMOTE_OFFLINE', message, hint, effect: 'warning', details: [message] };
}
