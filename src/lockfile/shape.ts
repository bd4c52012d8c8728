/**
 * Hand-written shape checks for a parsed lockfile: fast on 10k entries and precise about where
 * the problem is (a path the parser turns into a line). Builds fresh objects holding only known
 * fields, so nothing unexpected from a hand-edited file flows further in.
 *
 * Unknown fields are refused rather than dropped: dropping them would silently lose data on the
 * next save. A format change that adds fields bumps LOCKFILE_VERSION instead.
 */
import type {
  AssetRecord,
  ClipKind,
  ClipLock,
  FileRecord,
  LockEntry,
  Lockfile,
  LockStatus,
  RemoteError,
  ProofreadLock,
  ShardStamp,
  TranslationLock,
} from '../model/lock.js';
import { CLIP_SUFFIX, clipFilePath, derivedIdempotencyKey } from './compact.js';

/** Where in the lockfile a shape error is, as a path of keys and indexes. */
export type ShapePath = (string | number)[];

/** A lockfile that parses as YAML but has the wrong shape, with the path to the bad value. */
export class ShapeError extends Error {
  constructor(
    readonly path: ShapePath,
    message: string,
  ) {
    super(message);
  }
}

const STATUSES: readonly LockStatus[] = ['pending', 'submitted', 'completed', 'failed'];
const APIS = ['v3', 'v2'] as const;
const CLIP_KINDS: readonly ClipKind[] = ['avatar', 'speech'];
const HEX64 = /^[0-9a-f]{64}$/;

type Obj = Record<string, unknown>;

/** Checks parsed lockfile data has the expected shape and returns it typed; throws ShapeError otherwise. */
export function checkLockfile(raw: unknown): Lockfile {
  const top = object(raw, [], ['version', 'videos', 'assets', 'clips', 'base', 'shard']);
  const version = integer(top.version, ['version'], 1);
  const f = version >= 4 ? FORMAT_4 : version >= 3 ? FORMAT_3 : FORMAT_2;
  return defined({
    version,
    base: optional(top.base, ['base'], hex64),
    shard: optional(top.shard, ['shard'], checkShardStamp),
    // Absent maps read as empty: a hand-written `version: 1` is a valid empty lockfile.
    videos: record(top.videos ?? {}, ['videos'], (v, p) => checkEntry(v, p, f)),
    assets: record(top.assets ?? {}, ['assets'], checkAsset, HEX64, 'a sha256 (64 lowercase hex digits)'),
    clips: optional(top.clips, ['clips'], (v, p) => record(v, p, (c, q) => checkClip(c, q, f), HEX64, 'a clip key (64 lowercase hex digits)')),
  });
}

/** How a format writes the values format 3 shortens (compact.ts); everything else reads alike. */
interface Format {
  /** A file record; `clipKey` when it is that clip's file. */
  file: (raw: unknown, path: ShapePath, clipKey?: string) => FileRecord;
  attempt: (raw: unknown, path: ShapePath) => number;
  /** A clip's Idempotency-Key from what the file holds for it (undefined: the line is absent). */
  clipIdempotencyKey: (raw: unknown, path: ShapePath, clipKey: string, attempt: number) => string | undefined;
  /** Whether an entry may write its parts as one `row:` line (format 4). */
  rowLine: boolean;
  /** A clip's kind. */
  clipKind: (raw: unknown, path: ShapePath) => ClipKind;
  /** A clip's status; `hasFile`: the clip records its downloaded file. */
  clipStatus: (raw: unknown, path: ShapePath, hasFile: boolean) => LockStatus;
}

const clipKind = (v: unknown, p: ShapePath): ClipKind => oneOf(v, p, CLIP_KINDS);
const clipStatus = (v: unknown, p: ShapePath): LockStatus => oneOf(v, p, STATUSES);

const FORMAT_2: Format = {
  file: (v, p) => checkFile(v, p),
  attempt: (v, p) => integer(v, p, 0),
  clipIdempotencyKey: (v, p) => optional(v, p, string),
  rowLine: false,
  clipKind,
  clipStatus,
};

/** Files as `[path, sha256, size]`; attempt 1 and a derivable clip Idempotency-Key left out (`null`: none). */
const FORMAT_3: Format = {
  file: compactFile,
  attempt: (v, p) => (v === undefined ? 1 : integer(v, p, 0)),
  clipIdempotencyKey: (v, p, key, attempt) => (v === undefined ? derivedIdempotencyKey(key, attempt) : v === null ? undefined : string(v, p)),
  rowLine: false,
  clipKind,
  clipStatus,
};

/**
 * Format 3, and a clip without `kind` is an avatar clip, one with its file and no `status` is
 * completed; a row's entry says `row: <digest>` for `parts: {row: <digest>}`.
 */
const FORMAT_4: Format = {
  ...FORMAT_3,
  rowLine: true,
  clipKind: (v, p) => (v === undefined ? 'avatar' : clipKind(v, p)),
  clipStatus: (v, p, hasFile) => (v === undefined && hasFile ? 'completed' : clipStatus(v, p)),
};

