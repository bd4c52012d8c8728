/**
 * One request's way through the emulator: record -> fault -> latency -> (download host |
 * auth -> route -> idempotency -> handler) -> answer in the endpoint's envelope style.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx, Deps, Route } from './context.js';
import { ApiError, type ApiStyle, codeForStatus, errorBody, styleOf } from './envelopes.js';
import { type RequestFault, takeRequestFault, takeSlow } from './faults.js';
import { serveFile } from './files.js';
import { isPreviewPath, servePreview } from './previews.js';
import { handleUploadPut } from './uploads.js';
import { firstHeader, type Reply, sendReply, sleep } from './http-util.js';
import type { IdempotencyStore } from './idempotency.js';
import type { RecordedRequest } from './types.js';

/** The request pipeline's settings: the key to require, added latency, the routes and idempotency store. */
export interface PipelineOptions {
  apiKey: string;
  latencyMs: number;
  videoBytes: number | undefined;
  routes: Route[];
  idempotency: IdempotencyStore;
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (out['x-api-key'] !== undefined) out['x-api-key'] = '[redacted]';
  if (out.authorization !== undefined) out.authorization = out.authorization.replace(/^(\S+\s+).*/, '$1[redacted]');
  return out;
}

/** A fresh log record for a request, to be filled in as it is handled. */
export function newRecord(req: IncomingMessage, url: URL): RecordedRequest {
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: redactedHeaders(req),
    bodyBytes: 0,
    status: 0,
    at: Date.now(),
  };
}

function authorized(req: IncomingMessage, apiKey: string): boolean {
  if (firstHeader(req, 'x-api-key') === apiKey) return true;
  return firstHeader(req, 'authorization') === `Bearer ${apiKey}`;
}

const S3_FAULT_CODES: Record<number, string> = { 429: 'SlowDown', 503: 'SlowDown', 500: 'InternalError' };

function faultReply(fault: Exclude<RequestFault, { name: 'dropConnection' }>, style: ApiStyle, isFile: boolean): Reply {
  const status = fault.name === 'rateLimit' ? 429 : fault.status;
  const headers: Record<string, string> = {};
  if (fault.name === 'rateLimit') headers['Retry-After'] = String(fault.retryAfter);
  // Gateways in front of the API answer 502/503 with HTML, not with HeyGen's envelope.
  if (status === 502 || status === 503) {
    const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
    return { status, headers, raw: { contentType: 'text/html', text: `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>\n` } };
  }
  if (isFile) {
    const code = S3_FAULT_CODES[status] ?? 'AccessDenied';
    return { status, headers, raw: { contentType: 'application/xml', text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>` } };
  }
  const messages: Record<number, string> = {
    401: 'Invalid API key',
    402: 'Insufficient credits to complete this request',
    403: 'You do not have permission to access this resource',
    429: 'Too many requests; retry after the time in Retry-After',
    500: 'Internal server error',
  };
  const err = new ApiError(status, codeForStatus(status), messages[status] ?? 'Error');
  return { status, headers, body: errorBody(style, err) };
}

function errorReply(style: ApiStyle, err: unknown): Reply {
  const e = err instanceof ApiError ? err : new ApiError(500, 'internal_error', `Internal error: ${String(err)}`);
  return { status: e.status, headers: e.headers, body: errorBody(style, e) };
}

function send(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
  record.status = reply.status;
  if (!res.destroyed) sendReply(res, reply);
}

function drop(req: IncomingMessage, record: RecordedRequest): void {
  record.fault = 'dropConnection';
  record.status = 0;
  req.socket.destroy();
}

/** Runs one API request through the pipeline: faults, latency, authentication, routing, idempotency and the reply. */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  record: RecordedRequest,
  deps: Deps,
  opts: PipelineOptions,
): Promise<void> {
  const path = url.pathname;
  // The download host and the direct-upload host stand in for S3: no API key, XML errors.
  const isUpload = path.startsWith('/uploads/');
  const isFile = path.startsWith('/files/') || isUpload;
  const style = styleOf(path);
  const fault = takeRequestFault(deps.faults, path, isFile, req.method);
  const slow = takeSlow(deps.faults, path, isFile);
  if (slow > 0 && !fault) record.fault = 'slow';
  const pause = (): Promise<void> => sleep(opts.latencyMs + slow);

  if (fault?.name === 'dropConnection' && !fault.afterProcessing) return drop(req, record);
  if (fault && fault.name !== 'dropConnection') {
    record.fault = fault.name;
    await pause();
    return send(res, record, faultReply(fault, style, isFile));
  }
  if (isPreviewPath(path)) {
    await pause();
    return servePreview(res, path, record);
  }
  if (isFile) {
    await pause();
    if (fault?.name === 'dropConnection') return drop(req, record);
    if (isUpload) return handleUploadPut(req, res, url, record, deps);
    return serveFile(req, res, url, record, { ...deps, videoBytes: opts.videoBytes });
  }
  const { reply, handled } = await routeReply(req, url, record, deps, opts, style, pause);
  if (handled && fault?.name === 'dropConnection') return drop(req, record);
  send(res, record, reply);
}

/**
 * The reply to an API request that no fault took: 401 without the key, 404 without a route, at once
 * for an Idempotency-Key already seen (beginIdempotent), else the route's (`handled`). Each waits the
 * request's latency (`pause`) first.
 */
async function routeReply(
  req: IncomingMessage,
  url: URL,
  record: RecordedRequest,
  deps: Deps,
  opts: PipelineOptions,
  style: ApiStyle,
  pause: () => Promise<void>,
): Promise<{ reply: Reply; handled: boolean }> {
  const path = url.pathname;
  if (!authorized(req, opts.apiKey)) {
    await pause();
    return { reply: errorReply(style, new ApiError(401, 'unauthorized', 'Invalid or missing API key (X-Api-Key)')), handled: false };
  }
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const route = opts.routes.find((r) => r.method === method && r.pattern.test(path));
  if (!route) {
    await pause();
    return { reply: errorReply(style, new ApiError(404, 'not_found', `No route for ${req.method} ${path}`)), handled: false };
  }
  const ctx: Ctx = { req, url, params: (route.pattern.exec(path) ?? []).slice(1), record, deps };
  const scope = `${route.method} ${path}`;
  const early = beginIdempotent(req, route, scope, ctx, opts.idempotency, style);
  if (early) {
    await pause();
    return { reply: early, handled: false };
  }
  let reply: Reply | undefined;
  try {
    // The pause comes first so that an idempotent request is visibly in flight meanwhile.
    await pause();
    reply = await route.handle(ctx);
  } catch (err) {
    reply = errorReply(style, err);
  } finally {
    if (ctx.idempotencyKey !== undefined) opts.idempotency.finish(scope, ctx.idempotencyKey, reply);
  }
  return { reply, handled: true };
}

/**
 * The Idempotency-Key of a route that honours it, begun in `store`: undefined to handle the request
 * (the key is then on `ctx`, to finish with the reply), or the reply to give at once: the first
 * request's, replayed, or the error of a bad or conflicting key.
 */
function beginIdempotent(req: IncomingMessage, route: Route, scope: string, ctx: Ctx, store: IdempotencyStore, style: ApiStyle): Reply | undefined {
  const key = route.idempotent ? firstHeader(req, 'idempotency-key') : undefined;
  if (key === undefined) return undefined;
  try {
    const started = store.begin(scope, key);
    if (started !== 'new') return started;
    ctx.idempotencyKey = key;
    return undefined;
  } catch (err) {
    return errorReply(style, err);
  }
}
