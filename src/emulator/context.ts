/** What every route handler gets: the request, its parsed URL, and the emulator's state. */
import type { IncomingMessage } from 'node:http';
import type { AssetStore } from './assets.js';
import type { ApiStyle } from './envelopes.js';
import type { Reply } from './http-util.js';
import { parseJsonObject, readBody } from './http-util.js';
import type { JobStore } from './jobs.js';
import type { UrlSigner } from './signer.js';
import type { Faults, RecordedRequest, Settings } from './types.js';
import type { WebhookHub } from './webhooks.js';

/** JSON bodies larger than this are refused (413); no HeyGen JSON request comes close. */
export const JSON_LIMIT = 10 * 1024 * 1024;

/** The emulator's shared state every route handler can reach: jobs, assets, URL signers, faults and settings. */
export interface Deps {
  store: JobStore;
  assets: AssetStore;
  signer: UrlSigner;
  faults: Faults;
  settings: Settings;
  /** Signs direct-upload PUT URLs (their own, shorter lifetime). */
  uploadSigner: UrlSigner;
  /** http://127.0.0.1:PORT, set once listening. */
  base: string;
  /** Webhook endpoints, events and deliveries (webhooks.ts). */
  webhooks?: WebhookHub;
}

/**
 * One request as a route handler sees it: the parsed URL, route captures, the request log record and the shared state.
 */
export interface Ctx {
  req: IncomingMessage;
  url: URL;
  /** Capture groups of the route's pattern. */
  params: string[];
  record: RecordedRequest;
  deps: Deps;
  idempotencyKey?: string;
}

/** One emulated HeyGen endpoint: method, path pattern, which API's envelope it answers in, and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  style: ApiStyle;
  /** v3 mutations honour Idempotency-Key. */
  idempotent?: boolean;
  handle(ctx: Ctx): Promise<Reply> | Reply;
}

/** Reads and parses a JSON object body, recording it. */
export async function jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
  const buf = await readBody(ctx.req, JSON_LIMIT);
  ctx.record.bodyBytes = buf.length;
  const body = parseJsonObject(buf);
  ctx.record.body = body;
  return body;
}

/** Milliseconds since the epoch as whole Unix seconds, the form HeyGen's timestamps take. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** A request field as a string, or undefined when it is anything else. */
export function optString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
