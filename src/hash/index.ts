export { canonicalJson, sha256Hex } from './canonical.js';
export { sha256File } from '../fsx/digest.js';
export { HASH_FORMAT, baseKey, contentKey, dubSourceKey, videoKey, videoParts, translationKey, translationDraftKey, type VideoKey } from './key.js';
export { layerDigest } from './overlays.js';
export { proofreadKey } from './proofread.js';
export { diffParts, compareNatural } from './diff.js';
export { idempotencyKey } from './idempotency.js';
