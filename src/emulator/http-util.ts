/** Small helpers over node:http: bounded body reads, JSON replies, pauses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './envelopes.js';

/** What a route handler returns; the server adds the envelope's status and headers. */
export interface Reply {
  status: number;
  /** Serialized as JSON unless `raw` is set. */
  body?: unknown;
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
}

/** Reads the whole body, failing with 413 beyond `limit` bytes (checked before reading when declared). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `Request body exceeds ${limit} bytes`, undefined, {
    // The rest of the body is unread: do not reuse this connection.
    Connection: 'close',
  });
}

/** Parses a JSON body; a body that is not JSON (or not an object) is a 400. */
export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8') || 'null');
  } catch {
    throw new ApiError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'validation_error', 'Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Writes a reply (JSON or raw bytes) with its status and headers. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.raw) {
    headers['Content-Type'] = reply.raw.contentType;
    payload = reply.raw.text;
  } else if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.body);
  }
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Unref'd: a pending latency never keeps a finished test process alive. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

/** The first value of a request header, whatever its case or repetition. */
export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
