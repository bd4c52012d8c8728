/**
 * The format-3 writer, as heygen-build wrote lockfiles before format 4 (copied from
 * src/lockfile/serialize.ts at that version): the migration tests read exactly the bytes an older
 * version left in users' repositories.
 */
import { LOCKFILE_END, LOCKFILE_HEADER } from '../../src/lockfile/serialize.js';
import type { AssetRecord, ClipLock, FileRecord, LockEntry, Lockfile, ProofreadLock, RemoteError, TranslationLock } from '../../src/model/lock.js';
import { CLIP_SUFFIX, clipFilePath, derivedIdempotencyKey } from '../../src/lockfile/compact.js';
import { flowList, scalar } from '../../src/lockfile/scalar.js';

/** `lock` as format 3 wrote it. */
export function serializeFormat3(lock: Lockfile): string {
  const out: string[] = [];
  scalarField(out, '', 'version', 3);
  scalarField(out, '', 'base', lock.base);
  record(out, '', 'videos', lock.videos, entry, true);
  record(out, '', 'assets', lock.assets, asset, true);
  record(out, '', 'clips', lock.clips ?? {}, clip, false);
  return `${LOCKFILE_HEADER}${out.join('\n')}\n${LOCKFILE_END}`;
}

type Emit<T> = (out: string[], pad: string, value: T) => void;
type EmitItem<T> = (out: string[], pad: string, key: string, value: T) => void;

/** Code-unit order: the same in every locale, unlike localeCompare. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** YAML limits implicit keys to 1024 characters; longer ones need the explicit `? key` form. */
const MAX_IMPLICIT_KEY = 1000;

function keyHead(pad: string, key: string): string {
  const k = scalar(key);
  return k.length > MAX_IMPLICIT_KEY ? `${pad}? ${k}\n${pad}:` : `${pad}${k}:`;
}

function scalarField(out: string[], pad: string, name: string, value: string | number | undefined): void {
  if (value !== undefined) out.push(`${pad}${name}: ${scalar(value)}`);
}

/** Most entries are on their first attempt: format 3 writes the number from the second on (compact.ts). */
function attemptField(out: string[], pad: string, attempt: number): void {
  if (attempt !== 1) scalarField(out, pad, 'attempt', attempt);
}

/** A map sorted by key; empty maps are written as `{}` if `keepEmpty`, else left out. */
function record<T>(
  out: string[],
  pad: string,
  name: string,
  rec: Record<string, T>,
  item: EmitItem<T>,
  keepEmpty: boolean,
): void {
  const keys = Object.keys(rec).sort(byCodeUnit);
  if (keys.length === 0) {
    if (keepEmpty) out.push(`${pad}${name}: {}`);
    return;
  }
  out.push(`${pad}${name}:`);
  const inner = `${pad}  `;
  for (const k of keys) item(out, inner, k, rec[k] as T);
}

/** Adapts a map-valued item (`key:` then fields one level deeper). */
function nested<T>(fields: Emit<T>): EmitItem<T> {
  return (out, pad, key, value) => {
    out.push(keyHead(pad, key));
    fields(out, `${pad}  `, value);
  };
}

function map<T>(out: string[], pad: string, name: string, value: T | undefined, fields: Emit<T>): void {
  if (value === undefined) return;
  out.push(`${pad}${name}:`);
  fields(out, `${pad}  `, value);
}

const entry: EmitItem<LockEntry> = nested<LockEntry>((out, pad, e) => {
  scalarField(out, pad, 'key', e.key);
  scalarField(out, pad, 'status', e.status);
  scalarField(out, pad, 'api', e.api);
  attemptField(out, pad, e.attempt);
  scalarField(out, pad, 'idempotencyKey', e.idempotencyKey);
  scalarField(out, pad, 'remoteId', e.remoteId);
  scalarField(out, pad, 'sessionId', e.sessionId);
  scalarField(out, pad, 'durationSeconds', e.durationSeconds);
  if (e.composed) out.push(`${pad}composed: true`);
  fileField(out, pad, 'output', e.output);
  fileField(out, pad, 'captions', e.captions);
  map(out, pad, 'error', e.error, error);
  record(out, pad, 'parts', e.parts, part, true);
  record(out, pad, 'translations', e.translations, translation, false);
  record(out, pad, 'alternates', e.alternates ?? {}, entry, false);
  record(out, pad, 'proofreads', e.proofreads ?? {}, proofread, false);
});

