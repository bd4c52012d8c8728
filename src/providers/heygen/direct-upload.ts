/**
 * HeyGen's direct upload for files over `POST /v3/assets`'s 32 MB: ask for a presigned URL, PUT the
 * bytes there (to the storage host: never with the API key), then complete the asset. The declared size
 * and sha256 are signed into the URL, so a cut or changed body is refused by the storage, not kept.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sha256File } from '../../fsx/digest.js';
import { HeygenApiError } from './errors.js';
import type { HttpClient } from './http.js';
import { compact, needString, obj, optString } from './read.js';
import { readText, Transport } from './transport.js';

/** `POST /v3/assets` takes files up to this size; larger ones go through a direct upload. */
export const MULTIPART_LIMIT = 32 * 1024 * 1024;

/** Uploads a file too large for `POST /v3/assets` by the direct-upload steps above, returning the new asset id. */
export async function directUpload(
  http: HttpClient,
  baseUrl: string,
  absPath: string,
  mime: string,
  signal?: AbortSignal,
): Promise<{ id: string; url?: string }> {
  const { size } = await stat(absPath);
  const { sha256 } = await sha256File(absPath);
  // Repeatable: a lost answer only leaves a pending upload nobody completes.
  const { data } = await http.send({
    method: 'POST',
    url: `${baseUrl}/v3/assets/direct-uploads`,
    json: { filename: basename(absPath), content_type: mime, size_bytes: size, checksum_sha256: sha256 },
    repeatable: true,
    signal,
  });
  const d = obj(data);
  const assetId = needString(d.asset_id, 'asset_id');
  const headers: Record<string, string> = { 'content-length': String(size) };
  for (const [k, v] of Object.entries(obj(d.upload_headers))) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  // Its own connection: the storage host is not the API's, and this is one request in a build.
  const transport = new Transport();
  let put;
  let answer: string;
  try {
    put = await transport.request({ url: needString(d.upload_url, 'upload_url'), method: 'PUT', headers, body: createReadStream(absPath), signal, timeoutMs: 300_000 });
    answer = await readText(put);
  } finally {
    transport.close();
  }
  if (put.statusCode < 200 || put.statusCode >= 300) {
    throw new HeygenApiError('E_HEYGEN_REJECTED', `direct upload of ${basename(absPath)} refused by the storage (HTTP ${put.statusCode}): ${answer.slice(0, 200)}`);
  }
  const done = await http.send({
    method: 'POST',
    url: `${baseUrl}/v3/assets/${encodeURIComponent(assetId)}/complete`,
    json: { checksum_sha256: sha256 },
    repeatable: true,
    signal,
  });
  const c = obj(done.data);
  return compact({ id: optString(c.asset_id) ?? assetId, url: optString(c.url) });
}
