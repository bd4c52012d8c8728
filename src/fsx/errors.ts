/**
 * The one place where a file-system failure the user can fix (a full disk, a read-only mount, a
 * folder they may not write) becomes a coded error naming the path and the fix, instead of an
 * internal error with a stack.
 */
import { dirname, isAbsolute, relative } from 'node:path';
import { HeygenBuildError, isHeygenBuildError } from '../errors.js';

/** errno codes a user fixes on their machine, and the error code each becomes. */
const USER_CODES: Readonly<Record<string, string>> = {
  ENOSPC: 'E_DISK_FULL',
  EDQUOT: 'E_DISK_FULL',
  EROFS: 'E_READ_ONLY',
  EACCES: 'E_PERMISSION',
  EPERM: 'E_PERMISSION',
};

/** The errno code of a thrown value, if it has one. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for an errno that `fsError` turns into a user error. */
export function isUserFsErrno(e: unknown): boolean {
  const code = errnoCode(e);
  return !isHeygenBuildError(e) && code !== undefined && code in USER_CODES;
}

/** What was being done to a path when it failed, for the message. */
export type FsAction = 'write' | 'access' | 'mkdir';

/** Relative to the working folder when inside it (shorter, and what the user typed), else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * `e` as a coded user error when it is ENOSPC, EDQUOT, EROFS, EACCES or EPERM on `path`;
 * anything else (already coded, or a real bug) is returned unchanged, for the caller to rethrow.
 */
export function fsError(e: unknown, path: string | undefined, action: FsAction = 'write'): unknown {
  if (!isUserFsErrno(e)) return e;
  const errno = errnoCode(e) as string;
  const file = path === undefined ? 'a file' : shown(path);
  // For a folder we could not create, the fix is in the folder that should hold it.
  const dir = path === undefined ? 'the project folder' : shown(dirname(path));
  const what = { write: `could not write ${file}`, access: `could not open ${file}`, mkdir: `could not create the folder ${file}` }[action];
  const options = { cause: e };
  switch (USER_CODES[errno]) {
    case 'E_DISK_FULL':
      return new HeygenBuildError(
        'E_DISK_FULL',
        errno === 'EDQUOT' ? `disk quota exceeded: ${what}` : `the disk is full: ${what}`,
        {
          ...options,
          hint: `free some space on the disk that holds ${dir} (\`df -h ${dir}\` shows it), then run the same command again: finished work is kept and nothing is paid twice`,
        },
      );
    case 'E_READ_ONLY':
      return new HeygenBuildError('E_READ_ONLY', `${dir} is on a read-only file system: ${what}`, {
        ...options,
        hint: 'make that folder writable (remount it read-write, or work in a writable copy of the project); for outputs, `outDir` in heygen.config.ts can point elsewhere',
      });
    default:
      return new HeygenBuildError('E_PERMISSION', `permission denied: ${what}`, {
        ...options,
        hint: `let the user running heygen-build write to ${dir} (see \`ls -ld ${dir}\`), or work in a copy of the project you own`,
      });
  }
}

const FILE_SYSCALLS = new Set([
  'open', 'write', 'read', 'close', 'fsync', 'fdatasync', 'ftruncate', 'rename', 'link', 'symlink', 'unlink', 'rmdir',
  'mkdir', 'mkdtemp', 'copyfile', 'scandir', 'stat', 'lstat', 'fstat', 'utime', 'chmod', 'chown', 'access', 'rm',
]);

/**
 * Last resort for a raw errno error that escaped every caller: the coded error for the path it
 * carries (if any), else `e` unchanged.
 */
export function asUserError(e: unknown): unknown {
  if (!isUserFsErrno(e)) return e;
  const err = e as NodeJS.ErrnoException;
  // EACCES from listen, connect, kill or spawn is not about a file: leave it alone.
  if (err.syscall !== undefined && !FILE_SYSCALLS.has(err.syscall)) return e;
  // `open` may be for reading or writing: say neither.
  const action: FsAction = err.syscall === 'mkdir' ? 'mkdir' : ['open', 'scandir', 'stat', 'lstat', 'read'].includes(err.syscall ?? '') ? 'access' : 'write';
  return fsError(e, typeof err.path === 'string' ? err.path : undefined, action);
}

/**
 * strerror texts of the user-fixable errnos, as tools such as ffmpeg print them. Not "Permission
 * denied": a tool prints that for an input it cannot read too, which is not about `path`.
 */
const STRERROR: ReadonlyArray<[RegExp, string]> = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
];

/** The coded error for `path` when a tool's output says one of those errnos; undefined otherwise. */
export function fsErrorFromText(text: string, path: string): HeygenBuildError | undefined {
  const hit = STRERROR.find(([re]) => re.test(text));
  if (!hit) return undefined;
  return fsError(Object.assign(new Error(text), { code: hit[1] }), path) as HeygenBuildError;
}
