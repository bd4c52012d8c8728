/** File-system basics: atomic writes, streamed digests, user-fixable errors, stale temp sweeping. */
export { commitTemp, createExclusive, mkdirp, nodeFs, removeQuietly, syncPath, tempPathFor, withTempFile, writeFileAtomic } from './atomic.js';
export type { AtomicFileHandle, AtomicFs } from './atomic.js';
export { DigestMeter, sha256File, type FileDigest } from './digest.js';
export { isAlive } from './process.js';
export { asUserError, errnoCode, fsError, isUserFsErrno, type FsAction } from './errors.js';
export { sweepDir, sweepStaleTemps, tempOwner } from './sweep.js';
