/**
 * HeyGen answers in three envelope styles, all still in use (reference §1):
 *   v1  {code: 100, data, message}           code != 100 is an error
 *   v2  {error: null | string | object, data} a non-null error is an error
 *   v3  {data} on 2xx, {error: {code, message, param}} with a 4xx/5xx status
 * One parser for all of them, so callers only see ok/not-ok.
 */

export type Envelope =
  | { ok: true; data: unknown; httpStatus: number }
  | { ok: false; code: string; message: string; httpStatus: number; param?: string };

/** The v1 success code. */
const V1_OK = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Reads `{code, message, param}` from a v2/v3 error value (string or object). */
function errorFields(error: unknown): { code?: string; message?: string; param?: string } {
  if (typeof error === 'string') return { message: error };
  if (isRecord(error)) {
    return {
      code: str(error.code) ?? str(error.type),
      message: str(error.message) ?? str(error.msg) ?? str(error.detail),
      param: str(error.param),
    };
  }
  return {};
}

/** The usual name of a status when the body says nothing useful. */
function statusWord(status: number): string {
  if (status === 400) return 'invalid_request';
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'insufficient_credit';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return `http_${status}`;
}

/**
 * Parses a decoded JSON body (or `undefined` when the body was not JSON) with its HTTP status.
 * A 4xx/5xx is never ok, whatever the body says.
 */
export function parseEnvelope(httpStatus: number, body: unknown): Envelope {
  const failed = httpStatus >= 400;
  if (!isRecord(body)) {
    if (failed) return { ok: false, code: statusWord(httpStatus), message: `HTTP ${httpStatus}`, httpStatus };
    return { ok: false, code: 'bad_response', message: 'the response was not a JSON object', httpStatus };
  }

  // v1: a numeric top-level `code`.
  if (typeof body.code === 'number') {
    if (body.code === V1_OK && !failed) return { ok: true, data: body.data, httpStatus };
    const nested = errorFields(body.error);
    return {
      ok: false,
      code: String(body.code === V1_OK ? statusWord(httpStatus) : body.code),
      message: str(body.message) ?? str(body.msg) ?? nested.message ?? `HTTP ${httpStatus}`,
      httpStatus,
    };
  }

  // v2/v3: an `error` member, null on success in v2.
  if ('error' in body && body.error !== null && body.error !== undefined && body.error !== '') {
    const e = errorFields(body.error);
    const out: Envelope = {
      ok: false,
      code: e.code ?? statusWord(httpStatus),
      message: e.message ?? str(body.message) ?? `HTTP ${httpStatus}`,
      httpStatus,
    };
    if (e.param !== undefined) out.param = e.param;
    return out;
  }

  if (failed) {
    return {
      ok: false,
      code: str(body.code) ?? statusWord(httpStatus),
      message: str(body.message) ?? `HTTP ${httpStatus}`,
      httpStatus,
    };
  }
  if (!('data' in body)) return { ok: false, code: 'bad_response', message: 'the response has no "data"', httpStatus };
  return { ok: true, data: body.data, httpStatus };
}
