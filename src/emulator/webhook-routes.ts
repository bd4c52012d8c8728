/**
 * The webhook endpoints' HTTP side (`/v3/webhooks/endpoints`, `/v3/webhooks/events`, event types), and
 * bulk translation statuses. The endpoints and events live in the hub (webhooks.ts), which delivers them.
 *
 * `POST /v3/webhooks/endpoints` takes an https URL only (HeyGen's schema: "Publicly accessible HTTPS
 * URL"), and, as the emulator's allowance for receivers on this machine, plain http to localhost,
 * 127.0.0.0/8 or [::1].
 */
import { randomBytes } from 'node:crypto';
import { type Ctx, jsonBody, type Route } from './context.js';
import { ApiError } from './envelopes.js';
import type { Reply } from './http-util.js';
import { assertValid } from './validate.js';
import type { EmulatedEndpoint } from './types.js';
import type { WebhookHub } from './webhooks.js';

type Json = Record<string, unknown>;

const ok = (data: unknown, extra: Json = {}): Reply => ({ status: 200, body: { data, ...extra } });

function hubOf(ctx: Ctx): WebhookHub {
  if (!ctx.deps.webhooks) throw new ApiError(500, 'internal_error', 'webhooks are not set up');
  return ctx.deps.webhooks;
}

function publicView(e: EmulatedEndpoint): Json {
  const { secret: _secret, ...rest } = e;
  return rest;
}

/** A page of `items` from `?limit=&token=` (the token is an offset, opaque to clients). */
function page<T>(ctx: Ctx, items: T[]): { data: T[]; extra: Json } {
  const limit = Number(ctx.url.searchParams.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, 'validation_error', 'limit must be between 1 and 100', 'limit');
  const from = Number(ctx.url.searchParams.get('token') ?? 0) || 0;
  const data = items.slice(from, from + limit);
  const more = from + limit < items.length;
  return { data, extra: { has_more: more, next_token: more ? String(from + limit) : null } };
}

/** `localhost`, 127.0.0.0/8 and ::1, as WHATWG URL spells a hostname (`127.1` is already `127.0.0.1`). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * HeyGen's schema: "Publicly accessible HTTPS URL". The emulator's one allowance: plain http to a
 * loopback host, the only way to reach a receiver on this machine (HeyGen itself cannot reach it).
 */
function assertEndpointUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = /^https?:\/\//i.test(url) ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && isLoopback(parsed.hostname))) return;
  throw new ApiError(400, 'validation_error', 'url must be a publicly accessible HTTPS URL (the emulator also takes http to localhost, 127.0.0.0/8 or [::1])', 'url');
}

async function createEndpoint(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('WebhookEndpointsCreate', body);
  const url = String(body.url);
  assertEndpointUrl(url);
  const endpoint: EmulatedEndpoint = {
    endpoint_id: randomBytes(16).toString('hex'),
    url,
    events: Array.isArray(body.events) ? (body.events as string[]) : null,
    secret: `whsec_${randomBytes(24).toString('hex')}`,
    status: 'enabled',
    created_at: new Date().toISOString(),
  };
  hubOf(ctx).endpoints.set(endpoint.endpoint_id, endpoint);
  // The one time the secret is shown.
  return ok({ ...publicView(endpoint), secret: endpoint.secret });
}

function listEndpoints(ctx: Ctx): Reply {
  const { data, extra } = page(ctx, [...hubOf(ctx).endpoints.values()].map(publicView));
  return ok(data, extra);
}

function deleteEndpoint(ctx: Ctx): Reply {
  const id = ctx.params[0] ?? '';
  if (!hubOf(ctx).endpoints.delete(id)) throw new ApiError(404, 'not_found', `Webhook endpoint ${id} was not found`, 'endpoint_id');
  return ok({});
}

function rotateSecret(ctx: Ctx): Reply {
  const id = ctx.params[0] ?? '';
  const e = hubOf(ctx).endpoints.get(id);
  if (!e) throw new ApiError(404, 'not_found', `Webhook endpoint ${id} was not found`, 'endpoint_id');
  e.secret = `whsec_${randomBytes(24).toString('hex')}`;
  return ok({ endpoint_id: id, secret: e.secret });
}

function listEvents(ctx: Ctx): Reply {
  const type = ctx.url.searchParams.get('event_type');
  const events = hubOf(ctx).events.filter((e) => !type || e.event_type === type).slice().reverse();
  const { data, extra } = page(ctx, events);
  return ok(data, extra);
}

const EVENT_TYPES: [string, string][] = [
  ['avatar_video.success', 'An avatar video finished rendering'],
  ['avatar_video.fail', 'An avatar video failed to render'],
  ['video_translate.success', 'A video translation finished'],
  ['video_translate.fail', 'A video translation failed'],
];

/** `GET /v3/video-translations/statuses`: up to 100 translation ids at once, in the videos' read model. */
function translationStatuses(ctx: Ctx): Reply {
  const ids = (ctx.url.searchParams.get('video_translation_ids') ?? '').split(',').filter(Boolean);
  if (ids.length === 0) throw new ApiError(400, 'validation_error', 'video_translation_ids or batch_ids is required', 'video_translation_ids');
  if (ids.length > 100) throw new ApiError(400, 'validation_error', 'at most 100 ids per request', 'video_translation_ids');
  const { store } = ctx.deps;
  const data = ids.map((id) => {
    const job = store.get(id);
    if (!job || job.kind !== 'translation') return { video_id: id, status: 'not_found', error: null };
    const phase = store.phase(job);
    const status = phase === 'pending' ? 'queued' : phase === 'running' ? 'processing' : phase;
    const error = phase === 'failed' && job.failure ? { code: String(job.failure.code), message: job.failure.message } : null;
    return { video_id: id, status, error };
  });
  return { status: 200, body: { data, has_more: false, next_token: null } };
}

/** The webhook endpoints, the event history and bulk translation statuses. */
export const webhookRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v3\/webhooks\/endpoints$/, style: 'v3', idempotent: true, handle: createEndpoint },
  { method: 'GET', pattern: /^\/v3\/webhooks\/endpoints$/, style: 'v3', handle: listEndpoints },
  { method: 'DELETE', pattern: /^\/v3\/webhooks\/endpoints\/([^/]+)$/, style: 'v3', handle: deleteEndpoint },
  { method: 'POST', pattern: /^\/v3\/webhooks\/endpoints\/([^/]+)\/rotate-secret$/, style: 'v3', handle: rotateSecret },
  { method: 'GET', pattern: /^\/v3\/webhooks\/events$/, style: 'v3', handle: listEvents },
  { method: 'GET', pattern: /^\/v3\/webhooks\/event-types$/, style: 'v3', handle: () => ok(EVENT_TYPES.map(([event_type, description]) => ({ event_type, description }))) },
  { method: 'GET', pattern: /^\/v3\/video-translations\/statuses$/, style: 'v3', handle: translationStatuses },
];
