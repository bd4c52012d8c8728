/**
 * The download host (`/files/...`), behaving like S3/CloudFront behind presigned URLs: 403
 * AccessDenied XML when expired or tampered, 404 NoSuchKey, byte ranges, Content-Length, and the
 * `expireUrls` / `truncate` faults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Job, JobStore } from './jobs.js';
import { alphaWebm, sizedMp4, speechMp3 } from './generate.js';
import { ass, mp4Base, paddedMp4, paddedSize, srt, vtt, webmBase } from './media.js';
import { matches } from './faults.js';
import type { UrlSigner } from './signer.js';
import type { Faults, RecordedRequest } from './types.js';

/** The kinds of file a finished emulated job can serve. */
export type FileKind = 'mp4' | 'captioned.mp4' | 'webm' | 'mp3' | 'srt' | 'vtt' | 'ass';

const FILE = /^\/files\/([0-9a-f]{32}(?:-[a-z0-9]+)*)\.(mp4|captioned\.mp4|webm|mp3|srt|vtt|ass)$/;

const CONTENT_TYPES: Record<FileKind, string> = {
  mp4: 'video/mp4',
  'captioned.mp4': 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  srt: 'application/x-subrip',
  vtt: 'text/vtt; charset=utf-8',
  ass: 'text/x-ssa; charset=utf-8',
};

/** The files a finished job has. */
export function filesOf(job: Job): Set<FileKind> {
  if (job.kind === 'speech') return new Set<FileKind>(['mp3']);
  if (job.kind === 'proofread') return new Set<FileKind>(['srt']);
  const files = new Set<FileKind>([job.outputFormat === 'webm' ? 'webm' : 'mp4']);
  if (job.captions === 'burned' && job.outputFormat === 'mp4') files.add('captioned.mp4');
  if (job.captions !== 'none') {
    files.add('srt');
    if (job.kind === 'translation') files.add('vtt');
    if (job.api === 'v2' && job.kind === 'video') files.add('ass');
  }
  return files;
}