function checkEntry(raw: unknown, path: ShapePath, f: Format): LockEntry {
  const o = object(raw, path, [
    'key', 'status', 'api', 'attempt', 'idempotencyKey', 'remoteId', 'sessionId', 'durationSeconds',
    'output', 'captions', 'error', 'parts', 'translations', 'composed', 'alternates', 'proofreads', ...(f.rowLine ? ['row'] : []),
  ]);
  return defined({
    key: hex64(o.key, [...path, 'key']),
    parts: entryParts(o, path),
    status: oneOf(o.status, [...path, 'status'], STATUSES),
    api: optional(o.api, [...path, 'api'], (v, p) => oneOf(v, p, APIS)),
    idempotencyKey: optional(o.idempotencyKey, [...path, 'idempotencyKey'], string),
    attempt: f.attempt(o.attempt, [...path, 'attempt']),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
    sessionId: optional(o.sessionId, [...path, 'sessionId'], string),
    durationSeconds: optional(o.durationSeconds, [...path, 'durationSeconds'], nonNegative),
    output: optional(o.output, [...path, 'output'], f.file),
    captions: optional(o.captions, [...path, 'captions'], f.file),
    error: optional(o.error, [...path, 'error'], checkError),
    translations: record(o.translations ?? {}, [...path, 'translations'], (v, p) => checkTranslation(v, p, f)),
    proofreads: optional(o.proofreads, [...path, 'proofreads'], (v, p) => record(v, p, (x, q) => checkProofread(x, q, f))),
    composed: optional(o.composed, [...path, 'composed'], (v, p) => (oneOf(String(v), p, ['true']) === 'true' ? true : undefined)),
    alternates: optional(o.alternates, [...path, 'alternates'], (v, p) => alternates(v, p, (x, q) => checkEntry(x, q, f))),
  });
}

/** An entry's part digests: its `parts:` map, or a row's `row:` line (format 4), never both. */
function entryParts(o: Obj, path: ShapePath): Record<string, string> {
  if (o.row === undefined) return record(o.parts, [...path, 'parts'], string);
  if (o.parts !== undefined) throw new ShapeError([...path, 'row'], 'expected either `row:` or `parts:`, found both');
  return { row: string(o.row, [...path, 'row']) };
}

function checkClip(raw: unknown, path: ShapePath, f: Format): ClipLock {
  const o = object(raw, path, ['kind', 'status', 'attempt', 'idempotencyKey', 'remoteId', 'durationSeconds', 'file', 'captions', 'error']);
  const key = path[path.length - 1] as string;
  const attempt = f.attempt(o.attempt, [...path, 'attempt']);
  const clipFile = (v: unknown, p: ShapePath): FileRecord => f.file(v, p, key);
  return defined({
    kind: f.clipKind(o.kind, [...path, 'kind']),
    status: f.clipStatus(o.status, [...path, 'status'], o.file !== undefined),
    attempt,
    idempotencyKey: f.clipIdempotencyKey(o.idempotencyKey, [...path, 'idempotencyKey'], key, attempt),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
    durationSeconds: optional(o.durationSeconds, [...path, 'durationSeconds'], nonNegative),
    file: optional(o.file, [...path, 'file'], clipFile),
    captions: optional(o.captions, [...path, 'captions'], clipFile),
    error: optional(o.error, [...path, 'error'], checkError),
  });
}

/** The fields a translation and a proofread share: one render in one language. */
function languageJob(o: Obj, path: ShapePath, f: Format) {
  return {
    key: hex64(o.key, [...path, 'key']),
    language: string(o.language, [...path, 'language']),
    status: oneOf(o.status, [...path, 'status'], STATUSES),
    idempotencyKey: optional(o.idempotencyKey, [...path, 'idempotencyKey'], string),
    attempt: f.attempt(o.attempt, [...path, 'attempt']),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
  };
}

function checkTranslation(raw: unknown, path: ShapePath, f: Format): TranslationLock {
  const o = object(raw, path, [
    'key', 'language', 'status', 'attempt', 'idempotencyKey', 'remoteId', 'layer', 'output', 'captions', 'error', 'alternates', 'srt',
  ]);
  return defined({
    ...languageJob(o, path, f),
    layer: optional(o.layer, [...path, 'layer'], string),
    output: optional(o.output, [...path, 'output'], f.file),
    captions: optional(o.captions, [...path, 'captions'], f.file),
    error: optional(o.error, [...path, 'error'], checkError),
    alternates: optional(o.alternates, [...path, 'alternates'], (v, p) => alternates(v, p, (x, q) => checkTranslation(x, q, f))),
    srt: optional(o.srt, [...path, 'srt'], hex64),
  });
}

function checkProofread(raw: unknown, path: ShapePath, f: Format): ProofreadLock {
  const o = object(raw, path, ['key', 'language', 'status', 'attempt', 'idempotencyKey', 'remoteId', 'generated', 'output', 'error']);
  return defined({
    ...languageJob(o, path, f),
    generated: optional(o.generated, [...path, 'generated'], hex64),
    output: optional(o.output, [...path, 'output'], f.file),
    error: optional(o.error, [...path, 'error'], checkError),
  });
}

