/**
 * HeyGen's three response styles. v1: `{code: 100, data, message}`; v2: `{error: null, data}`;
 * v3: `{data}` on success and `{error: {code, message, param?, doc_url}}` with a 4xx/5xx status.
 */

export type ApiStyle = 'v1' | 'v2' | 'v3';

const DOC_URL = 'https://developers.heygen.com/docs/error-codes';

/** An error a handler throws; the server writes it in the endpoint's envelope style. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** v3 error codes seen in HeyGen's CLI, by HTTP status. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'validation_error';
    case 401:
      return 'unauthorized';
    case 402:
      return 'insufficient_credit';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limit_exceeded';
    default:
      return 'internal_error';
  }
}

/**
 * Legacy numeric codes: 40009 bad credentials, 40001 missing parameter and 400175 invalid
 * parameter are documented; the rest are status * 100 (our choice, undocumented upstream).
 */
function legacyCode(err: ApiError): number {
  if (err.status === 401) return 40009;
  if (err.status === 400) return err.code === 'missing_parameter' ? 40001 : 400175;
  return err.status * 100;
}

/** An error answer in the envelope the given API style uses, so clients see errors shaped as HeyGen's. */
export function errorBody(style: ApiStyle, err: ApiError): unknown {
  switch (style) {
    case 'v3': {
      const error: Record<string, string> = { code: err.code, message: err.message };
      if (err.param !== undefined) error.param = err.param;
      error.doc_url = DOC_URL;
      return { error };
    }
    case 'v2':
      return { error: { code: err.code, message: err.message }, data: null };
    case 'v1':
      return { code: legacyCode(err), data: null, message: err.message };
  }
}

/** A successful answer wrapped in the envelope the given API style uses. */
export function okBody(style: ApiStyle, data: unknown): unknown {
  switch (style) {
    case 'v3':
      return { data };
    case 'v2':
      return { error: null, data };
    case 'v1':
      return { code: 100, data, message: 'Success' };
  }
}

/** The envelope style of a path: by its version prefix, v3 for anything else. */
export function styleOf(path: string): ApiStyle {
  if (path.startsWith('/v1/')) return 'v1';
  if (path.startsWith('/v2/')) return 'v2';
  return 'v3';
}
