/**
 * Local files a manifest refers to: where they are (relative to the manifest, like
 * docker-compose), whether they stay inside the project, and their digests. Each distinct file
 * is stat-ed and hashed at most once per run, however many manifests use it, and a digest from
 * the warm cache is reused while the file's size and mtime are unchanged. What the bytes are (a
 * PNG, a WebP, an M4A: media-verdict.ts) is judged as they are hashed and kept with the digest.
 */

import { realpathSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '../fsx/digest.js';
import { judgeFile, MediaSampler, readVerdict, type MediaVerdict } from './media-verdict.js';

/**
 * A local file's digest with the size and mtime it had when hashed, so the digest is reused while they are unchanged.
 */
export interface AssetRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
  /** What the bytes are, judged as they were hashed; absent in a cache written before verdicts were kept. */
  media?: MediaVerdict;
}

/** The parts of a file's stat that decide whether a cached digest still holds. */
export interface FileStat {
  size: number;
  /**
   * The later of mtime and ctime. `cp -p`, rsync -a and tar put an old mtime back on new bytes,
   * but cannot set ctime: any write moves it, so new bytes are always seen (a chmod costs a re-hash).
   */
  mtimeMs: number;
  isFile: boolean;
}

/** Where an asset path points inside the project, or why it is refused (outside the project, or a URL scheme). */
export type PathResult = { ok: true; rel: string } | { ok: false; reason: 'escape' | 'scheme' };

const URL_RE = /^https?:\/\//i;
const SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether a manifest value is an http(s) URL rather than a local path. */
export function isUrl(value: string): boolean {
  return URL_RE.test(value);
}

/**
 * Project-relative POSIX path for `value` written in a file under `baseDir` (both absolute). Answers
 * are remembered: thousands of manifests in one folder name the same few files, and the answer
 * depends on these three strings only (both folders are absolute, so not on the working directory).
 */
export function projectPath(root: string, baseDir: string, value: string): PathResult {
  if (!path.isAbsolute(root) || !path.isAbsolute(baseDir)) return computeProjectPath(root, baseDir, value);
  const key = `${root}\0${baseDir}\0${value}`;
  let res = pathMemo.get(key);
  if (res === undefined) {
    res = Object.freeze(computeProjectPath(root, baseDir, value));
    // Bounded: a project of 100,000 distinct paths must not keep them all.
    if (pathMemo.size >= 10_000) pathMemo.clear();
    pathMemo.set(key, res);
  }
  return res;
}
const pathMemo = new Map<string, PathResult>();

function computeProjectPath(root: string, baseDir: string, value: string): PathResult {
  if (SCHEME_RE.test(value) || /^(data|file):/i.test(value)) return { ok: false, reason: 'scheme' };
  // Absolute paths (POSIX, Windows drive or UNC) would tie the project to one machine.
  if (path.isAbsolute(value) || path.win32.isAbsolute(value)) return { ok: false, reason: 'escape' };
  const abs = path.resolve(baseDir, value.replace(/\\/g, '/'));
  const rel = path.relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return { ok: false, reason: 'escape' };
  return { ok: true, rel: rel.split(path.sep).join('/') };
}

/**
 * Stats and digests of local assets for one run: each distinct file is stat-ed and hashed at most once, cached digests
 * reused.
 */
export class AssetStore {
  private readonly stats = new Map<string, Promise<FileStat | undefined>>();
  private readonly syncStats = new Map<string, FileStat | undefined>();
  private readonly digests = new Map<string, Promise<AssetRecord | undefined>>();
  /** Records of every asset digested or confirmed this run: the next warm cache. */
  readonly seen = new Map<string, AssetRecord>();
  /** Confirmed paths whose cached record is not whole (no verdict) or not the file's (see `confirm`). */
  private readonly unconfirmed = new Set<string>();
  private made = false;

  constructor(
    private readonly root: string,
    private readonly prior: Record<string, AssetRecord> = {},
  ) {}

  /** Stat of a project-relative path; undefined when it does not exist. */
  stat(rel: string): Promise<FileStat | undefined> {
    let p = this.stats.get(rel);
    if (!p) {
      p = stat(path.join(this.root, rel)).then(
        (s) => ({ size: s.size, mtimeMs: Math.max(s.mtimeMs, s.ctimeMs), isFile: s.isFile() }),
        () => undefined,
      );
      this.stats.set(rel, p);
    }
    return p;
  }

