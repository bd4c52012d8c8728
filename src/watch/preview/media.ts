/**
 * Serving one video file with HTTP Range support: browsers ask for `bytes=0-` and then seek with other
 * ranges; without 206 answers Chromium can play but not seek. Single ranges only (a multi-range request
 * gets the whole file, which RFC 9110 allows).
 */
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

/** A parsed Range header: the bytes to send, unsatisfiable, or undefined for the whole file. */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** Parses a `Range` header against a file size; undefined means "send it all". End is inclusive. */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * Sends a file honouring Range requests, from a handle opened first so a draft replaced mid-stream still arrives
 * whole.
 */
export async function sendFile(req: IncomingMessage, res: ServerResponse, abs: string, headers: Record<string, string>): Promise<void> {
  // Opened before answering: a draft replaced by rename mid-stream keeps serving the old bytes, whole.
  const fh = await open(abs, 'r');
  try {
    const { size } = await fh.stat();
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    res.writeHead(range ? 206 : 200, {
      ...headers,
      'Accept-Ranges': 'bytes',
      'Content-Length': String(size === 0 ? 0 : end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    // The browser drops a range it no longer needs when it seeks: that is a normal end, not an error.
    await pipeline(fh.createReadStream({ start, end, autoClose: false }), res).catch(() => undefined);
  } finally {
    await fh.close();
  }
}