function part(out: string[], pad: string, name: string, digest: string): void {
  out.push(`${keyHead(pad, name)} ${scalar(digest)}`);
}

/** The fields a translation and a proofread share, first and in this order: one render in one language. */
function languageJob(out: string[], pad: string, j: TranslationLock | ProofreadLock): void {
  scalarField(out, pad, 'key', j.key);
  scalarField(out, pad, 'language', j.language);
  scalarField(out, pad, 'status', j.status);
  attemptField(out, pad, j.attempt);
  scalarField(out, pad, 'idempotencyKey', j.idempotencyKey);
  scalarField(out, pad, 'remoteId', j.remoteId);
}

const translation: EmitItem<TranslationLock> = nested<TranslationLock>((out, pad, t) => {
  languageJob(out, pad, t);
  scalarField(out, pad, 'layer', t.layer);
  fileField(out, pad, 'output', t.output);
  fileField(out, pad, 'captions', t.captions);
  map(out, pad, 'error', t.error, error);
  record(out, pad, 'alternates', t.alternates ?? {}, translation, false);
  scalarField(out, pad, 'srt', t.srt);
});

const proofread = nested<ProofreadLock>((out, pad, p) => {
  languageJob(out, pad, p);
  scalarField(out, pad, 'generated', p.generated);
  fileField(out, pad, 'output', p.output);
  map(out, pad, 'error', p.error, error);
});

function clip(out: string[], pad: string, key: string, c: ClipLock): void {
  out.push(keyHead(pad, key));
  const inner = `${pad}  `;
  scalarField(out, inner, 'kind', c.kind);
  scalarField(out, inner, 'status', c.status);
  attemptField(out, inner, c.attempt);
  // Left out when derivable; a clip with no key at all (never written by a build) says so with null.
  if (c.idempotencyKey === undefined) {
    if (derivedIdempotencyKey(key, c.attempt) !== undefined) out.push(`${inner}idempotencyKey: null`);
  } else if (c.idempotencyKey !== derivedIdempotencyKey(key, c.attempt)) scalarField(out, inner, 'idempotencyKey', c.idempotencyKey);
  scalarField(out, inner, 'remoteId', c.remoteId);
  scalarField(out, inner, 'durationSeconds', c.durationSeconds);
  fileField(out, inner, 'file', c.file, key);
  fileField(out, inner, 'captions', c.captions, key);
  map(out, inner, 'error', c.error, error);
}

/**
 * A file as one line, `[path, sha256, size]`. A clip's file in the clip folder under its own key
 * is written `[extension, sha256, size]` (its path holds the clip key again); a clip path that
 * could be read as an extension keeps the long form, so every record reads back exactly.
 */
function fileField(out: string[], pad: string, name: string, f: FileRecord | undefined, clipKey?: string): void {
  if (f === undefined) return;
  let path = f.path;
  if (clipKey !== undefined) {
    const ext = f.path.slice(f.path.lastIndexOf('.') + 1);
    if (CLIP_SUFFIX.test(ext) && f.path === clipFilePath(clipKey, ext)) path = ext;
    else if (CLIP_SUFFIX.test(f.path)) {
      map(out, pad, name, f, fileFields);
      return;
    }
  }
  out.push(`${pad}${name}: ${flowList([path, f.sha256, f.size])}`);
}

function fileFields(out: string[], pad: string, f: FileRecord): void {
  scalarField(out, pad, 'path', f.path);
  scalarField(out, pad, 'sha256', f.sha256);
  scalarField(out, pad, 'size', f.size);
}

function error(out: string[], pad: string, e: RemoteError): void {
  scalarField(out, pad, 'code', e.code);
  scalarField(out, pad, 'message', e.message);
}

const asset = nested<AssetRecord>((out, pad, a) => {
  scalarField(out, pad, 'path', a.path);
  scalarField(out, pad, 'size', a.size);
  scalarField(out, pad, 'api', a.api);
  scalarField(out, pad, 'remoteId', a.remoteId);
});
