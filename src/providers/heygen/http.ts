/**
 * HTTP to HeyGen (node's own, transport.ts) with every fault handled in one place:
 * - 429: wait for Retry-After (seconds or HTTP date, never capped), else full-jitter backoff; any method.
 * - 5xx, resets, timeouts: full-jitter backoff, but a POST only when it carries an Idempotency-Key
 *   (or is marked repeatable): otherwise it may have been accepted, and repeating it could pay twice.
 * - 409 request_in_progress: the same key is still being processed; wait and ask again with it.
 * - 401/402/403: thrown at once, no retry (a retry storm cannot fix a key or a balance).
 * The API key never appears in anything thrown: every message is redacted.
 */
import type { Readable } from 'node:stream';
import { readText, Transport } from './transport.js';
import { neverSent } from './outage-cause.js';
import { proxySecrets } from '../../util/proxy.js';
import { DEFAULT_BACKOFF, fullJitter, parseRetryAfter, realSleep, serverNow, throwIfAborted, type BackoffPolicy, type Sleep } from './backoff.js';
import { parseEnvelope, type Envelope } from './envelope.js';
import { HINTS, HeygenApiError } from './errors.js';
import { describeError, redact } from './redact.js';
import { linkSignal } from '../../util/abort.js';

/** What the onRequest hook sees of a request: never the API key, which travels only in a header. */
export interface RequestInfo {
  method: string;
  /** Path and query, with a base URL's query secrets redacted (the key travels in a header). */
  path: string;
  attempt: number;
  status?: number;
  error?: string;
}

/** How the HTTP client authenticates, retries and times out; the defaults suit HeyGen's API. */
export interface HttpClientOptions {
  apiKey: string;
  /** Attempts for 5xx, network errors and timeouts (default 6). */
  maxAttempts?: number;
  /** Waits for 429 and 409 request_in_progress before giving up (default 30). */
  maxWaits?: number;
  sleep?: Sleep;
  /** The clock used to read Retry-After dates. */
  now?: () => number;
  backoff?: Partial<BackoffPolicy>;
  /** Per-request timeout for the headers and for each pause in the body (default 60 s). */
  requestTimeoutMs?: number;
  onRequest?: (info: RequestInfo) => void;
  /** Connections to reuse (default: the client's own, closed by `close()`). */
  transport?: Transport;
  /** Config `webhook.url`: added as `callback_url` to every POST body that carries a `callback_id` (see withCallback). */
  callbackUrl?: string;
  /**
   * More text never to show besides the key: the configured base URLs' userinfo and query (a gateway's
   * credentials, util/url-secrets.ts), which would otherwise ride along in every request's path.
   */
  secrets?: readonly string[];
}

/**
 * A JSON body with `callback_url` added when a webhook is configured and the body names its job with a
 * `callback_id`: exactly HeyGen's paid requests (renders, clips, templates, translations, proofread
 * generation), whichever adapter builds them. Only the request changes: content keys hash the manifest,
 * never a body, so adding a webhook re-renders nothing.
 */
export function withCallback(json: unknown, callbackUrl: string | undefined): unknown {
  if (callbackUrl === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const body = json as Record<string, unknown>;
  return typeof body.callback_id === 'string' && body.callback_url === undefined ? { ...body, callback_url: callbackUrl } : json;
}

/** A request body sent as is (an upload), rather than as JSON. */
export interface RawBody {
  body: Readable | Buffer | string;
  contentType: string;
  contentLength?: number;
}

/** One HeyGen API request: method, URL, and a JSON or raw body. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  json?: unknown;
  /** A fresh body per attempt (streams cannot be replayed). */
  body?: () => RawBody | Promise<RawBody>;
  idempotencyKey?: string;
  /**
   * Attempts for 5xx, network errors and timeouts, for this request (default: the client's `maxAttempts`).
   * A poller's status reads take fewer: the poller asks again itself, with its own backoff.
   */
  attempts?: number;
  /** The request may be repeated without harm (an asset upload: a duplicate costs nothing; a webhook endpoint's DELETE). */
  repeatable?: boolean;
  signal?: AbortSignal;
}

/** A decoded HeyGen answer: the `data` envelope's content and the whole body. */
export interface HttpResult {
  data: unknown;
  /** The whole decoded body (for list cursors like `has_more`/`next_token`). */
  body: unknown;
  status: number;
}

type Outcome =
  | { kind: 'done'; result: HttpResult }
  | { kind: 'wait'; reason: string; retryAfterMs?: number; inProgress?: boolean }
  | { kind: 'transient'; reason: string; status?: number; notSent?: boolean; netCode?: string; retryAfterMs?: number; cause?: Error }
  | { kind: 'fatal'; error: HeygenApiError };

/**
 * The one way the build talks to HeyGen: authenticated JSON requests with timeouts, jittered retries and coded errors.
 */
