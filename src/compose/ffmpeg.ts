/**
 * Finding and running ffmpeg. A system ffmpeg (on PATH) wins because it is usually newer; the
 * npm packages `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe` are the fallback that
 * makes `--provider local` work after a plain `npm install`.
 */
import { access, chmod, constants, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HeygenBuildError } from '../errors.js';
import { lastLines, runProcess } from './process.js';

/** The ffmpeg (and ffprobe, when found) binaries the compositor runs. */
export interface FfmpegTools {
  ffmpeg: string;
  /** Absent when only an ffmpeg was found; callers then read durations from `ffmpeg -i`. */
  ffprobe?: string;
  source: 'PATH' | 'npm';
}

/** Where to look for ffmpeg: the PATH, then the npm installer packages. */
export interface FindFfmpegOptions {
  /** The PATH to search (default `process.env.PATH`); `''` searches nothing. */
  path?: string;
  /** Whether to fall back to the npm packages (default true). */
  npm?: boolean;
}

/** What to tell a user who has no ffmpeg, shared by every error that needs it. */
export const FFMPEG_MISSING_HINT =
  'install ffmpeg (apt-get install ffmpeg / brew install ffmpeg) or run npm install to get @ffmpeg-installer/ffmpeg';

/**
 * What to do when ffmpeg exits non-zero. Inputs are checked before it runs (durations of audio and video,
 * image headers), so an input it cannot decode past those checks is the likely cause, not the renderer.
 */
export const FFMPEG_FAILED_HINT =
  "an input file ffmpeg cannot decode is the likely cause: run `ffprobe FILE` on the manifest's assets to find it and re-export that file; if they all read, please report it with the lines above";

const EXE = process.platform === 'win32' ? '.exe' : '';
let cached: Promise<FfmpegTools> | undefined;

/**
 * Locate ffmpeg (and ffprobe). The default lookup is cached for the life of the process; a lookup
 * with explicit options (tests) is not cached and does not touch the cache.
 */
export function findFfmpeg(opts?: FindFfmpegOptions): Promise<FfmpegTools> {
  if (opts) return locate(opts);
  if (!cached) {
    cached = locate({});
    // A failed lookup is not remembered: the user may install ffmpeg and retry in watch mode.
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

async function locate(opts: FindFfmpegOptions): Promise<FfmpegTools> {
  const searchPath = opts.path ?? process.env.PATH ?? '';
  const useNpm = opts.npm ?? true;

  const fromPath = await onPath('ffmpeg', searchPath);
  if (fromPath && (await runs(fromPath))) {
    const probe = (await onPath('ffprobe', searchPath)) ?? (useNpm ? npmBinary('@ffprobe-installer/ffprobe') : undefined);
    return { ffmpeg: fromPath, ...(probe && (await runs(probe)) ? { ffprobe: probe } : {}), source: 'PATH' };
  }
  if (useNpm) {
    const ffmpeg = npmBinary('@ffmpeg-installer/ffmpeg');
    if (ffmpeg && (await executable(ffmpeg)) && (await runs(ffmpeg))) {
      const probe = npmBinary('@ffprobe-installer/ffprobe');
      return { ffmpeg, ...(probe && (await executable(probe)) && (await runs(probe)) ? { ffprobe: probe } : {}), source: 'npm' };
    }
  }
  throw new HeygenBuildError(
    'E_FFMPEG_MISSING',
    'ffmpeg was not found: the offline draft renderer (--provider local) needs it',
    { hint: FFMPEG_MISSING_HINT },
  );
}

/** The first executable `name` in a PATH-style list, without running a shell (`which`). */
export async function onPath(name: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name + EXE);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The binary path an installer package exports, or undefined when it (or its platform build) is missing. */
function npmBinary(pkg: string): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    // These CommonJS packages export `{ path, version, url }` and throw when their platform build is absent.
    const mod = require(pkg) as { path?: unknown };
    return typeof mod.path === 'string' ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `file` may be run, giving it the execute bits its package's install script gives it when it
 * has none: npm 11 skips dependencies' install scripts unless a project approves them (`allowScripts`),
 * and the installer packages' only script is that `chmod`. Execute is added where read is (as
 * `chmod a+X` would); false when the file is missing or its mode cannot be changed.
 */
export async function executable(file: string): Promise<boolean> {
  if (process.platform === 'win32') return true;
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    try {
      const { mode } = await stat(file);
      await chmod(file, mode | ((mode & 0o444) >> 2));
      await access(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
}

async function runs(bin: string): Promise<boolean> {
  try {
    const r = await runProcess(bin, ['-version'], { timeoutMs: 15_000, maxStdout: 4096 });
    return r.code === 0;
  } catch {
    return false;
  }
}

/** How to run ffmpeg: an abort signal, and which binary (found with findFfmpeg by default). */
export interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** The binary to run; default: `findFfmpeg()`. */
  ffmpeg?: string;
}

/**
 * Run ffmpeg with `args` (no shell). Fails with `E_FFMPEG` carrying the last lines of stderr;
 * an abort kills ffmpeg and rejects with the signal's reason once it has exited.
 */
export async function runFfmpeg(args: readonly string[], opts: RunFfmpegOptions = {}): Promise<void> {
  const bin = opts.ffmpeg ?? (await findFfmpeg()).ffmpeg;
  const full = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args];
  let r;
  try {
    r = await runProcess(bin, full, { signal: opts.signal });
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    throw new HeygenBuildError('E_FFMPEG', `could not run ffmpeg (${bin}): ${(e as Error).message}`, {
      hint: FFMPEG_MISSING_HINT,
      cause: e,
    });
  }
  if (r.code !== 0) {
    const tail = lastLines(r.stderr);
    throw new HeygenBuildError(
      'E_FFMPEG',
      `ffmpeg failed (${r.code === null ? `killed by ${r.signal}` : `exit code ${r.code}`})${tail ? `:\n${tail}` : ''}`,
      { hint: FFMPEG_FAILED_HINT },
    );
  }
}