  /**
   * The same, synchronously: the warm path checks a handful of distinct assets for thousands
   * of manifests, where a promise per check costs more than the stat itself.
   */
  statNow(rel: string): FileStat | undefined {
    let s = this.syncStats.get(rel);
    if (s === undefined && !this.syncStats.has(rel)) {
      const st = statSync(path.join(this.root, rel), { throwIfNoEntry: false });
      s = st ? { size: st.size, mtimeMs: Math.max(st.mtimeMs, st.ctimeMs), isFile: st.isFile() } : undefined;
      this.syncStats.set(rel, s);
      if (!this.stats.has(rel)) this.stats.set(rel, Promise.resolve(s));
    }
    return s;
  }

  private realRoot: string | undefined;
  private readonly escaped = new Map<string, boolean>();

  /** True when the path (through a symlink somewhere on the way) lands outside the project. */
  escapes(rel: string): boolean {
    let e = this.escaped.get(rel);
    if (e === undefined) {
      this.realRoot ??= realpathSync(this.root);
      let real: string;
      try {
        real = realpathSync(path.join(this.root, rel));
      } catch {
        return false; // missing: reported as such
      }
      const r = path.relative(this.realRoot, real);
      e = r === '' || r === '..' || r.startsWith(`..${path.sep}`) || path.isAbsolute(r);
      this.escaped.set(rel, e);
    }
    return e;
  }

  /** The file's digest, or undefined when it is missing or not a regular file. */
  digest(rel: string): Promise<AssetRecord | undefined> {
    let p = this.digests.get(rel);
    if (!p) {
      p = this.computeDigest(rel);
      this.digests.set(rel, p);
    }
    return p;
  }

  /**
   * A digest made by another store in this run (a worker thread's): used as if made here, so the
   * file is not hashed again and the next cache keeps it. A digest made here already wins.
   */
  adopt(rel: string, record: AssetRecord): void {
    if (this.digests.has(rel)) return;
    this.digests.set(rel, Promise.resolve(record));
    this.seen.set(rel, record);
  }

  /**
   * Remember a cached record that was confirmed by stat, so the next cache keeps it. One without a
   * verdict (an older cache), or none at all or another stat's (a rows cache checks its own), is left
   * to `completeConfirmed`.
   */
  confirm(rel: string): void {
    const prior = this.prior[rel];
    const st = this.statNow(rel);
    if (prior && st && prior.size === st.size && prior.mtimeMs === st.mtimeMs && readVerdict(prior.media) !== undefined) this.seen.set(rel, prior);
    else this.unconfirmed.add(rel);
  }

  /**
   * Makes the records `confirm` could not take from the cache as they were: the verdict read for a
   * record without one (the file's first bytes, all of a picture), a missing or outdated record hashed
   * again. Once per file: the cache written after this run has them.
   */
  async completeConfirmed(): Promise<void> {
    for (const rel of this.unconfirmed) await this.digest(rel);
    this.unconfirmed.clear();
  }

  /** Whether this run made a record the cache it read did not have (hashed a file, or judged one): the cache is to be written. */
  get madeRecords(): boolean {
    return this.made;
  }

  private async computeDigest(rel: string): Promise<AssetRecord | undefined> {
    const s = await this.stat(rel);
    if (!s || !s.isFile) return undefined;
    const prior = this.prior[rel];
    const abs = path.join(this.root, rel);
    let record: AssetRecord;
    try {
      if (prior && prior.size === s.size && prior.mtimeMs === s.mtimeMs) {
        record = readVerdict(prior.media) !== undefined ? prior : { ...prior, media: await judgeFile(abs, rel) };
      } else {
        const sampler = new MediaSampler();
        const { sha256 } = await sha256File(abs, (chunk) => sampler.push(chunk));
        record = { size: s.size, mtimeMs: s.mtimeMs, sha256, media: sampler.verdict(rel) };
      }
    } catch {
      return undefined; // vanished or unreadable between stat and read
    }
    if (record !== prior) this.made = true;
    this.seen.set(rel, record);
    return record;
  }
}
