/** The lockfile's data model (`heygen.lock.yaml`). Serialized by `src/lockfile/`. */

/**
 * 1: the first format. 2: the same fields, and the file must end with its end line (see
 * src/lockfile/seal.ts) so that a file cut short is refused. Version 1 files are still read.
 */
export const LOCKFILE_VERSION = 2;

/**
 * pending: intent recorded, the paid POST may or may not have reached HeyGen;
 * submitted: HeyGen gave us an id, not finished; completed; failed.
 */
export type LockStatus = 'pending' | 'submitted' | 'completed' | 'failed';

export interface FileRecord {
  path: string;
  sha256: string;
  size: number;
}

export interface RemoteError {
  code?: string;
  message: string;
}

export interface TranslationLock {
  key: string;
  /** The HeyGen language name the request used. */
  language: string;
  status: LockStatus;
  idempotencyKey?: string;
  attempt: number;
  remoteId?: string;
  output?: FileRecord;
  captions?: FileRecord;
  error?: RemoteError;
}

export interface LockEntry {
  key: string;
  /** Digest per part (`scenes[1].script`, `voice.speed`, `asset a/b.jpg`) so plans can say what changed. */
  parts: Record<string, string>;
  status: LockStatus;
  api?: 'v3' | 'v2';
  idempotencyKey?: string;
  /** Increases on a deliberate retry of a failed render, so the Idempotency-Key changes with it. */
  attempt: number;
  remoteId?: string;
  durationSeconds?: number;
  output?: FileRecord;
  captions?: FileRecord;
  error?: RemoteError;
  /** Keyed by the language as written in the manifest. */
  translations: Record<string, TranslationLock>;
  /** The output was composed locally from scene clips (`clips`), not rendered whole by HeyGen. */
  composed?: boolean;
}

/** What made a clip: `POST /v3/videos` (an avatar scene) or `POST /v3/voices/speech` (a narrated scene). */
export type ClipKind = 'avatar' | 'speech';

/**
 * One scene clip, keyed by its content key (src/plan/scenes.ts): journaled like a video, so a clip is
 * paid for once whatever videos use it. `file` is the downloaded clip under `.heygen/clips/`.
 */
export interface ClipLock {
  kind: ClipKind;
  status: LockStatus;
  attempt: number;
  idempotencyKey?: string;
  remoteId?: string;
  durationSeconds?: number;
  file?: FileRecord;
  captions?: FileRecord;
  error?: RemoteError;
}

export interface AssetRecord {
  /** Last project-relative path seen with these bytes (informational). */
  path: string;
  size: number;
  api: 'v3' | 'v2';
  remoteId: string;
}

export interface Lockfile {
  version: number;
  /** Keyed by video id. */
  videos: Record<string, LockEntry>;
  /** Keyed by the sha256 of the asset's bytes. */
  assets: Record<string, AssetRecord>;
  /** Scene clips, keyed by clip key (absent until a video is rendered scene by scene). */
  clips?: Record<string, ClipLock>;
}

export function emptyLockfile(): Lockfile {
  return { version: LOCKFILE_VERSION, videos: {}, assets: {} };
}
