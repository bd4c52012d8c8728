/**
 * Picking the request faults for one request. Each fault is consumed as it fires (count - 1,
 * removed at 0), so a test that sets `count: 2` sees exactly two faulty answers.
 */
import type { FaultName, Faults } from './types.js';

/** RegExp test without the `lastIndex` state a /g or /y flag would carry between calls. */
export function matches(re: RegExp, path: string): boolean {
  return path.search(re) !== -1;
}

/** Request faults fire on API paths unless `paths` says otherwise, and on every method unless `method` does. */
function applies(fault: { count: number; paths?: RegExp; method?: string } | undefined, path: string, isFile: boolean, method?: string): boolean {
  if (!fault || !(fault.count > 0)) return false;
  if (fault.method !== undefined && fault.method !== method) return false;
  return fault.paths ? matches(fault.paths, path) : !isFile;
}

function consume(faults: Faults, name: FaultName): void {
  const fault = faults[name] as { count: number } | undefined;
  if (fault && --fault.count <= 0) delete faults[name];
}

/** A fault injected into one request: a dropped connection, a rate limit, or an auth/credit/permission error status. */
export type RequestFault =
  | { name: 'dropConnection'; afterProcessing: boolean }
  | { name: 'rateLimit'; retryAfter: number | string }
  | { name: 'httpStatus'; status: 401 | 402 | 403 }
  | { name: 'serverError'; status: 500 | 502 | 503 };

/** The one answer-replacing fault this request gets, if any (see `Faults` for precedence). */
export function takeRequestFault(faults: Faults, path: string, isFile: boolean, method?: string): RequestFault | undefined {
  const drop = faults.dropConnection;
  if (applies(drop, path, isFile, method)) {
    const afterProcessing = drop?.afterProcessing === true;
    consume(faults, 'dropConnection');
    return { name: 'dropConnection', afterProcessing };
  }
  const rate = faults.rateLimit;
  if (applies(rate, path, isFile)) {
    consume(faults, 'rateLimit');
    return { name: 'rateLimit', retryAfter: rate?.retryAfter ?? 1 };
  }
  const status = faults.httpStatus;
  if (applies(status, path, isFile)) {
    consume(faults, 'httpStatus');
    return { name: 'httpStatus', status: status?.status ?? 403 };
  }
  const server = faults.serverError;
  if (applies(server, path, isFile)) {
    consume(faults, 'serverError');
    return { name: 'serverError', status: server?.status ?? 500 };
  }
  return undefined;
}

/** Extra delay from the `slow` fault (0 when it does not apply). */
export function takeSlow(faults: Faults, path: string, isFile: boolean): number {
  const slow = faults.slow;
  if (!applies(slow, path, isFile)) return 0;
  consume(faults, 'slow');
  return slow?.ms ?? 0;
}
