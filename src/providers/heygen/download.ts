/**
 * Downloading a render: streamed to a `.part` temp next to the output (named by tempPathFor, so a
 * killed build's leftover is swept) while hashing (memory stays flat for any size), checked
 * against Content-Length, fsynced, then renamed into place. The output therefore only ever
 * appears whole. An expired presigned URL (403/404/410) is replaced through `refreshUrl`.
 * A full disk, read-only folder or permission problem is not retried: it fails at once, coded.
 * Messages carry URLs without their query: presigned signatures must not reach a log.
 * `fetchToFile` is the same download made conditional on a copy's validators (ETag, Last-Modified),
 * for URL assets kept between builds: 304 leaves the copy alone, 200 replaces it the same way.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dump, Transport, type TransportResponse } from './transport.js';
import { proxySecrets } from '../../util/proxy.js';
import { commitTemp, mkdirp, tempPathFor } from '../../fsx/atomic.js';
import { DigestMeter, type FileDigest } from '../../fsx/digest.js';
import { fsError, isUserFsErrno } from '../../fsx/errors.js';
import { DEFAULT_BACKOFF, fullJitter, parseRetryAfter, realSleep, serverNow, throwIfAborted, type Sleep } from './backoff.js';
import { HeygenApiError } from './errors.js';
import { describeError, safeUrl } from './redact.js';
import { withLinkedSignal } from '../../util/abort.js';
import { streamed } from './dead-buffers.js';

/**
 * What a download needs besides the URL: a way to get a fresh URL when the presigned one expires, and an abort signal.
 */
export interface DownloadOptions {
  /** A fresh URL for the same file (re-GET the job's status): called when the URL has expired. */
  refreshUrl: () => Promise<string>;
  signal?: AbortSignal;
  /** Attempts for truncated bodies, 5xx and network errors (default 5). */
  maxAttempts?: number;
  /** How many fresh URLs to try before giving up (default 3). */
  maxRefreshes?: number;
  sleep?: Sleep;
  /** Headers and per-pause body timeout (default 60 s). */
  timeoutMs?: number;
  /** Connections to reuse (default: one shared by every download). */
  transport?: Transport;
}

/** A finished download: the file's digest and size, as recorded in the lockfile. */
export type Downloaded = FileDigest;

/** What a server said identifies the bytes it sent (sent back as If-None-Match / If-Modified-Since). */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A conditional download's outcome: the file replaced (with the new bytes' validators), or the copy still current. */
export type Fetched = { kind: 'fetched'; file: Downloaded; validators: Validators } | { kind: 'not-modified' };

type Attempt =
  | { kind: 'ok'; result: Downloaded; validators: Validators }
  | { kind: 'not-modified' }
  | { kind: 'expired'; status: number }
  | { kind: 'retry'; reason: string; waitMs?: number }
  | { kind: 'fatal'; reason: string; status: number };

/** The conditional request headers for `v` (none without validators). */
function conditional(v: Validators | undefined): Record<string, string> {
  const h: Record<string, string> = {};
  if (v?.etag) h['if-none-match'] = v.etag;
  if (v?.lastModified) h['if-modified-since'] = v.lastModified;
  return h;
}

function header(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** One keep-alive pool for all downloads (unref'd sockets: an idle one never holds the process open). */
const shared = new Transport();

/** Redirects followed (presigned URLs may point at a CDN), as undici's redirect interceptor did. */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following up to MAX_REDIRECTS redirects; the answer that is not one. Through HTTPS_PROXY /
 * HTTP_PROXY as every request of the transport (util/proxy.ts). Also what drafts fetch avatar pictures with.
 */
export async function getFollowingRedirects(url: string, headers: Record<string, string>, opts: Pick<DownloadOptions, 'signal' | 'timeoutMs' | 'transport'>): Promise<TransportResponse> {
  const transport = opts.transport ?? shared;
  let at = new URL(url);
  for (let hops = 0; ; hops++) {
    const res = await transport.request({ url: at, method: 'GET', headers, signal: opts.signal, timeoutMs: opts.timeoutMs ?? 60_000 });
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode) || location === undefined || hops >= MAX_REDIRECTS) return res;
    await dump(res);
    at = new URL(location, at);
  }
}

type Options = DownloadOptions & { validators?: Validators };

