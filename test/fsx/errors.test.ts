import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/cli/errors.js';
import { HeygenBuildError } from '../../src/errors.js';
import { errorInfo } from '../../src/execute/failure.js';
import { asUserError, fsError, fsErrorFromText } from '../../src/fsx/errors.js';

const errno = (code: string, extra: Partial<NodeJS.ErrnoException> = {}): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: injected`), { code, ...extra });

describe('fsError', () => {
  const file = join('/srv/project', 'out', 'intro.mp4');

  it.each([
    ['ENOSPC', 'E_DISK_FULL', /the disk is full: could not write .*out\/intro\.mp4/, /free some space on the disk that holds .*out \(`df -h .*out` shows it\)/],
    ['EDQUOT', 'E_DISK_FULL', /disk quota exceeded: could not write .*intro\.mp4/, /df -h/],
    ['EROFS', 'E_READ_ONLY', /out is on a read-only file system: could not write .*intro\.mp4/, /writable/],
    ['EACCES', 'E_PERMISSION', /permission denied: could not write .*intro\.mp4/, /ls -ld .*out/],
    ['EPERM', 'E_PERMISSION', /permission denied/, /ls -ld/],
  ])('%s becomes %s naming the path and a fix', (code, expected, message, hint) => {
    const e = fsError(errno(code), file) as HeygenBuildError;
    expect(e).toBeInstanceOf(HeygenBuildError);
    expect(e.code).toBe(expected);
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
  });

  it('leaves other errors as they are (a real bug stays a bug)', () => {
    const eio = errno('EIO');
    expect(fsError(eio, file)).toBe(eio);
    const coded = new HeygenBuildError('E_CONFIG', 'x');
    expect(fsError(coded, file)).toBe(coded);
  });

  it('reads the errno out of a tool\'s message (ffmpeg on a full disk)', () => {
    expect(fsErrorFromText('av_interleaved_write_frame(): No space left on device', file)?.code).toBe('E_DISK_FULL');
    expect(fsErrorFromText('Invalid data found when processing input', file)).toBeUndefined();
  });
});

describe('the last-resort boundary', () => {
  it('the CLI prints a raw ENOSPC as a coded user error, not "This is a bug"', () => {
    const out = formatError(errno('ENOSPC', { syscall: 'write', path: '/srv/project/.heygen/build.lock' }));
    expect(out).toContain('[E_DISK_FULL]');
    expect(out).toContain('build.lock');
    expect(out).not.toContain('This is a bug');
  });

  it('a raw EROFS from mkdir names the folder it could not create', () => {
    const e = asUserError(errno('EROFS', { syscall: 'mkdir', path: '/srv/project/out/sub' })) as HeygenBuildError;
    expect(e.code).toBe('E_READ_ONLY');
    expect(e.message).toMatch(/could not create the folder .*out\/sub/);
  });

  it('leaves EACCES from a socket or a spawn alone: it is not about a file', () => {
    const listen = errno('EACCES', { syscall: 'listen' });
    expect(asUserError(listen)).toBe(listen);
    const spawn = errno('EACCES', { syscall: 'spawn /usr/bin/ffmpeg', path: '/usr/bin/ffmpeg' });
    expect(asUserError(spawn)).toBe(spawn);
  });

  it('a per-item failure reports the coded error instead of E_INTERNAL', () => {
    expect(errorInfo(errno('ENOSPC', { syscall: 'write', path: '/srv/p/heygen.lock.yaml' })).code).toBe('E_DISK_FULL');
    expect(errorInfo(errno('EIO')).code).toBe('E_INTERNAL');
  });

  it('an error raised without a hint of its own prints its code\'s advice as the hint', () => {
    const out = formatError(new HeygenBuildError('E_HEYGEN_HTTP', 'GET /v3/x: HTTP 418 teapot: no'));
    expect(out).toBe('error [E_HEYGEN_HTTP] GET /v3/x: HTTP 418 teapot: no\n  hint: HeyGen answered an unexpected HTTP error: try again; report it if it persists\n');
  });
});
