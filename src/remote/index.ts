/**
 * The remote store, for other commands (shards, lock merge): open the configured store, read and
 * write records and claims by content key, move blobs. Everything here works on both backends.
 */
export type { RemoteStore, RemoteConfig, OnBytes } from './store.js';
export { openStore, parseRemoteUrl, type RemoteTarget } from './open.js';
export { blobKey, recordKey, claimKey, keyOfRecord } from './layout.js';
export { parseRecord, type RemoteRecord, type RecordFile } from './record.js';
export { claim, recordClaimId, parseClaim, type Claim, type ClaimResult } from './claims.js';
export { pushBlob, pullBlob } from './blobs.js';
export { lockedRenders, type LockedRender } from './from-lock.js';
export { RemoteSession, type RemoteSummary } from './session.js';
export { pushAll, pullAll, remoteStatus, type PushResult, type PullResult, type RemoteStatus, type RemoteStatusRow } from './commands.js';