/** Alternate records by key: each under its own key, and none holding alternates of its own (merge.ts flattens them). */
function alternates<T extends { key: string; alternates?: unknown }>(v: unknown, path: ShapePath, item: (v: unknown, path: ShapePath) => T): Record<string, T> {
  const out = record(v, path, item, HEX64, 'a content key (64 lowercase hex digits)');
  for (const [k, rec] of Object.entries(out)) {
    if (rec.key !== k) throw new ShapeError([...path, k, 'key'], `expected the key it is filed under (${k}), found ${rec.key}`);
    if (rec.alternates !== undefined) throw new ShapeError([...path, k, 'alternates'], 'an alternate record cannot hold alternates');
  }
  return out;
}

/** A partial lockfile's `shard:` (see ShardStamp). */
function checkShardStamp(raw: unknown, path: ShapePath): ShardStamp {
  const o = object(raw, path, ['index', 'count', 'dealt']);
  return { index: integer(o.index, [...path, 'index'], 0), count: integer(o.count, [...path, 'count'], 1), dealt: hex64(o.dealt, [...path, 'dealt']) };
}

function checkFile(raw: unknown, path: ShapePath): FileRecord {
  const o = object(raw, path, ['path', 'sha256', 'size']);
  return {
    path: string(o.path, [...path, 'path']),
    sha256: hex64(o.sha256, [...path, 'sha256']),
    size: integer(o.size, [...path, 'size'], 0),
  };
}

/**
 * A format-3 file: `[path, sha256, size]`, or the long form (a mapping). In a clip (`clipKey`), a
 * bare extension stands for the clip's own file in the clip folder.
 */
function compactFile(raw: unknown, path: ShapePath, clipKey?: string): FileRecord {
  if (!Array.isArray(raw)) return checkFile(raw, path);
  if (raw.length !== 3) throw new ShapeError(path, `expected [path, sha256, size], found a list of ${raw.length}`);
  const [p, sha256, size] = raw as unknown[];
  const name = string(p, [...path, 0]);
  return {
    path: clipKey !== undefined && CLIP_SUFFIX.test(name) ? clipFilePath(clipKey, name) : name,
    sha256: hex64(sha256, [...path, 1]),
    size: integer(size, [...path, 2], 0),
  };
}

function checkError(raw: unknown, path: ShapePath): RemoteError {
  const o = object(raw, path, ['code', 'message']);
  return defined({
    code: optional(o.code, [...path, 'code'], string),
    message: string(o.message, [...path, 'message']),
  });
}

function checkAsset(raw: unknown, path: ShapePath): AssetRecord {
  const o = object(raw, path, ['path', 'size', 'api', 'remoteId']);
  return {
    path: string(o.path, [...path, 'path']),
    size: integer(o.size, [...path, 'size'], 0),
    api: oneOf(o.api, [...path, 'api'], APIS),
    remoteId: string(o.remoteId, [...path, 'remoteId']),
  };
}

// ---- primitives --------------------------------------------------------------------------

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function object(v: unknown, path: ShapePath, allowed: readonly string[]): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ShapeError(path, `expected a mapping, found ${describe(v)}`);
  }
  const o = v as Obj;
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new ShapeError([...path, k], `unknown field "${k}"`);
  }
  return o;
}

function record<T>(
  v: unknown,
  path: ShapePath,
  item: (v: unknown, path: ShapePath) => T,
  keyPattern?: RegExp,
  keyDescription?: string,
): Record<string, T> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ShapeError(path, `expected a mapping, found ${describe(v)}`);
  }
  const out: [string, T][] = [];
  for (const [k, x] of Object.entries(v)) {
    if (keyPattern && !keyPattern.test(k)) throw new ShapeError([...path, k], `key "${k}" is not ${keyDescription}`);
    out.push([k, item(x, [...path, k])]);
  }
  // fromEntries defines own properties, so even a key named "__proto__" stays data.
  return Object.fromEntries(out);
}

/** Drops undefined members so a parsed lockfile holds only what the file holds. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function optional<T>(v: unknown, path: ShapePath, check: (v: unknown, path: ShapePath) => T): T | undefined {
  return v === undefined ? undefined : check(v, path);
}

function string(v: unknown, path: ShapePath): string {
  if (typeof v !== 'string') throw new ShapeError(path, `expected a string, found ${describe(v)}`);
  return v;
}

function hex64(v: unknown, path: ShapePath): string {
  if (typeof v !== 'string' || !HEX64.test(v)) {
    throw new ShapeError(path, `expected a sha256 (64 lowercase hex digits), found ${describe(v)}`);
  }
  return v;
}

function integer(v: unknown, path: ShapePath, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new ShapeError(path, `expected an integer >= ${min}, found ${describe(v)}`);
  }
  return v;
}

function nonNegative(v: unknown, path: ShapePath): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ShapeError(path, `expected a number >= 0, found ${describe(v)}`);
  }
  return v;
}

function oneOf<T extends string>(v: unknown, path: ShapePath, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ShapeError(path, `expected one of ${values.join(', ')}, found ${describe(v)}`);
  }
  return v as T;
}
