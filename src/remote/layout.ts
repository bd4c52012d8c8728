/**
 * Where things live in a store, the same for every backend:
 * `cas/sha256/<digest>` blobs, `records/<content key>.json` what rendering a key produced,
 * `claims/<content key>` who is rendering it now.
 */

/** The blob of a file with this sha256. */
export function blobKey(sha256: string): string {
  return `cas/sha256/${sha256}`;
}

/** The record of a rendered content key. */
export function recordKey(key: string): string {
  return `records/${key}.json`;
}

/** The claim on a content key about to be paid for. */
export function claimKey(key: string): string {
  return `claims/${key}`;
}

/** The content key a `records/<key>.json` object is for, or undefined for anything else. */
export function keyOfRecord(objectKey: string): string | undefined {
  const m = /^records\/([^/]+)\.json$/.exec(objectKey);
  return m?.[1];
}
