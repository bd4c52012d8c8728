/**
 * v3 direct uploads: `POST /v3/assets/direct-uploads` answers a presigned `upload_url` (on this
 * server, under `/uploads/`, standing in for S3), the client PUTs the raw bytes there with the
 * `upload_headers`, then `POST /v3/assets/{id}/complete` turns them into a usable asset. The id
 * is not usable in a render before completion. The PUT host answers like S3 (XML errors). The
 * declared `content_type` must be a type HeyGen's docs name for its assets (DIRECT_UPLOAD_TYPES), and the
 * bytes must be what it declares.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DIRECT_UPLOAD_NAMES, DIRECT_UPLOAD_TYPES, sniff } from './assets.js';
import { type Ctx, jsonBody, type Deps } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import type { Reply } from './http-util.js';
import type { RecordedRequest } from './types.js';
import { assertValid } from './validate.js';

/** Lifetime of an upload URL (`expires_in_seconds`); HeyGen does not say, S3 presigns default to 1 h. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** S3's limit for one PUT. */
const MAX_SIZE = 5 * 1024 ** 3;
/** Bytes we keep to measure audio; beyond it only the head (for the type) and the digest. */
const KEEP_LIMIT = 64 * 1024 * 1024;

interface Pending {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  checksum?: string;
  uploaded?: { sha256: string; head: Buffer; bytes?: Buffer };
}

const pendingByDeps = new WeakMap<Deps, Map<string, Pending>>();

function pending(deps: Deps): Map<string, Pending> {
  let map = pendingByDeps.get(deps);
  if (!map) pendingByDeps.set(deps, (map = new Map<string, Pending>()));
  return map;
}

const ok = (data: unknown): Reply => ({ status: 200, body: okBody('v3', data) });

/** Handles the v3 direct-upload start: validates the size and answers with a signed PUT URL. */
export async function createDirectUpload(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('AssetDirectUploadsCreate', body);
  const size = body.size_bytes as number;
  if (size < 1 || size > MAX_SIZE) {
    throw new ApiError(400, 'validation_error', `size_bytes must be between 1 and ${MAX_SIZE}`, 'size_bytes');
  }
  const contentType = String(body.content_type).toLowerCase();
  if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(contentType)) {
    throw new ApiError(400, 'validation_error', 'content_type must be a MIME type such as video/mp4', 'content_type');
  }
  if (!DIRECT_UPLOAD_TYPES.has(contentType)) {
    throw new ApiError(400, 'validation_error', `Unsupported content_type ${contentType}: use ${DIRECT_UPLOAD_NAMES}`, 'content_type');
  }
  const checksum = typeof body.checksum_sha256 === 'string' ? body.checksum_sha256.toLowerCase() : undefined;
  if (checksum !== undefined && !/^[0-9a-f]{64}$/.test(checksum)) {
    throw new ApiError(400, 'validation_error', 'checksum_sha256 must be 64 hex digits', 'checksum_sha256');
  }
  const id = randomBytes(16).toString('hex');
  const entry: Pending = { id, filename: String(body.filename), contentType, sizeBytes: size };
  if (checksum) entry.checksum = checksum;
  pending(ctx.deps).set(id, entry);
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (checksum) headers['x-amz-checksum-sha256'] = Buffer.from(checksum, 'hex').toString('base64');
  return ok({
    asset_id: id,
    upload_url: ctx.deps.uploadSigner.mint(ctx.deps.base, `/uploads/${id}`),
    upload_headers: headers,
    expires_in_seconds: UPLOAD_TTL_MS / 1000,
    max_bytes: size,
    status: 'pending_upload',
  });
}

