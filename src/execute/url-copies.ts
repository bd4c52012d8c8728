/**
 * Local copies of a manifest's URL assets (backgrounds, audio) for what is composed here, kept under
 * `.heygen/remote/<sha256(url)><ext>` with their validators (ETag, Last-Modified) in a `.json` beside.
 *
 * A copy is checked again at most once per build, as a browser cache or `dvc update` would: a
 * conditional GET (If-None-Match / If-Modified-Since). 304 keeps the copy, 200 replaces it (temp file,
 * then rename), so a picture changed at its URL is what the next composition shows: HeyGen fetches
 * the URL fresh for the scenes it composites itself, and a stale copy here would mix old and new in
 * one video. A server that gives no validators is fetched whole each build.
 *
 * A copy in hand outlives a network failure (and a 5xx or 429 after the retries), with a warning; a
 * URL that answers 404, 410, 403 or another refusal fails the video that uses it, even with a copy:
 * that copy is no longer what the URL shows.
 *
 * A copy fetched whole again with the same bytes (a server without validators) keeps its modification
 * time, so that time says when the content last changed: `export` compares it with the composed video's
 * (src/export/copy-age.ts) to tell whether the copy is still the one the video was composed with.
 *
 * The order of writes keeps a crash harmless: the copy is replaced first, its validators after. A crash
 * between them leaves the old validators with the new copy, and the next build's conditional GET with
 * those old validators gets the whole file again (200), never a 304 for bytes it does not hold.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, utimes } from 'node:fs/promises';
import { HeygenBuildError } from '../errors.js';
import { writeFileAtomic } from '../fsx/atomic.js';
import { fetchToFile, type Validators } from '../providers/heygen/download.js';
import { HeygenApiError } from '../providers/heygen/errors.js';
import { safeUrl } from '../providers/heygen/redact.js';
import type { Sleep } from '../providers/heygen/backoff.js';
import { urlCopyPath } from './url-copy-path.js';

/** The sidecar of a copy: the URL, the validators it was served with, and its size (a copy of another size is not trusted). */
interface CopyMeta extends Validators {
  url: string;
  size: number;
  sha256: string;
}

/** What UrlCopies needs besides the project root: where warnings go, and (tests) retries. */
export interface UrlCopyOptions {
  warn: (message: string) => void;
  /** Attempts for a network failure or 5xx before the copy in hand is used (default 3). */
  maxAttempts?: number;
  sleep?: Sleep;
}

/** The URL copies of one build: each URL is revalidated at most once, however many videos use it. */
export class UrlCopies {
  private readonly checked = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly opts: UrlCopyOptions,
  ) {}

  /**
   * The absolute path of a current copy of `url`. `place` names where the manifest uses it
   * (`videos/a.yaml, scene 2's image background`) for the error when the URL cannot be had.
   */
  async get(url: string, place: string, signal?: AbortSignal): Promise<string> {
    let pending = this.checked.get(url);
    if (pending === undefined) {
      pending = this.refresh(url, signal);
      this.checked.set(url, pending);
      // A stopped build's attempt says nothing about the URL: the next caller asks again.
      pending.catch(() => (signal?.aborted ? this.checked.delete(url) : undefined));
    }
    try {
      return await pending;
    } catch (e) {
      throw signal?.aborted ? e : unusable(e, url, place);
    }
  }

  private async refresh(url: string, signal: AbortSignal | undefined): Promise<string> {
    const file = urlCopyPath(this.root, url);
    const meta = await readMeta(file, url);
    const validators = meta ? { ...(meta.etag ? { etag: meta.etag } : {}), ...(meta.lastModified ? { lastModified: meta.lastModified } : {}) } : undefined;
    try {
      const r = await fetchToFile(url, file, {
        refreshUrl: () => Promise.resolve(url),
        maxRefreshes: 0, // a URL in a manifest has no fresher URL: 403/404/410 are answers
        maxAttempts: this.opts.maxAttempts ?? 3,
        ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
        ...(validators ? { validators } : {}),
        ...(signal ? { signal } : {}),
      });
      if (r.kind === 'fetched') {
        if (meta?.sha256 === r.file.sha256) await utimes(file, meta.atime, meta.mtime);
        await writeFileAtomic(metaPath(file), JSON.stringify({ url, ...r.validators, size: r.file.size, sha256: r.file.sha256 } satisfies CopyMeta));
      }
      return file;
    } catch (e) {
      if (signal?.aborted || !unreachable(e) || !existsSync(file)) throw e;
      const why = e instanceof Error ? e.message : String(e);
      this.opts.warn(`${safeUrl(url)} could not be checked for changes (${why}): composing with the copy fetched before (${relativeCopy(file, this.root)}), which may be out of date`);
      return file;
    }
  }
}

function metaPath(file: string): string {
  return `${file}.json`;
}

function relativeCopy(file: string, root: string): string {
  return file.startsWith(root) ? file.slice(root.length + 1) : file;
}

/** The sidecar of the copy of `url`, when it describes the copy there now (with the copy's times); anything else reads as none. */
async function readMeta(file: string, url: string): Promise<(CopyMeta & { atime: Date; mtime: Date }) | undefined> {
  try {
    const m = JSON.parse(await readFile(metaPath(file), 'utf8')) as Partial<CopyMeta>;
    const st = statSync(file);
    if (m.url !== url || typeof m.size !== 'number' || st.size !== m.size) return undefined;
    if ((m.etag !== undefined && typeof m.etag !== 'string') || (m.lastModified !== undefined && typeof m.lastModified !== 'string')) return undefined;
    return { ...(m as CopyMeta), atime: st.atime, mtime: st.mtime };
  } catch {
    return undefined; // no sidecar, a broken one or no copy: fetched whole
  }
}

/** A failure that says nothing about the URL's content: the network, or the server down (5xx, 429 after the retries). */
function unreachable(e: unknown): boolean {
  return e instanceof HeygenApiError && e.code === 'E_DOWNLOAD_FAILED' && e.httpStatus === undefined;
}

/** The error a video gets for a URL asset it cannot have, naming where the manifest uses it. */
function unusable(e: unknown, url: string, place: string): Error {
  if (!(e instanceof HeygenApiError) || (e.code !== 'E_DOWNLOAD_FAILED' && e.code !== 'E_DOWNLOAD_EXPIRED')) return e instanceof Error ? e : new Error(String(e));
  const shown = safeUrl(url);
  if (e.httpStatus === undefined) {
    return new HeygenBuildError('E_DOWNLOAD_FAILED', `${place}: cannot fetch ${shown}: ${e.message}`, {
      hint: 'check the network and that the URL answers, then build again: the scene clips are kept, composing again costs nothing',
      cause: e,
    });
  }
  const gone = e.httpStatus === 404 || e.httpStatus === 410;
  return new HeygenBuildError('E_COMPOSE_ASSET', `${place}: ${shown} answered HTTP ${e.httpStatus}${gone ? ' (not there any more)' : ''}`, {
    hint: gone ? 'point the manifest at the picture\'s new URL, or at a local file' : 'check that the URL is public (no login or expired signature), or use a local file',
    cause: e,
  });
}
