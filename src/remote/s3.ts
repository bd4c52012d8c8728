/**
 * The remote store on S3 or an S3-compatible server (R2, MinIO, GCS interop), through the AWS SDK v3.
 * Credentials come only from the SDK's default chain (environment, shared profile, SSO, web identity,
 * container or instance role): nothing here reads, stores or prints one. Loaded only when a remote is
 * configured (the SDK takes ~0.18 s to import).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { removeQuietly, tempPathFor } from '../fsx/atomic.js';
import { storeError, isMissing, isPreconditionFailed } from './errors.js';
import type { OnBytes, RemoteConfig, RemoteStore } from './store.js';
import { storeAgents, storeUrl, type StoreAgents } from './s3-proxy.js';

/** Parts of 8 MiB, two in flight: an upload holds ~16 MiB of file whatever the file's size. */
export const PART_SIZE = 8 << 20;
const PARTS_IN_FLIGHT = 2;

type Sdk = typeof import('@aws-sdk/client-s3');

/** Opens an S3 store for `bucket`/`prefix` (the SDK is imported here, on first use). */
export async function openS3(cfg: RemoteConfig, bucket: string, prefix: string): Promise<S3Store> {
  // The SDK warns on every start that its 2027 releases will need Node 22; the version we pin supports
  // Node 20, and the warning would be noise in every build's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A region is required by the signer even where the server ignores it (MinIO, R2 use `auto`).
  const region = cfg.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const agents = await storeAgents(storeUrl(cfg, bucket, region));
  return new S3Store(await import('@aws-sdk/client-s3'), { ...cfg, region }, bucket, prefix, agents);
}

/** An S3 bucket (under a prefix) used as the remote store. */
export class S3Store implements RemoteStore {
  readonly display: string;
  private readonly client: InstanceType<Sdk['S3Client']>;
  private conditional?: Promise<boolean>;

  constructor(
    private readonly sdk: Sdk,
    cfg: RemoteConfig & { region: string },
    private readonly bucket: string,
    private readonly prefix: string,
    agents: StoreAgents = {},
  ) {
    this.display = cfg.url;
    this.client = new sdk.S3Client({
      region: cfg.region,
      ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
      ...(cfg.forcePathStyle !== undefined ? { forcePathStyle: cfg.forcePathStyle } : {}),
      maxAttempts: 3,
      // Through HTTPS_PROXY/HTTP_PROXY when one applies to the store (s3-proxy.ts).
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000, ...agents },
    });
  }

  private key(k: string): string {
    return this.prefix ? `${this.prefix}/${k}` : k;
  }

  private async call<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw storeError(e, this.display, op, key);
    }
  }

  async get(key: string, signal?: AbortSignal): Promise<Buffer | undefined> {
    try {
      const r = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }), signal ? { abortSignal: signal } : {});
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw storeError(e, this.display, 'read', key);
    }
  }

  put(key: string, body: string | Buffer): Promise<void> {
    return this.call('write', key, async () => {
      await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: body }));
    });
  }

  async putIfAbsent(key: string, body: string | Buffer): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: body, IfNoneMatch: '*' }));
      return true;
    } catch (e) {
      if (isPreconditionFailed(e)) return false;
      throw storeError(e, this.display, 'claim', key);
    }
  }

  /** Probed once with a throwaway object: a server that ignores `If-None-Match` accepts the second write. */
  conditionalWrites(): Promise<boolean> {
    this.conditional ??= (async () => {
      const probe = `claims/.probe-${process.pid}-${Date.now()}`;
      try {
        await this.putIfAbsent(probe, 'probe');
        return !(await this.putIfAbsent(probe, 'probe'));
      } finally {
        await this.delete(probe).catch(() => undefined);
      }
    })();
    return this.conditional;
  }

  async has(key: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }), signal ? { abortSignal: signal } : {});
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw storeError(e, this.display, 'look up', key);
    }
  }

  upload(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal): Promise<void> {
    return this.call('upload', key, async () => {
      const { size } = await stat(file);
      if (size <= PART_SIZE) {
        await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: await readFile(file), ContentLength: size }), signal ? { abortSignal: signal } : {});
        onBytes?.(size);
        return;
      }
      await this.multipart(key, file, size, onBytes, signal);
    });
  }

  /**
   * A large file in parts, each read just before it is sent into its worker's buffer: at most
   * PARTS_IN_FLIGHT parts are in memory, whatever the file's size. A failed upload is aborted so the
   * store keeps no orphaned parts.
   */
  private async multipart(key: string, file: string, size: number, onBytes?: OnBytes, signal?: AbortSignal): Promise<void> {
    const Bucket = this.bucket;
    const Key = this.key(key);
    const opts = signal ? { abortSignal: signal } : {};
    const { UploadId } = await this.client.send(new this.sdk.CreateMultipartUploadCommand({ Bucket, Key }), opts);
    const count = Math.ceil(size / PART_SIZE);
    const parts: { ETag: string; PartNumber: number }[] = [];
    const fh = await open(file, 'r');
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        // One buffer per worker, reused for each of its parts (the SDK is done with it once `send`
        // resolves): a fresh buffer per part left the garbage collector ~70 MB behind.
        const whole = Buffer.allocUnsafe(PART_SIZE);
        while (next < count) {
          const i = next++;
          const len = Math.min(PART_SIZE, size - i * PART_SIZE);
          const buf = whole.subarray(0, len);
          await fh.read(buf, 0, len, i * PART_SIZE);
          const r = await this.client.send(new this.sdk.UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: buf, ContentLength: len }), opts);
          parts[i] = { ETag: r.ETag!, PartNumber: i + 1 };
          onBytes?.(len);
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, count) }, worker));
      await this.client.send(new this.sdk.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }), opts);
    } catch (e) {
      await this.client.send(new this.sdk.AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw e;
    } finally {
      await fh.close();
    }
  }

  async download(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal, onData?: (chunk: Buffer) => void): Promise<boolean> {
    let body: Readable;
    try {
      const r = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }), signal ? { abortSignal: signal } : {});
      body = r.Body as Readable;
    } catch (e) {
      if (isMissing(e)) return false;
      throw storeError(e, this.display, 'download', key);
    }
    await mkdir(dirname(file), { recursive: true });
    const temp = tempPathFor(file, 'part');
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        onBytes?.(chunk.length);
        onData?.(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, count, createWriteStream(temp, { flush: true }), { ...(signal ? { signal } : {}) });
      await rename(temp, file);
      return true;
    } catch (e) {
      await removeQuietly(temp);
      throw storeError(e, this.display, 'download', key);
    }
  }

  async *list(prefix: string, signal?: AbortSignal): AsyncIterable<string> {
    let token: string | undefined;
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    do {
      const page = await this.call('list', prefix, () =>
        this.client.send(
          new this.sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(prefix), ...(token ? { ContinuationToken: token } : {}) }),
          signal ? { abortSignal: signal } : {},
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield o.Key.slice(strip);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  delete(key: string): Promise<void> {
    return this.call('delete', key, async () => {
      await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
    });
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }
}
