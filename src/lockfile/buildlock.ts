/**
 * The advisory build lock `<root>/.heygen/build.lock`: two builds of one project at once would
 * both submit the same videos (paying twice) and overwrite each other's lockfile.
 *
 * The file is made complete in a temp file and hard-linked into place (createExclusive): link()
 * fails with EEXIST if the lock exists, so creation is exclusive (like O_EXCL) and the lock file
 * is never seen half-written. A lock whose process is gone (same host, pid dead) is taken over
 * with a warning. Holding the lock, we sweep temp files killed processes left in the project.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HeygenBuildError } from '../errors.js';
import { createExclusive, mkdirp, tempPathFor } from '../fsx/atomic.js';
import { fsError } from '../fsx/errors.js';
import { isAlive } from '../fsx/process.js';
import { sweepStaleTemps } from '../fsx/sweep.js';

/** Who holds the build lock, so another build can say what is running and a stale lock can be detected. */
export interface BuildLockInfo {
  pid: number;
  host: string;
  /** ISO 8601 time the lock was taken. */
  since: string;
  command: string;
  /** Random per acquisition: tells our lock from one a previous process with our pid left. */
  token: string;
  /** Held for one item only (the webhook receiver collecting one render): others wait instead of failing. */
  brief?: boolean;
}

/** A held build lock; release it when the build ends. */
export interface BuildLock {
  readonly path: string;
  readonly info: BuildLockInfo;
  /** Set when a stale lock was taken over: show it to the user. */
  readonly warning?: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** Options for taking the build lock. */
export interface AcquireOptions {
  /** What is running, for the message another build will show (default: this process's argv). */
  command?: string;
  /** We hold it for one item only (see BuildLockInfo.brief). */
  brief?: boolean;
  /**
   * `false`: leave the stale temps a killed process left to the caller, which sweeps them itself while
   * it holds the lock (`gc`, which reports each file it removes). Default: swept once the lock is held.
   */
  sweep?: boolean;
  /** When a live holder says it is brief, wait for it (up to BRIEF_WAIT_MS) instead of failing at once. */
  waitForBrief?: boolean;
}

/**
 * How long a build waits for a brief holder. The receiver holds the lock while it downloads and composes
 * one video: seconds, or a few minutes for a long one.
 */
export const BRIEF_WAIT_MS = 10 * 60_000;

/**
 * Tokens of locks this process holds or is acquiring. A lock naming our own pid with a token not
 * here was left by a previous process that had the same pid (containers reuse pids).
 */
const ownTokens = new Set<string>();

/** An unreadable lock younger than this may be one being written (fallback path): wait rather than take it. */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Takes `.heygen/build.lock` so only one build journals to the lockfile at a time; a dead process's lock is taken
 * over, a live one refused.
 */
export async function acquireBuildLock(root: string, opts: AcquireOptions = {}): Promise<BuildLock> {
  const dir = join(root, '.heygen');
  const path = join(dir, 'build.lock');
  await mkdirp(dir);
  const info: BuildLockInfo = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: opts.command ?? process.argv.slice(1).join(' '),
    token: randomBytes(8).toString('hex'),
    ...(opts.brief ? { brief: true } : {}),
  };
  const content = `${JSON.stringify(info)}\n`;
  let warning: string | undefined;

  ownTokens.add(info.token);
  try {
    const waitUntil = Date.now() + BRIEF_WAIT_MS;
    // A few rounds: another process may take over or release between our steps.
    for (let round = 0; round < 5; round++) {
      if (await createExclusive(path, content)) {
        const held = holdLock(path, info, content, warning);
        // No other build of this project can be mid-write now: what a dead one left can go.
        if (opts.sweep !== false) await sweepStaleTemps(root);
        return held;
      }
      const existing = await readLock(path);
      if (!existing) continue; // released meanwhile: try again
      const stale = staleReason(path, existing);
      if (!stale && opts.waitForBrief && existing.info?.brief && Date.now() < waitUntil) {
        // Not a round: waiting for a brief holder is not contention.
        await new Promise((r) => setTimeout(r, 100));
        round--;
        continue;
      }
      if (!stale) throw lockedError(path, existing.info);
      if (await takeOver(path, existing.text)) warning = stale;
    }
    const last = await readLock(path);
    throw lockedError(path, last?.info);
  } catch (e) {
    ownTokens.delete(info.token);
    throw e;
  }
}