export class HttpClient {
  private readonly opts: Required<Omit<HttpClientOptions, 'onRequest' | 'transport' | 'backoff' | 'callbackUrl' | 'secrets'>> & Pick<HttpClientOptions, 'onRequest' | 'callbackUrl'>;
  /** The API key and `secrets`: redacted from everything thrown or reported. */
  private readonly secrets: readonly string[];
  private readonly policy: BackoffPolicy;
  private readonly transport: Transport;
  private readonly ownsTransport: boolean;
  private count = 0;

  constructor(options: HttpClientOptions) {
    this.opts = {
      apiKey: options.apiKey,
      maxAttempts: options.maxAttempts ?? 6,
      maxWaits: options.maxWaits ?? 30,
      sleep: options.sleep ?? realSleep,
      now: options.now ?? Date.now,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      onRequest: options.onRequest,
      callbackUrl: options.callbackUrl,
    };
    this.policy = { ...DEFAULT_BACKOFF, ...options.backoff };
    // A proxy's user:password (HTTPS_PROXY=http://user:pass@proxy:3128) is never shown either.
    this.secrets = [options.apiKey, ...(options.secrets ?? []), ...proxySecrets()];
    this.ownsTransport = options.transport === undefined;
    this.transport = options.transport ?? new Transport();
  }

  /** Requests sent so far (every attempt counts). */
  get requestCount(): number {
    return this.count;
  }

  close(): Promise<void> {
    if (this.ownsTransport) this.transport.close();
    return Promise.resolve();
  }

