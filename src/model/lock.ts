/** The lockfile's data model (`heygen.lock.yaml`). Serialized by `src/lockfile/`. */

/**
 * 1: the first format. 2: the same fields, and the file must end with its end line (see
 * src/lockfile/seal.ts) so that a file cut short is refused. 3: the same state, written smaller:
 * files as one-line lists, and what can be derived left out (src/lockfile/compact.ts).
 * Version 1 and 2 files are still read (and written as 3 by the next save).
 */
export const LOCKFILE_VERSION = 3;

/**
 * pending: intent recorded, the paid POST may or may not have reached HeyGen;
 * submitted: HeyGen gave us an id, not finished; completed; failed.
 */
export type LockStatus = 'pending' | 'submitted' | 'completed' | 'failed';

/** A file the build wrote, with its digest and size, so a later run can tell whether it is still intact on disk. */
export interface FileRecord {
  path: string;
  sha256: string;
  size: number;
}

/** The error HeyGen reported for a failed render, kept in the lock so `plan` can show why a video needs a retry. */
export interface RemoteError {
  code?: string;
  message: string;
}

/**
 * The lock state of one translation of a video: its content key and the remote job that produced (or is producing) it.
 */
export interface TranslationLock {
  key: string;
  /** The HeyGen language name the request used. */
  language: string;
  status: LockStatus;
  idempotencyKey?: string;
  attempt: number;
  remoteId?: string;
  /** The digest of the language's text layer drawn on `output` (src/hash/overlays.ts); absent without overlays. */
  layer?: string;
  output?: FileRecord;
  captions?: FileRecord;
  error?: RemoteError;
}

/** The lock state of one video: the content key it was last built with and the remote jobs and files that resulted. */
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

/** An uploaded asset, keyed by content digest in the lock so identical bytes are uploaded to HeyGen only once. */
export interface AssetRecord {
  /** Last project-relative path seen with these bytes (informational). */
  path: string;
  size: number;
  api: 'v3' | 'v2';
  remoteId: string;
}

/** The whole committed lockfile: what was built with which inputs, the base every plan diffs against. */
export interface Lockfile {
  version: number;
  /** Keyed by video id. */
  videos: Record<string, LockEntry>;
  /** Keyed by the sha256 of the asset's bytes. */
  assets: Record<string, AssetRecord>;
  /** Scene clips, keyed by clip key (absent until a video is rendered scene by scene). */
  clips?: Record<string, ClipLock>;
}

/** A lockfile with nothing built yet, used when a project has no lockfile on disk. */
export function emptyLockfile(): Lockfile {
  return { version: LOCKFILE_VERSION, videos: {}, assets: {} };
}