async function attempt(url: string, part: string, dest: string, opts: Options): Promise<Attempt> {
  const headers = conditional(opts.validators);
  let res: TransportResponse;
  try {
    res = await getFollowingRedirects(url, headers, opts);
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    return { kind: 'retry', reason: describeError(err, proxySecrets()) };
  }
  const status = res.statusCode;
  if (status !== 200) {
    await dump(res);
    // Only an answer to a conditional request: a bare 304 cannot mean "keep the copy you have".
    if (status === 304 && Object.keys(headers).length > 0) return { kind: 'not-modified' };
    if (status === 403 || status === 404 || status === 410) return { kind: 'expired', status };
    if (status >= 500 || status === 429 || status === 408) {
      return { kind: 'retry', reason: `HTTP ${status}`, waitMs: parseRetryAfter(res.headers['retry-after'], serverNow(res.headers.date, Date.now())) };
    }
    return { kind: 'fatal', reason: `HTTP ${status}`, status };
  }

  const length = res.headers['content-length'];
  const expected = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
  const digest = new DigestMeter();
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      digest.update(chunk);
      streamed(chunk.length);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(res.body, meter, createWriteStream(part), { signal: opts.signal });
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    // Our side of the pipe: retrying cannot help until the user frees space or fixes the folder.
    if (isUserFsErrno(err)) throw fsError(err, dest);
    return { kind: 'retry', reason: `the download broke off after ${digest.size} bytes: ${describeError(err, proxySecrets())}` };
  }
  if (expected !== undefined && digest.size !== expected) {
    return { kind: 'retry', reason: `truncated: got ${digest.size} of ${expected} bytes` };
  }
  const etag = header(res.headers.etag);
  const lastModified = header(res.headers['last-modified']);
  return { kind: 'ok', result: digest.digest(), validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
}

/**
 * Downloads `url` (or the URL a function returns) to the absolute path `dest`.
 * Never leaves its `.part` temp behind, whatever happens short of a kill.
 */
export async function downloadToFile(url: string | (() => Promise<string>), dest: string, opts: DownloadOptions): Promise<Downloaded> {
  // The request, the stream and the waits listen on a child of the build's signal (src/util/abort.ts).
  const r = await withLinkedSignal(opts.signal, (signal) => download(url, dest, { ...opts, signal }));
  // Unconditional requests never come back not-modified (a bare 304 is fatal above).
  if (r.kind !== 'fetched') throw new HeygenApiError('E_DOWNLOAD_FAILED', `download to ${dest} got 304 to an unconditional request`);
  return r.file;
}

/**
 * Downloads `url` to `dest` unless the server says the copy there, named by `validators`, is still
 * current (304): the copy is then left untouched. Without validators, a plain download. A 200 replaces
 * `dest` atomically, as downloadToFile does, and returns the new bytes' validators.
 */
export async function fetchToFile(url: string, dest: string, opts: DownloadOptions & { validators?: Validators }): Promise<Fetched> {
  return withLinkedSignal(opts.signal, (signal) => download(url, dest, { ...opts, signal }));
}

async function download(url: string | (() => Promise<string>), dest: string, opts: Options): Promise<Fetched> {
  const part = tempPathFor(dest, 'part');
  const sleep = opts.sleep ?? realSleep;
  const maxAttempts = opts.maxAttempts ?? 5;
  const maxRefreshes = opts.maxRefreshes ?? 3;
  await mkdirp(dirname(dest));
  let current = typeof url === 'string' ? url : undefined;
  let failures = 0;
  let refreshes = 0;
  let done = false;
  try {
    for (;;) {
      throwIfAborted(opts.signal);
      current ??= await (url as () => Promise<string>)();
      const r = await attempt(current, part, dest, opts);
      if (r.kind === 'ok') {
        // fsync, rename, fsync the folder: the output never names unwritten bytes.
        await commitTemp(part, dest);
        done = true;
        return { kind: 'fetched', file: r.result, validators: r.validators };
      }
      if (r.kind === 'not-modified') return { kind: 'not-modified' };
      await rm(part, { force: true });
      if (r.kind === 'expired') {
        refreshes++;
        if (refreshes > maxRefreshes) {
          throw new HeygenApiError('E_DOWNLOAD_EXPIRED', `download of ${safeUrl(current)} failed: HTTP ${r.status} even after ${maxRefreshes} fresh URLs`, {
            httpStatus: r.status,
            hint: 'the render may have been deleted on HeyGen: `heygen-build build --replace <id>` renders it again',
          });
        }
        current = await opts.refreshUrl();
        continue;
      }
      if (r.kind === 'fatal') {
        throw new HeygenApiError('E_DOWNLOAD_FAILED', `download of ${safeUrl(current)} failed: ${r.reason}`, { httpStatus: r.status });
      }
      failures++;
      if (failures >= maxAttempts) {
        throw new HeygenApiError('E_DOWNLOAD_FAILED', `download of ${safeUrl(current)} failed after ${failures} attempts: ${r.reason}`, {
          hint: 'run the build again: finished renders are only downloaded, never rendered again',
        });
      }
      await sleep(Math.max(r.waitMs ?? 0, fullJitter(failures - 1, DEFAULT_BACKOFF)), opts.signal);
    }
  } finally {
    if (!done) await rm(part, { force: true }).catch(() => undefined);
  }
}