  /** Redacts the API key (and any extra secrets) from a text. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  async send(req: HttpRequest): Promise<HttpResult> {
    // Requests, their retries and their waits listen on a child of the caller's signal: many requests
    // share one build signal, and each listening on it directly made node warn (src/util/abort.ts).
    const link = linkSignal(req.signal);
    try {
      return await this.sendOnce(link.signal === undefined ? req : { ...req, signal: link.signal });
    } catch (err) {
      // Belt and braces: every message is built from redacted parts, and scrubbed again here.
      if (err instanceof HeygenApiError) {
        err.message = this.redact(err.message);
        if (err.stack) err.stack = this.redact(err.stack);
      }
      throw err;
    } finally {
      link.release();
    }
  }

  private async sendOnce(req: HttpRequest): Promise<HttpResult> {
    const what = `${req.method} ${this.redact(pathOf(req.url))}`;
    // Only these may be repeated after a 5xx, a reset or a timeout.
    const safe = req.method === 'GET' || req.idempotencyKey !== undefined || req.repeatable === true;
    let failures = 0;
    let waits = 0;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(req.signal);
      const outcome = await this.attempt(req, what, attempt);
      if (outcome.kind === 'done') return outcome.result;
      if (outcome.kind === 'fatal') throw outcome.error;

      if (outcome.kind === 'wait') {
        waits++;
        if (waits > this.opts.maxWaits) {
          throw new HeygenApiError('E_HEYGEN_RATE_LIMITED', `${what}: ${outcome.reason}, still after ${waits} waits`, {
            hint: HINTS.rateLimited,
            httpStatus: outcome.inProgress ? 409 : 429,
          });
        }
        await this.opts.sleep(this.waitDelay(outcome, waits), req.signal);
        continue;
      }

      // transient
      if (!safe && !outcome.notSent) {
        throw new HeygenApiError(
          'E_HEYGEN_UNCERTAIN',
          `${what}: ${outcome.reason}; the request may have been accepted by HeyGen, so it was not repeated`,
          { hint: HINTS.uncertain, httpStatus: outcome.status, cause: outcome.cause },
        );
      }
      failures++;
      if (failures >= (req.attempts ?? this.opts.maxAttempts)) {
        const origin = this.redact(new URL(req.url).origin);
        throw new HeygenApiError('E_HEYGEN_UNAVAILABLE', `${what}: ${outcome.reason} (gave up after ${failures} attempts)`, {
          hint: outcome.notSent ? HINTS.unreachable(origin) : HINTS.unavailable,
          httpStatus: outcome.status,
          cause: outcome.cause,
          origin,
          ...(outcome.netCode !== undefined ? { netCode: outcome.netCode } : {}),
        });
      }
      const jitter = fullJitter(failures - 1, this.policy);
      await this.opts.sleep(Math.max(jitter, outcome.retryAfterMs ?? 0), req.signal);
    }
  }

  private waitDelay(outcome: Extract<Outcome, { kind: 'wait' }>, waits: number): number {
    if (outcome.retryAfterMs !== undefined) {
      // Never before Retry-After; a little spread after it so waiting clients do not return in lockstep.
      return outcome.retryAfterMs + Math.floor(this.policy.random() * Math.min(1000, outcome.retryAfterMs * 0.1));
    }
    if (outcome.inProgress) {
      // "Equal jitter": the first request is still running; asking again at once is pointless.
      const ceiling = Math.min(this.policy.capMs, this.policy.baseMs * 2 ** Math.min(waits, 30));
      return Math.floor(ceiling / 2 + this.policy.random() * (ceiling / 2));
    }
    return fullJitter(waits - 1, this.policy);
  }

  private async attempt(req: HttpRequest, what: string, attempt: number): Promise<Outcome> {
    const headers: Record<string, string> = {
      'x-api-key': this.opts.apiKey,
      accept: 'application/json',
      'user-agent': 'heygen-build',
    };
    if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
    let body: Readable | Buffer | string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.method === 'POST' ? withCallback(req.json, this.opts.callbackUrl) : req.json);
      headers['content-type'] = 'application/json';
    } else if (req.body) {
      const raw = await req.body();
      body = raw.body;
      headers['content-type'] = raw.contentType;
      if (raw.contentLength !== undefined) headers['content-length'] = String(raw.contentLength);
    }

    this.count++;
    const info: RequestInfo = { method: req.method, path: this.redact(pathOf(req.url)), attempt };
    let status: number;
    let text: string;
    let retryAfter: string | string[] | undefined;
    let serverDate: string | string[] | undefined;
    try {
      const res = await this.transport.request({ url: req.url, method: req.method, headers, body, signal: req.signal, timeoutMs: this.opts.requestTimeoutMs });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      serverDate = res.headers.date;
      text = await readText(res);
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      const code = (err as { code?: unknown }).code;
      const reason = describeError(err, this.secrets);
      info.error = reason;
      this.opts.onRequest?.(info);
      return {
        kind: 'transient',
        reason: `network error: ${reason}`,
        notSent: neverSent(code),
        ...(typeof code === 'string' ? { netCode: code } : {}),
        cause: new Error(reason),
      };
    }
    info.status = status;
    this.opts.onRequest?.(info);

    let decoded: unknown;
    try {
      decoded = text === '' ? undefined : JSON.parse(text);
    } catch {
      decoded = undefined;
    }
    const env = parseEnvelope(status, decoded);
    if (env.ok) return { kind: 'done', result: { data: env.data, body: decoded, status } };
    return this.classify(env, status, what, retryAfter, serverDate);
  }

  private classify(raw: Extract<Envelope, { ok: false }>, status: number, what: string, retryAfter: string | string[] | undefined, serverDate?: string | string[]): Outcome {
    const message = this.redact(raw.message);
    const env: Extract<Envelope, { ok: false }> = { ...raw, code: this.redact(raw.code), message, ...(raw.param !== undefined ? { param: this.redact(raw.param) } : {}) };
    const retryAfterMs = parseRetryAfter(retryAfter, serverNow(serverDate, this.opts.now()));
    if (status === 429) return { kind: 'wait', reason: `rate limited (429 ${env.code})`, retryAfterMs };
    if (status === 409 && /request_in_progress/i.test(`${env.code} ${env.message}`)) {
      return { kind: 'wait', reason: 'the same request is still in progress (409)', retryAfterMs, inProgress: true };
    }
    // A body without a message gives `HTTP 502` as the message: say it once.
    const reason = message === `HTTP ${status}` ? message : `HTTP ${status} ${message}`;
    if (status >= 500 || status === 408) return { kind: 'transient', reason, status, retryAfterMs };
    if (status < 400 && env.code === 'bad_response') {
      return { kind: 'transient', reason: `unreadable answer: ${message}`, status };
    }
    return { kind: 'fatal', error: this.fatal(env, status, what, message) };
  }

  private fatal(env: Extract<Envelope, { ok: false }>, status: number, what: string, message: string): HeygenApiError {
    const details = { httpStatus: status, heygenCode: env.code, param: env.param };
    const code = `${env.code}`.toLowerCase();
    // v1 answers errors with HTTP 200 and a numeric code; 40009 is its "bad credentials".
    if (status === 401 || code === 'unauthorized' || code === '40009') {
      return new HeygenApiError('E_HEYGEN_AUTH', `${what}: HeyGen refused the API key (${message})`, { ...details, hint: HINTS.auth });
    }
    if (status === 402 || code === 'insufficient_credit') {
      return new HeygenApiError('E_HEYGEN_CREDITS', `${what}: out of credits (${message})`, { ...details, hint: HINTS.credits });
    }
    if (status === 403 || code === 'forbidden') {
      return new HeygenApiError('E_HEYGEN_FORBIDDEN', `${what}: not allowed for this key or plan (${message})`, {
        ...details,
        hint: HINTS.forbidden,
      });
    }
    if (status === 400 || status < 400) {
      const param = details.param ? ` [${details.param}]` : '';
      return new HeygenApiError('E_HEYGEN_REJECTED', `${what}: HeyGen rejected the request${param}: ${message}`, {
        ...details,
        hint: HINTS.rejected,
      });
    }
    return new HeygenApiError('E_HEYGEN_HTTP', `${what}: HTTP ${status} ${env.code}: ${message}`, details);
  }
}

function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