function s3Error(res: ServerResponse, record: RecordedRequest, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  record.status = status;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/** The S3 side: `PUT /uploads/{id}?<signature>` with exactly the signed size, type and checksum. */
export async function handleUploadPut(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest, deps: Deps): Promise<void> {
  const id = /^\/uploads\/([0-9a-f]{32})$/.exec(url.pathname)?.[1] ?? '';
  if (req.method !== 'PUT') return s3Error(res, record, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  const verdict = deps.uploadSigner.verify(url.pathname, url.searchParams, id);
  if (!verdict.ok) {
    return s3Error(res, record, 403, 'AccessDenied', verdict.reason === 'expired' ? 'Request has expired' : 'Invalid signature');
  }
  const entry = pending(deps).get(id);
  if (!entry) return s3Error(res, record, 404, 'NoSuchUpload', 'The specified upload does not exist.');
  const type = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== entry.contentType) {
    return s3Error(res, record, 403, 'SignatureDoesNotMatch', `Content-Type must be the signed ${entry.contentType}`);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > entry.sizeBytes) {
    return s3Error(res, record, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > entry.sizeBytes) return s3Error(res, record, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    hash.update(chunk);
    if (size <= KEEP_LIMIT || kept.length === 0) kept.push(chunk);
  }
  record.bodyBytes = size;
  if (size !== entry.sizeBytes) {
    return s3Error(res, record, 400, 'IncompleteBody', `You did not provide the number of bytes specified (${entry.sizeBytes})`);
  }
  const sha256 = hash.digest('hex');
  if (entry.checksum && entry.checksum !== sha256) {
    return s3Error(res, record, 400, 'BadDigest', 'The sha256 you specified did not match the calculated checksum.');
  }
  const all = Buffer.concat(kept);
  entry.uploaded = { sha256, head: all.subarray(0, 64), ...(size <= KEEP_LIMIT ? { bytes: all } : {}) };
  record.status = 200;
  res.writeHead(200, { ETag: `"${sha256.slice(0, 32)}"`, 'Content-Length': 0 });
  res.end();
}

/** Handles the v3 direct-upload completion, turning the uploaded bytes into an asset. */
export async function completeUpload(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('AssetCompleteCreate', body);
  const id = ctx.params[0] ?? '';
  const { assets } = ctx.deps;
  const done = assets.byId.get(id);
  const asset = done ?? (await finalize(ctx, id, body));
  return ok({ asset_id: asset.id, url: `${ctx.deps.base}/assets/${asset.id}`, mime_type: asset.mimeType, size_bytes: asset.sizeBytes, status: 'processing' });
}

async function finalize(ctx: Ctx, id: string, body: Record<string, unknown>): ReturnType<Deps['assets']['addBytes']> {
  const entry = pending(ctx.deps).get(id);
  if (!entry) throw new ApiError(404, 'not_found', `Asset upload ${id} was not found`, 'asset_id');
  const up = entry.uploaded;
  if (!up) {
    throw new ApiError(400, 'validation_error', `Asset ${id} has no uploaded file yet: PUT the bytes to upload_url first`, 'asset_id');
  }
  const checksum = typeof body.checksum_sha256 === 'string' ? body.checksum_sha256.toLowerCase() : undefined;
  if (checksum !== undefined && checksum !== up.sha256) {
    throw new ApiError(400, 'validation_error', 'checksum_sha256 does not match the uploaded file', 'checksum_sha256');
  }
  // "Verified against the stored bytes at completion."
  const detected = sniff(up.head);
  if (detected !== undefined && detected !== entry.contentType) {
    throw new ApiError(400, 'validation_error', `The uploaded file is ${detected}, not the declared content_type ${entry.contentType}`, 'content_type');
  }
  // A video container always has a signature: bytes with none are not the declared video.
  if (detected === undefined && entry.contentType.startsWith('video/')) {
    throw new ApiError(400, 'validation_error', `The uploaded file is not ${entry.contentType}`, 'content_type');
  }
  const mime = detected ?? entry.contentType;
  pending(ctx.deps).delete(id);
  if (up.bytes) return ctx.deps.assets.addBytes('v3', entry.filename, mime, up.bytes, id);
  return ctx.deps.assets.add('v3', entry.filename, mime, entry.sizeBytes, up.sha256, { id });
}
