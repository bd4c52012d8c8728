/**
 * Why HeyGen could not be used, in words, from the error the HTTP client gave up with (http.ts): no
 * connection at all (refused, unknown host: more often a wrong address or no network than an outage),
 * silence, a dropped connection, 5xx answers, or 429s. A build's hint only tells apart whether the
 * request was sent; `status` and `webhooks`, which resume nothing, word their message and hint from this.
 */
import type { HeygenBuildError } from '../../errors.js';
import { HeygenApiError, unreachableCheck } from './errors.js';
import { CONNECT_TIMEOUT, SOCKET_TIMEOUT } from './transport.js';

/** Node's codes for a connection never made, in words: the request never left, so repeating it is always safe. */
const NO_CONNECTION: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  [CONNECT_TIMEOUT]: 'connection timed out',
};

/** Whether a network error's `code` says no connection was made (the request was never sent). */
export function neverSent(code: unknown): code is string {
  return typeof code === 'string' && Object.hasOwn(NO_CONNECTION, code);
}

/** What kept HeyGen from answering. */
export interface OutageCause {
  /**
   * `unreachable`: no connection (the request never left); `timeout`: connected, then silent;
   * `dropped`: the connection broke; `http`: error answers (5xx); `busy`: 429s (or 409s) outlasting the waits.
   */
  kind: 'unreachable' | 'timeout' | 'dropped' | 'http' | 'busy';
  /** `connection refused`, `unknown host`, `no answer in time`, `answered with 5xx errors`, … */
  words: string;
  /** The address asked, when known (redacted). */
  origin?: string;
}

/** The cause of an E_HEYGEN_UNAVAILABLE or E_HEYGEN_RATE_LIMITED error. */
export function outageCause(e: HeygenBuildError): OutageCause {
  const { netCode, origin, httpStatus } = e instanceof HeygenApiError ? e : ({} as Partial<HeygenApiError>);
  const at = origin !== undefined ? { origin } : {};
  if (e.code === 'E_HEYGEN_RATE_LIMITED') {
    return { kind: 'busy', words: httpStatus === 409 ? 'kept answering 409 (the same request still in progress)' : 'kept answering 429 (too many requests)', ...at };
  }
  if (neverSent(netCode)) return { kind: 'unreachable', words: NO_CONNECTION[netCode]!, ...at };
  if (netCode === SOCKET_TIMEOUT) return { kind: 'timeout', words: 'no answer in time', ...at };
  if (httpStatus !== undefined) {
    return { kind: 'http', words: httpStatus >= 500 ? 'answered with 5xx errors' : httpStatus === 408 ? 'answered 408 (request timeout)' : 'gave answers that could not be read', ...at };
  }
  return { kind: 'dropped', words: 'connection dropped', ...at };
}

/**
 * The start of a message about an outage: `HeyGen could not be reached at http://127.0.0.1:1: connection
 * refused` when no answer came, `HeyGen answered with 5xx errors` when answers did.
 */
export function outageHeadline(c: OutageCause): string {
  if (c.kind === 'http' || c.kind === 'busy') return `HeyGen ${c.words}`;
  return `HeyGen could not be reached${c.origin !== undefined ? ` at ${c.origin}` : ''}: ${c.words}`;
}

/**
 * The hint of a command that only asks HeyGen and resumes nothing (`status`, `webhooks`): what to
 * check, or when to ask again. `again` is the command to run again.
 */
export function askAgainHint(c: OutageCause, again: string): string {
  switch (c.kind) {
    case 'unreachable':
      return `${unreachableCheck(c.origin ?? 'the HeyGen address')}; then run \`${again}\` again`;
    case 'timeout':
      return `HeyGen did not answer in time: on a slow link, \`--timeout 1m\` waits longer for each answer; else run \`${again}\` again later`;
    case 'busy':
      return `HeyGen is busy (too many requests or concurrent jobs): run \`${again}\` again in a minute`;
    case 'http':
    case 'dropped':
      return `HeyGen is failing on its side for now (an outage): run \`${again}\` again later`;
  }
}
