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
  TranslationLock,
} from '../model/lock.js';

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
  const top = object(raw, [], ['version', 'videos', 'assets', 'clips', 'base']);
  return defined({
    version: integer(top.version, ['version'], 1),
    base: optional(top.base, ['base'], hex64),
    // Absent maps read as empty: a hand-written `version: 1` is a valid empty lockfile.
    videos: record(top.videos ?? {}, ['videos'], checkEntry),
    assets: record(top.assets ?? {}, ['assets'], checkAsset, HEX64, 'a sha256 (64 lowercase hex digits)'),
    clips: optional(top.clips, ['clips'], (v, p) => record(v, p, checkClip, HEX64, 'a clip key (64 lowercase hex digits)')),
  });
}

function checkEntry(raw: unknown, path: ShapePath): LockEntry {
  const o = object(raw, path, [
    'key', 'status', 'api', 'attempt', 'idempotencyKey', 'remoteId', 'sessionId', 'durationSeconds',
    'output', 'captions', 'error', 'parts', 'translations', 'composed', 'alternates', 'proofreads',
  ]);
  return defined({
    key: hex64(o.key, [...path, 'key']),
    parts: record(o.parts, [...path, 'parts'], string),
    status: oneOf(o.status, [...path, 'status'], STATUSES),
    api: optional(o.api, [...path, 'api'], (v, p) => oneOf(v, p, APIS)),
    idempotencyKey: optional(o.idempotencyKey, [...path, 'idempotencyKey'], string),
    attempt: integer(o.attempt, [...path, 'attempt'], 0),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
    sessionId: optional(o.sessionId, [...path, 'sessionId'], string),
    durationSeconds: optional(o.durationSeconds, [...path, 'durationSeconds'], nonNegative),
    output: optional(o.output, [...path, 'output'], checkFile),
    captions: optional(o.captions, [...path, 'captions'], checkFile),
    error: optional(o.error, [...path, 'error'], checkError),
    translations: record(o.translations ?? {}, [...path, 'translations'], checkTranslation),
    proofreads: optional(o.proofreads, [...path, 'proofreads'], (v, p) => record(v, p, checkProofread)),
    composed: optional(o.composed, [...path, 'composed'], (v, p) => (oneOf(String(v), p, ['true']) === 'true' ? true : undefined)),
    alternates: optional(o.alternates, [...path, 'alternates'], (v, p) => alternates(v, p, checkEntry)),
  });
}

function checkClip(raw: unknown, path: ShapePath): ClipLock {
  const o = object(raw, path, ['kind', 'status', 'attempt', 'idempotencyKey', 'remoteId', 'durationSeconds', 'file', 'captions', 'error']);
  return defined({
    kind: oneOf(o.kind, [...path, 'kind'], CLIP_KINDS),
    status: oneOf(o.status, [...path, 'status'], STATUSES),
    attempt: integer(o.attempt, [...path, 'attempt'], 0),
    idempotencyKey: optional(o.idempotencyKey, [...path, 'idempotencyKey'], string),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
    durationSeconds: optional(o.durationSeconds, [...path, 'durationSeconds'], nonNegative),
    file: optional(o.file, [...path, 'file'], checkFile),
    captions: optional(o.captions, [...path, 'captions'], checkFile),
    error: optional(o.error, [...path, 'error'], checkError),
  });
}

function checkTranslation(raw: unknown, path: ShapePath): TranslationLock {
  const o = object(raw, path, [
    'key', 'language', 'status', 'attempt', 'idempotencyKey', 'remoteId', 'layer', 'output', 'captions', 'error', 'alternates', 'srt',
  ]);
  return defined({
    key: hex64(o.key, [...path, 'key']),
    language: string(o.language, [...path, 'language']),
    status: oneOf(o.status, [...path, 'status'], STATUSES),
    idempotencyKey: optional(o.idempotencyKey, [...path, 'idempotencyKey'], string),
    attempt: integer(o.attempt, [...path, 'attempt'], 0),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
    layer: optional(o.layer, [...path, 'layer'], string),
    output: optional(o.output, [...path, 'output'], checkFile),
    captions: optional(o.captions, [...path, 'captions'], checkFile),
    error: optional(o.error, [...path, 'error'], checkError),
    alternates: optional(o.alternates, [...path, 'alternates'], (v, p) => alternates(v, p, checkTranslation)),
    srt: optional(o.srt, [...path, 'srt'], hex64),
  });
}

function checkProofread(raw: unknown, path: ShapePath): ProofreadLock {
  const o = object(raw, path, ['key', 'language', 'status', 'attempt', 'idempotencyKey', 'remoteId', 'generated', 'output', 'error']);
  return defined({
    key: hex64(o.key, [...path, 'key']),
    language: string(o.language, [...path, 'language']),
    status: oneOf(o.status, [...path, 'status'], STATUSES),
    idempotencyKey: optional(o.idempotencyKey, [...path, 'idempotencyKey'], string),
    attempt: integer(o.attempt, [...path, 'attempt'], 0),
    remoteId: optional(o.remoteId, [...path, 'remoteId'], string),
    generated: optional(o.generated, [...path, 'generated'], hex64),
    output: optional(o.output, [...path, 'output'], checkFile),
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

function checkFile(raw: unknown, path: ShapePath): FileRecord {
  const o = object(raw, path, ['path', 'sha256', 'size']);
  return {
    path: string(o.path, [...path, 'path']),
    sha256: hex64(o.sha256, [...path, 'sha256']),
    size: integer(o.size, [...path, 'size'], 0),
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
