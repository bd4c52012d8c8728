/**
 * The remote store's contract: a flat key space of objects, what both backends (S3 and a shared folder)
 * offer. Everything above it (blobs, records, claims, the push journal) is written against this alone,
 * so other commands (shards, lock merge) can use a store without knowing which one it is.
 */

/** Bytes moved so far by one transfer; called often, so it must be cheap. */
export type OnBytes = (n: number) => void;

/** One object store: S3-compatible (`s3://bucket/prefix`) or a shared folder (`file:///path`). */
export interface RemoteStore {
  /** The store as configured, for messages (never holds a credential). */
  readonly display: string;
  /** A small object's bytes, or undefined when there is none. */
  get(key: string, signal?: AbortSignal): Promise<Buffer | undefined>;
  /** Writes a small object, replacing any. */
  put(key: string, body: string | Buffer): Promise<void>;
  /**
   * Writes a small object only if the key is free (`If-None-Match: *`). True when written, false when
   * another writer got there first. Only meaningful when `conditionalWrites()` answered true.
   */
  putIfAbsent(key: string, body: string | Buffer): Promise<boolean>;
  /** Whether the store refuses a second `putIfAbsent` of one key (probed once, then remembered). */
  conditionalWrites(): Promise<boolean>;
  /** Whether an object exists. */
  has(key: string, signal?: AbortSignal): Promise<boolean>;
  /** Streams a local file up (multipart when large); memory stays flat. */
  upload(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal): Promise<void>;
  /**
   * Streams an object into `file` (which it creates or replaces); false when there is no such object.
   * `onData` sees every chunk on its way to the disk (a digest taken there needs no second read).
   */
  download(key: string, file: string, onBytes?: OnBytes, signal?: AbortSignal, onData?: (chunk: Buffer) => void): Promise<boolean>;
  /** Every key under `prefix`, in no particular order. */
  list(prefix: string, signal?: AbortSignal): AsyncIterable<string>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/** The `remote` block of the config, as written. */
export interface RemoteConfig {
  /** `s3://bucket/prefix` or `file:///absolute/path`. */
  url: string;
  region?: string;
  /** An S3-compatible endpoint (R2, MinIO, GCS interop), e.g. `https://<account>.r2.cloudflarestorage.com`. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO and most local servers need. */
  forcePathStyle?: boolean;
}
