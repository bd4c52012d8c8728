/** The coded errors of the HeyGen provider. Messages are redacted before they get here. */
import { HeygenBuildError, type ErrorCode } from '../../errors.js';

/** What HeyGen said about a failed request, kept on the error for messages and for deciding whether to retry. */
export interface HeygenApiErrorDetails {
  hint?: string;
  httpStatus?: number;
  /** HeyGen's own error code (`insufficient_credit`, `40009`, …). */
  heygenCode?: string;
  /** The request field HeyGen blamed, when it said. */
  param?: string;
  /** Already sanitized: never a raw network error (those can carry request data). */
  cause?: Error;
  /** Node's code for a request that got no HTTP answer (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, …). */
  netCode?: string;
  /** Where the request went (scheme, host and port; redacted), for a request HeyGen never answered usefully. */
  origin?: string;
}

/** A HeyGen API failure as a coded user error, carrying the HTTP status and HeyGen's own code when there is one. */
export class HeygenApiError extends HeygenBuildError {
  readonly httpStatus?: number;
  readonly heygenCode?: string;
  readonly param?: string;
  readonly netCode?: string;
  readonly origin?: string;

  constructor(code: ErrorCode, message: string, details: HeygenApiErrorDetails = {}) {
    super(code, message, { hint: details.hint, cause: details.cause });
    this.name = 'HeygenApiError';
    this.httpStatus = details.httpStatus;
    this.heygenCode = details.heygenCode;
    this.param = details.param;
    this.netCode = details.netCode;
    this.origin = details.origin;
  }
}

/**
 * What to check when no connection could be made at all (refused, unknown host): more often a wrong
 * address or no network than an outage. Each command adds what to do next.
 */
export function unreachableCheck(origin: string): string {
  return `nothing answered at ${origin}: check the network and any proxy (HTTPS_PROXY), and HEYGEN_API_BASE_URL / HEYGEN_UPLOAD_BASE_URL (or heygen.baseUrl) if set; pointed at the emulator, start it first (\`heygen-build emulator --port <port>\`)`;
}

/** The fix-it hints for HeyGen failures, shared so each kind of failure gives the same advice wherever it happens. */
export const HINTS = {
  auth: 'check HEYGEN_API_KEY: it is missing, mistyped or revoked (find your key at app.heygen.com > Settings > API)',
  credits: 'your HeyGen account is out of credits for this: top up or change plan; `heygen-build plan` shows the estimated cost first',
  forbidden: 'this API key or plan has no access to this feature (video translation needs a Scale or Enterprise plan)',
  uncertain:
    "HeyGen may have accepted the request and may be rendering it: check app.heygen.com before building again, or use heygen.api: 'v3' (its requests carry an Idempotency-Key and retry safely)",
  rateLimited: 'HeyGen kept answering 429 (too many requests or concurrent jobs): lower heygen.concurrency or try later',
  unavailable: 'HeyGen could not be reached or kept failing: try again later (a rerun resumes where this one stopped)',
  /** No connection could be made at all (refused, unknown host): more often a wrong address or no network than an outage. */
  unreachable: (origin: string): string => `${unreachableCheck(origin)}. The request was never sent: a rerun resumes where this one stopped`,
  rejected: 'HeyGen rejected the request as invalid: check the field it names',
} as const;
