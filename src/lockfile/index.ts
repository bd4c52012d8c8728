export { serializeLockfile, LOCKFILE_HEADER } from './serialize.js';
export { parseLockfile } from './parse.js';
export { writeFileAtomic, nodeFs, type AtomicFs, type AtomicFileHandle } from '../fsx/atomic.js';
export { readLockfile, writeLockfile, LockStore, type LockfileIoOptions, type ReadLockfileOptions } from './store.js';
export { acquireBuildLock, type BuildLock, type BuildLockInfo, type AcquireOptions } from './buildlock.js';
export { LOCKFILE_END } from './serialize.js';
export { resealLockfile, type ResealResult } from './reseal.js';