/** A signed download URL for one file of a job, or null when the job does not produce that kind of file. */
export function fileUrl(signer: UrlSigner, base: string, job: Job, kind: FileKind): string | null {
  return filesOf(job).has(kind) ? signer.mint(base, `/files/${job.id}.${kind}`) : null;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string, record: RecordedRequest): void {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  record.status = status;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` against `size`; null when absent, 'bad' when unsatisfiable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multi-range or junk: serve it all, as S3 does
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
  }
  return start >= size || start >= end ? 'bad' : { start, end };
}

function waitWritable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** What serving files needs: the jobs, the URL signer, and the faults to inject. */
export interface FileDeps {
  store: JobStore;
  signer: UrlSigner;
  faults: Faults;
  videoBytes: number | undefined;
}

/** Serves a job's file behind a signed URL, refusing expired or forged signatures as HeyGen's storage does. */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  record: RecordedRequest,
  deps: FileDeps,
): Promise<void> {
  const found = lookUp(url, deps, record);
  if ('error' in found) return xmlError(res, found.status, found.error, found.message, record);
  const { job, kind } = found;
  const body = await bodyOf(job, kind, deps.videoBytes);
  const size = body.size;
  const range = parseRange(req.headers.range, size);
  if (range === 'bad') {
    record.status = 416;
    res.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    return void res.end();
  }
  const start = range ? range.start : 0;
  const end = range ? range.end : size;
  const headers: Record<string, string | number> = {
    'Content-Type': CONTENT_TYPES[kind],
    'Content-Length': end - start,
    'Accept-Ranges': 'bytes',
    ETag: `"${job.id}-${size}"`,
    'Last-Modified': new Date(job.finishAt).toUTCString(),
  };
  if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
  record.status = range ? 206 : 200;
  res.writeHead(record.status, headers);
  if (req.method === 'HEAD') return void res.end();

  const cut = takeTruncate(deps.faults, url.pathname);
  if (cut) record.fault = 'truncate';
  const isVideo = kind === 'mp4' || kind === 'captioned.mp4' || kind === 'webm';
  await sendBytes(res, body, start, end, cut, () => {
    if (isVideo) job.downloads++;
  });
}

/**
 * The finished job and kind of file a signed URL names, or the S3 error to answer instead: an expired
 * or forged signature, no such file, or the `expireUrls` fault (recorded on `record`).
 */
function lookUp(url: URL, deps: FileDeps, record: RecordedRequest): { job: Job; kind: FileKind } | { status: number; error: string; message: string } {
  const m = FILE.exec(url.pathname);
  const id = m?.[1] ?? '';
  const kind = m?.[2] as FileKind | undefined;
  const verdict = deps.signer.verify(url.pathname, url.searchParams, id);
  if (!verdict.ok) {
    const message = verdict.reason === 'expired' ? 'Request has expired' : 'Invalid signature';
    return { status: 403, error: 'AccessDenied', message };
  }
  const job = deps.store.get(id);
  if (!job || !kind || deps.store.phase(job) !== 'completed' || !filesOf(job).has(kind)) {
    return { status: 404, error: 'NoSuchKey', message: 'The specified key does not exist.' };
  }
  if (expireFault(deps, job)) {
    record.fault = 'expireUrls';
    return { status: 403, error: 'AccessDenied', message: 'Request has expired' };
  }
  return { job, kind };
}

/** A file's size and its bytes by range: a caption text or generated media, else the padded MP4, made as it is sent. */
async function bodyOf(job: Job, kind: FileKind, videoBytes: number | undefined): Promise<{ size: number; chunks: (start: number, end: number) => Iterable<Buffer> }> {
  const text =
    kind === 'srt' ? srt(job.text, job.duration)
    : kind === 'vtt' ? vtt(job.text, job.duration)
    : kind === 'ass' ? ass(job.text, job.duration)
    : undefined;
  const fixed = text !== undefined ? Buffer.from(text) : await mediaOf(job, kind, videoBytes);
  const size = fixed ? fixed.length : paddedSize(videoBytes);
  return { size, chunks: (start, end) => (fixed ? [fixed.subarray(start, end)] : paddedMp4(size, start, end)) };
}

/**
 * Sends bytes `start` to `end` (excluded) as the socket takes them, then `sent`. `cut` (the `truncate`
 * fault): half of what Content-Length promised, then the connection is cut.
 */
async function sendBytes(res: ServerResponse, body: { chunks: (start: number, end: number) => Iterable<Buffer> }, start: number, end: number, cut: boolean, sent: () => void): Promise<void> {
  const stop = cut ? start + Math.floor((end - start) / 2) : end;
  for (const chunk of body.chunks(start, stop)) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await waitWritable(res);
  }
  if (cut) {
    res.write(Buffer.alloc(0), () => res.destroy());
    return;
  }
  res.end(sent);
}

/**
 * Bytes of a generated media file: the transparent WebM of the render's size and length, the
 * speech MP3, a v3 MP4 render at its requested size; undefined for the padded MP4 (v2, or `videoBytes`).
 */
async function mediaOf(job: Job, kind: FileKind, videoBytes: number | undefined): Promise<Buffer | undefined> {
  if (kind === 'mp3') return speechMp3(job.duration);
  // A v3 MP4 render comes at the size it asked for (unless a test asked for a padded file of a given size).
  if ((kind === 'mp4' || kind === 'captioned.mp4') && job.render && videoBytes === undefined) {
    return sizedMp4(job.render.width, job.render.height, job.duration);
  }
  if (kind !== 'webm') return undefined;
  const r = job.render;
  return r?.alpha ? alphaWebm(r.width, r.height, job.duration) : webmBase();
}

/** The `expireUrls` fault: see `Faults.expireUrls`. */
const expiredOnce = new WeakMap<Faults, Set<string>>();

function expireFault(deps: FileDeps, job: Job): boolean {
  const fault = deps.faults.expireUrls;
  if (typeof fault === 'number') {
    if (fault <= 0) return false;
    if (fault - 1 <= 0) delete deps.faults.expireUrls;
    else deps.faults.expireUrls = fault - 1;
    deps.signer.kill(job.id);
    return true;
  }
  if (fault === true) {
    let seen = expiredOnce.get(deps.faults);
    if (!seen) expiredOnce.set(deps.faults, (seen = new Set()));
    if (seen.has(job.id)) return false;
    seen.add(job.id);
    deps.signer.kill(job.id);
    return true;
  }
  return false;
}

function takeTruncate(faults: Faults, path: string): boolean {
  const f = faults.truncate;
  if (!f || f.count <= 0) return false;
  if (f.paths && !matches(f.paths, path)) return false;
  if (--f.count <= 0) delete faults.truncate;
  return true;
}

/** Exposed for tests of the padding: the size of the unpadded base video. */
export function baseVideoBytes(): number {
  return mp4Base().length;
}
