/**
 * Content-addressed blobs: uploaded once (a blob already there is skipped), and checked against their
 * digest on the way down: a corrupt or truncated blob is fetched once more, then refused.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ERROR_CODES, HeygenBuildError } from '../errors.js';
import { removeQuietly, tempPathFor } from '../fsx/atomic.js';
import { sha256File } from '../fsx/digest.js';
import { blobKey } from './layout.js';
import type { OnBytes, RemoteStore } from './store.js';

/** Uploads `file` as the blob of `sha256` unless the store has it. False when the file no longer has that digest. */
export async function pushBlob(store: RemoteStore, file: string, sha256: string, onBytes?: OnBytes, signal?: AbortSignal): Promise<boolean> {
  const key = blobKey(sha256);
  if (await store.has(key, signal)) return true;
  // The file may have been rebuilt since it was recorded: never store bytes under another digest.
  if ((await sha256File(file).catch(() => undefined))?.sha256 !== sha256) return false;
  await store.upload(key, file, onBytes, signal);
  return true;
}

/** Downloads the blob of `sha256` into `dest` (renamed into place only once its digest matches). False when the store has no such blob. */
export async function pullBlob(store: RemoteStore, sha256: string, dest: string, onBytes?: OnBytes, signal?: AbortSignal): Promise<boolean> {
  await mkdir(dirname(dest), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const temp = tempPathFor(dest, 'part');
    try {
      // The digest is taken as the bytes go to the disk: no second read of the file.
      const hash = createHash('sha256');
      if (!(await store.download(blobKey(sha256), temp, onBytes, signal, (chunk) => hash.update(chunk)))) return false;
      const got = { sha256: hash.digest('hex') };
      if (got.sha256 === sha256) {
        await rename(temp, dest);
        return true;
      }
      if (attempt >= 2) {
        throw new HeygenBuildError('E_REMOTE_DIGEST', `${store.display}: blob ${blobKey(sha256)} is corrupt: its bytes hash to ${got.sha256.slice(0, 12)}, twice`, {
          hint: ERROR_CODES.E_REMOTE_DIGEST,
        });
      }
    } finally {
      await removeQuietly(temp);
    }
  }
}
