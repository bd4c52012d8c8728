export { canonicalJson, sha256Hex } from './canonical.js';
export { sha256File } from '../fsx/digest.js';
export { HASH_FORMAT, contentKey, dubSourceKey, videoKey, videoParts, translationKey, type VideoKey } from './key.js';
export { diffParts, compareNatural } from './diff.js';
export { idempotencyKey } from './idempotency.js';
