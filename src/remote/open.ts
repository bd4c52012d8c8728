/** Opens the store a `remote` config names: `s3://bucket/prefix` or `file:///path`. */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeygenBuildError } from '../errors.js';
import { FileStore } from './file.js';
import type { RemoteConfig, RemoteStore } from './store.js';

/** Where a remote url points: a bucket and key prefix, or a folder. */
export type RemoteTarget = { kind: 's3'; bucket: string; prefix: string } | { kind: 'file'; path: string };

/** Parses a remote url, or throws E_REMOTE_CONFIG naming what is wrong. */
export function parseRemoteUrl(url: string, root: string): RemoteTarget {
  const bad = (why: string): HeygenBuildError =>
    new HeygenBuildError('E_REMOTE_CONFIG', `heygen.config.ts: remote.url ${JSON.stringify(url)} ${why}`, {
      hint: "write remote: { url: 's3://bucket/prefix' } (with endpoint and forcePathStyle for R2 or MinIO) or { url: 'file:///shared/folder' }",
    });
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (s3) {
    const bucket = s3[1]!;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw bad('does not name a valid bucket (3-63 lowercase letters, digits, dots, hyphens)');
    return { kind: 's3', bucket, prefix: s3[2]!.replace(/\/+$/, '') };
  }
  if (url.startsWith('file://')) {
    const path = url.startsWith('file:///') ? fileURLToPath(url) : url.slice('file://'.length);
    if (!path) throw bad('names no folder');
    return { kind: 'file', path: isAbsolute(path) ? path : resolve(root, path) };
  }
  throw bad('is neither s3://bucket/prefix nor file:///path');
}

/** Opens the configured store (the S3 SDK is loaded only for an s3:// url). */
export async function openStore(cfg: RemoteConfig, root: string): Promise<RemoteStore> {
  const t = parseRemoteUrl(cfg.url, root);
  if (t.kind === 'file') return new FileStore(t.path);
  const { openS3 } = await import('./s3.js');
  return openS3(cfg, t.bucket, t.prefix);
}