interface ExistingLock {
  text: string;
  info?: BuildLockInfo;
  mtimeMs: number;
}

async function readLock(path: string): Promise<ExistingLock | undefined> {
  try {
    const [text, stat] = await Promise.all([fsp.readFile(path, 'utf8'), fsp.stat(path)]);
    return { text, info: parseInfo(text), mtimeMs: stat.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseInfo(text: string): BuildLockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<BuildLockInfo>;
    if (Number.isSafeInteger(v.pid) && typeof v.host === 'string' && typeof v.since === 'string') {
      return {
        pid: v.pid as number,
        host: v.host,
        since: v.since,
        command: typeof v.command === 'string' ? v.command : '',
        token: typeof v.token === 'string' ? v.token : '',
        ...(v.brief === true ? { brief: true } : {}),
      };
    }
  } catch {
    // fall through: unreadable
  }
  return undefined;
}

/** Why the lock may be taken over (the warning to show), or undefined if its holder may be alive. */
function staleReason(path: string, existing: ExistingLock): string | undefined {
  const info = existing.info;
  if (!info) {
    if (Date.now() - existing.mtimeMs < UNREADABLE_GRACE_MS) return undefined;
    return `took over an unreadable build lock (${path})`;
  }
  // Another machine's process cannot be checked from here (shared or network file system).
  if (info.host !== hostname()) return undefined;
  // Our own pid but not one of our tokens: a previous process that had the same pid.
  const alive = info.pid === process.pid ? ownTokens.has(info.token) : isAlive(info.pid);
  if (alive) return undefined;
  return `took over a stale build lock left by pid ${info.pid} since ${info.since}`;
}

/**
 * Moves the stale lock aside, then checks that what we moved is the lock we judged stale: if
 * another process took it over in between, we moved *its* fresh lock, so we put it back.
 */
async function takeOver(path: string, staleText: string): Promise<boolean> {
  const aside = tempPathFor(path);
  try {
    await fsp.rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fsError(e, path);
  }
  const moved = await fsp.readFile(aside, 'utf8').catch(() => undefined);
  if (moved === staleText) {
    await fsp.unlink(aside).catch(() => undefined);
    return true;
  }
  await fsp.link(aside, path).catch(() => undefined);
  await fsp.unlink(aside).catch(() => undefined);
  return false;
}

function lockedError(path: string, info: BuildLockInfo | undefined): HeygenBuildError {
  const holder = info
    ? `pid ${info.pid} on host ${info.host} since ${info.since}${info.command ? ` (${info.command})` : ''}`
    : 'a process whose lock file cannot be read';
  return new HeygenBuildError('E_BUILD_LOCKED', `another heygen-build is running in this project: ${holder}`, {
    hint: `Wait for it to finish. If you are sure no build is running (for example it ran on a machine that is gone), delete ${path}.`,
  });
}

function holdLock(path: string, info: BuildLockInfo, content: string, warning: string | undefined): BuildLock {
  let released = false;
  // Best effort on a normal exit (including process.exit after Ctrl-C); a SIGKILL leaves the file,
  // which the next build takes over because our pid is then dead.
  const onExit = (): void => {
    try {
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // nothing to clean, or not ours any more
    }
  };
  process.on('exit', onExit);
  return {
    path,
    info,
    warning,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      ownTokens.delete(info.token);
      const current = await fsp.readFile(path, 'utf8').catch(() => undefined);
      if (current === content) await fsp.unlink(path).catch(() => undefined);
    },
  };
}
