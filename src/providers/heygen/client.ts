/**
 * The HeyGen client the executor uses: one interface (client-types.ts), a v3 and a v2 adapter behind it.
 * Everything about HTTP faults lives in http.ts; everything about body shapes in map-*.ts.
 */
import type { AdapterContext, HeygenClient } from './client-types.js';
import { HINTS, HeygenApiError } from './errors.js';
import { HttpClient, type HttpClientOptions } from './http.js';
import { createV2Client } from './v2.js';
import { createV3Client } from './v3.js';
import { urlSecrets } from '../../util/url-secrets.js';

/** The HTTP behaviour (key, retries, clock, timeouts) plus which API and where. */
export interface HeygenClientOptions extends HttpClientOptions {
  api: 'v3' | 'v2';
  baseUrl: string;
  /** v1 asset uploads go here (`https://upload.heygen.com`); v3 uploads use `baseUrl`. */
  uploadBaseUrl: string;
  /** v3: files larger than this go through a direct upload (default 32 MB). */
  directUploadAbove?: number;
}

/** Creates the HeyGen client for the configured API version; throws E_HEYGEN_AUTH when no API key is given. */
export function createHeygenClient(opts: HeygenClientOptions): HeygenClient {
  if (!opts.apiKey || opts.apiKey.trim() === '') {
    throw new HeygenApiError('E_HEYGEN_AUTH', 'no HeyGen API key was given', { hint: HINTS.auth });
  }
  const http = new HttpClient({
    apiKey: opts.apiKey,
    maxAttempts: opts.maxAttempts,
    maxWaits: opts.maxWaits,
    sleep: opts.sleep,
    now: opts.now,
    backoff: opts.backoff,
    requestTimeoutMs: opts.requestTimeoutMs,
    onRequest: opts.onRequest,
    transport: opts.transport,
    secrets: [...urlSecrets(opts.baseUrl), ...urlSecrets(opts.uploadBaseUrl)],
    ...(opts.callbackUrl !== undefined ? { callbackUrl: opts.callbackUrl } : {}),
  });
  const ctx: AdapterContext = {
    http,
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    uploadBaseUrl: opts.uploadBaseUrl.replace(/\/+$/, ''),
    ...(opts.directUploadAbove !== undefined ? { directUploadAbove: opts.directUploadAbove } : {}),
  };
  return opts.api === 'v2' ? createV2Client(ctx) : createV3Client(ctx);
}
