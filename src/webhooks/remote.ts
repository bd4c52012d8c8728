/**
 * The few HeyGen calls `status` and `webhooks` make, none of them paid: bulk statuses of videos and of
 * translations (up to 100 ids a request, never a per-job GET), and the webhook endpoints API.
 */
import { HeygenBuildError } from '../errors.js';
import { sha256Hex } from '../hash/canonical.js';
import type { ResolvedConfig } from '../model/config.js';
import { HeygenApiError } from '../providers/heygen/errors.js';
import { HttpClient, type RequestInfo } from '../providers/heygen/http.js';
import { extractFailure, normalizeVideoStatus, type RemoteStatus } from '../providers/heygen/status.js';
import { urlSecrets } from '../util/url-secrets.js';

/** Ids per bulk status request (HeyGen's limit). */
export const STATUS_CHUNK = 100;

/** One job's state as a bulk status answer gives it. */
export interface BulkStatus {
  status: RemoteStatus;
  error?: { code?: string; message: string };
}

/** A registered webhook endpoint, as HeyGen lists it (never with its secret). */
export interface WebhookEndpoint {
  endpointId: string;
  url: string;
  events: string[] | null;
  status: string;
  createdAt: string;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * How long these interactive calls wait: a request may be silent this long, and is made this many times.
 * A build's HTTP client waits 60 s six times, for a paid job it must not lose; `status` is someone at a
 * terminal (or a CI step) who wants an answer, so against a HeyGen that accepts connections and never
 * answers it gives up after about 30 s (and `status` prints the lockfile's states, W_STATUS_STALE).
 */
export const REMOTE_TIMEOUT_MS = 15_000;
/** How many times a status or webhooks request is made before HeyGen counts as unreachable (see REMOTE_TIMEOUT_MS). */
export const REMOTE_ATTEMPTS = 2;

/** Overrides of REMOTE_TIMEOUT_MS and REMOTE_ATTEMPTS. */
export interface RemoteApiOptions {
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

/** Free HeyGen calls for status and webhooks; close it when done. */
export class RemoteApi {
  private readonly http: HttpClient;
  private readonly base: string;
  /** Every attempt sent, and how it ended (deleteEndpoint reads its own). */
  private readonly sent: RequestInfo[] = [];
  /** SHA-256 of the API key (hex): tells accounts apart in an Idempotency-Key without being the key. */
  readonly keyDigest: string;

  constructor(config: ResolvedConfig, opts: RemoteApiOptions = {}) {
    const apiKey = config.heygen.apiKey;
    if (!apiKey) {
      throw new HeygenBuildError('E_NO_API_KEY', 'asking HeyGen needs an API key, and HEYGEN_API_KEY is not set', {
        hint: 'export HEYGEN_API_KEY=... (or put it in .env; find your key at app.heygen.com > Settings > API)',
      });
    }
    this.http = new HttpClient({
      apiKey,
      maxAttempts: opts.maxAttempts ?? REMOTE_ATTEMPTS,
      requestTimeoutMs: opts.requestTimeoutMs ?? REMOTE_TIMEOUT_MS,
      secrets: urlSecrets(config.heygen.baseUrl),
      onRequest: (info) => void this.sent.push(info),
    });
    this.base = config.heygen.baseUrl.replace(/\/+$/, '');
    this.keyDigest = sha256Hex(apiKey);
  }

  /** HTTP requests sent so far. */
  get requests(): number {
    return this.http.requestCount;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Statuses of videos (renders and scene clips) by id: `GET /v3/videos/statuses`. */
  videoStatuses(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, BulkStatus>> {
    return this.bulk('/v3/videos/statuses', 'video_ids', ids, signal);
  }

  /** Statuses of translations by id: `GET /v3/video-translations/statuses` (entries carry the id as video_id). */
  translationStatuses(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, BulkStatus>> {
    return this.bulk('/v3/video-translations/statuses', 'video_translation_ids', ids, signal);
  }

  private async bulk(path: string, param: string, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, BulkStatus>> {
    const out = new Map<string, BulkStatus>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += STATUS_CHUNK) {
      const chunk = unique.slice(i, i + STATUS_CHUNK);
      let token: string | undefined;
      do {
        const query = `${param}=${chunk.map(encodeURIComponent).join(',')}${token ? `&token=${encodeURIComponent(token)}` : ''}`;
        const { data, body } = await this.http.send({ method: 'GET', url: `${this.base}${path}?${query}`, signal });
        for (const item of Array.isArray(data) ? data : []) {
          const d = obj(item);
          const id = str(d.video_id);
          if (id === undefined) continue;
          const status = normalizeVideoStatus(d.status);
          const error = status === 'failed' ? (extractFailure(d) ?? { message: 'failed' }) : undefined;
          out.set(id, error ? { status, error } : { status });
        }
        const page = obj(body);
        token = page.has_more === true ? str(page.next_token) : undefined;
      } while (token !== undefined);
    }
    return out;
  }

  /**
   * `POST /v3/webhooks/endpoints` with `idempotencyKey`: the endpoint and its signing secret. The key
   * makes it retried like a read (5xx, resets, timeouts; 409 request_in_progress waited out): HeyGen
   * answers a repeat with the first answer, so a retry never registers a second endpoint.
   */
  async createEndpoint(url: string, events: string[] | undefined, idempotencyKey: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const { data } = await this.http.send({
      method: 'POST',
      url: `${this.base}/v3/webhooks/endpoints`,
      json: events && events.length > 0 ? { url, events } : { url },
      idempotencyKey,
    });
    const secret = str(obj(data).secret);
    if (!secret) throw new HeygenBuildError('E_HEYGEN_BAD_RESPONSE', 'HeyGen created the endpoint but sent no signing secret');
    return { endpoint: endpointOf(data), secret };
  }

  /** Every registered endpoint (following the cursor). */
  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const out: WebhookEndpoint[] = [];
    let token: string | undefined;
    do {
      const { data, body } = await this.http.send({ method: 'GET', url: `${this.base}/v3/webhooks/endpoints?limit=100${token ? `&token=${encodeURIComponent(token)}` : ''}` });
      for (const e of Array.isArray(data) ? data : []) out.push(endpointOf(e));
      const page = obj(body);
      token = page.has_more === true ? str(page.next_token) : undefined;
    } while (token !== undefined);
    return out;
  }

  /**
   * `DELETE /v3/webhooks/endpoints/{id}`, retried on 5xx, resets and timeouts like a GET: deleting an
   * endpoint twice leaves HeyGen as deleting it once does, and costs nothing. An attempt left unanswered
   * may have deleted it, so a 404 after one is `gone` (deleted, by that attempt), not "no such endpoint".
   */
  async deleteEndpoint(id: string): Promise<'deleted' | 'gone'> {
    const from = this.sent.length;
    try {
      await this.http.send({ method: 'DELETE', url: `${this.base}/v3/webhooks/endpoints/${encodeURIComponent(id)}`, repeatable: true });
      return 'deleted';
    } catch (e) {
      const unanswered = this.sent.slice(from, -1).some((a) => a.status === undefined || a.status >= 500 || a.status === 408);
      if (e instanceof HeygenApiError && e.httpStatus === 404 && unanswered) return 'gone';
      throw e;
    }
  }
}

function endpointOf(raw: unknown): WebhookEndpoint {
  const d = obj(raw);
  return {
    endpointId: str(d.endpoint_id) ?? '',
    url: str(d.url) ?? '',
    events: Array.isArray(d.events) ? d.events.filter((e): e is string => typeof e === 'string') : null,
    status: str(d.status) ?? '',
    createdAt: str(d.created_at) ?? '',
  };
}
