/** The lockfile's data model (`heygen.lock.yaml`). Serialized by `src/lockfile/`. */

/**
 * 1: the first format. 2: the same fields, and the file must end with its end line (see
 * src/lockfile/seal.ts) so that a file cut short is refused. 3: the same state, written smaller:
 * files as one-line lists, and what can be derived left out (src/lockfile/compact.ts); it may also
 * hold `alternates` (records a merge kept side by side, src/lockfile/merge.ts) and a partial
 * lockfile's `base`. 4: a scene clip's `kind: avatar` and a finished clip's `status: completed`
 * are left out too (a row's clips are most of a rows build's lockfile, issue #9). Versions 1 to 3
 * are still read (and written as 4 by the next save).
 */
export const LOCKFILE_VERSION = 4;

/** The newest format this version reads: a newer file is refused by name rather than misread. */
export const LOCKFILE_NEWEST = LOCKFILE_VERSION;

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
  /** Other records of this language a merge kept (a different key each), by key: the next build picks by the manifest. */
  alternates?: Record<string, TranslationLock>;
  /** The sha256 of the approved SRT it was rendered from (a reviewed translation): plans name the file when it changes. */
  srt?: string;
}

/**
 * One language's HeyGen proofread session (a reviewed translation), journaled like a render: intent with its
 * Idempotency-Key, the session id, then the SRT downloaded for review (`output`).
 */
export interface ProofreadLock {
  /** src/hash/proofread.ts: the source, language and create options, plus the SRT it was seeded with. */
  key: string;
  language: string;
  status: LockStatus;
  idempotencyKey?: string;
  attempt: number;
  remoteId?: string;
  /** The SRT as HeyGen made it, written for review (never overwritten once there: it is the reviewer's file). */
  output?: FileRecord;
  error?: RemoteError;
  /** The translation key this session was rendered into (`generate` called): a session renders once. */
  generated?: string;
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
  /**
   * A prompt video's Video Agent session (`POST /v3/video-agents`), recorded as soon as HeyGen answers:
   * `remoteId` is the video it makes, known once the agent starts generating.
   */
  sessionId?: string;
  durationSeconds?: number;
  output?: FileRecord;
  captions?: FileRecord;
  error?: RemoteError;
  /** Keyed by the language as written in the manifest. */
  translations: Record<string, TranslationLock>;
  /** Proofread sessions of reviewed translations, keyed by the language as written (absent when none). */
  proofreads?: Record<string, ProofreadLock>;
  /** The output was composed locally from scene clips (`clips`), not rendered whole by HeyGen. */
  composed?: boolean;
  /**
   * Other records of this video a merge kept (two branches built it with different keys), by key: the
   * next plan uses the one whose key the manifest has, and a build then drops the rest.
   */
  alternates?: Record<string, LockEntry>;
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
  /**
   * Partial lockfiles only (`build --shard`): the sha256 of the lockfile's bytes the shard started
   * from, so `lock merge` knows whether the shard's records supersede the lockfile's (see merge.ts).
   */
  base?: string;
  /** Partial lockfiles only: which shard wrote it, and what every shard of its matrix dealt from (see ShardStamp). */
  shard?: ShardStamp;
}

/**
 * What a shard's partial lockfile says it was dealt from: its `index` of `count` shards, and `dealt`, the
 * sha256 of the list of units (each video's key and its jobs) and of the shares of the job cap that every
 * shard of one matrix ranks and deals alike. `lock merge` refuses partials that disagree.
 */
export interface ShardStamp {
  index: number;
  count: number;
  dealt: string;
}

/** A lockfile with nothing built yet, used when a project has no lockfile on disk. */
export function emptyLockfile(): Lockfile {
  return { version: LOCKFILE_VERSION, videos: {}, assets: {} };
}

/**
 * The record of `rec`'s id whose content key is `key`: the entry itself, or one of the alternates a
 * merge kept beside it (see src/lockfile/merge.ts). With none of that key, the entry (a change).
 */
export function pickRecord<R extends { key: string; alternates?: Record<string, R> }>(rec: R | undefined, key: string): R | undefined {
  if (!rec || rec.key === key || !rec.alternates) return rec;
  return Object.hasOwn(rec.alternates, key) ? rec.alternates[key] : rec;
}
