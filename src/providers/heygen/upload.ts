/**
 * Request bodies for asset uploads, streamed from disk (a 32 MB file never sits in memory):
 * v3 takes multipart/form-data with a `file` part, v1 takes the raw bytes.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { RawBody } from './http.js';

/** A filename safe inside a quoted header parameter. */
function headerFilename(path: string): string {
  return basename(path).replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/** A multipart/form-data upload body (v3) streamed from disk, with its exact length computed up front. */
export async function multipartFileBody(absPath: string, mime: string, field = 'file'): Promise<RawBody> {
  const { size } = await stat(absPath);
  const boundary = `heygen-build-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${headerFilename(absPath)}"\r\nContent-Type: ${mime}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of createReadStream(absPath)) yield chunk as Buffer;
    yield tail;
  }
  return { body: Readable.from(parts(), { objectMode: false }), contentType: `multipart/form-data; boundary=${boundary}`, contentLength: head.length + size + tail.length };
}

/** A raw-bytes upload body (v1) streamed from disk. */
export async function rawFileBody(absPath: string, mime: string): Promise<RawBody> {
  const { size } = await stat(absPath);
  return { body: createReadStream(absPath), contentType: mime, contentLength: size };
}
