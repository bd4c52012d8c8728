/**
 * The format-2 writer, as heygen-build wrote lockfiles before format 3 (copied from
 * src/lockfile/serialize.ts at that version): the migration tests read exactly the bytes an older
 * version left in users' repositories.
 */
import type { AssetRecord, ClipLock, FileRecord, LockEntry, Lockfile, RemoteError, TranslationLock } from '../../src/model/lock.js';
import { scalar } from '../../src/lockfile/scalar.js';
import { LOCKFILE_END, LOCKFILE_HEADER } from '../../src/lockfile/serialize.js';

/** `lock` as format 2 wrote it; `version: 1` and no end line with `version1`. */
export function serializeFormat2(lock: Lockfile, version1 = false): string {
  const out: string[] = [];
  scalarField(out, '', 'version', version1 ? 1 : 2);
  record(out, '', 'videos', lock.videos, entry, true);
  record(out, '', 'assets', lock.assets, asset, true);
  record(out, '', 'clips', lock.clips ?? {}, clip, false);
  return `${LOCKFILE_HEADER}${out.join('\n')}\n${version1 ? '' : LOCKFILE_END}`;
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

const entry = nested<LockEntry>((out, pad, e) => {
  scalarField(out, pad, 'key', e.key);
  scalarField(out, pad, 'status', e.status);
  scalarField(out, pad, 'api', e.api);
  scalarField(out, pad, 'attempt', e.attempt);
  scalarField(out, pad, 'idempotencyKey', e.idempotencyKey);
  scalarField(out, pad, 'remoteId', e.remoteId);
  scalarField(out, pad, 'durationSeconds', e.durationSeconds);
  if (e.composed) scalarField(out, pad, 'composed', 'true');
  map(out, pad, 'output', e.output, file);
  map(out, pad, 'captions', e.captions, file);
  map(out, pad, 'error', e.error, error);
  record(out, pad, 'parts', e.parts, part, true);
  record(out, pad, 'translations', e.translations, translation, false);
});

function part(out: string[], pad: string, name: string, digest: string): void {
  out.push(`${keyHead(pad, name)} ${scalar(digest)}`);
}

const translation = nested<TranslationLock>((out, pad, t) => {
  scalarField(out, pad, 'key', t.key);
  scalarField(out, pad, 'language', t.language);
  scalarField(out, pad, 'status', t.status);
  scalarField(out, pad, 'attempt', t.attempt);
  scalarField(out, pad, 'idempotencyKey', t.idempotencyKey);
  scalarField(out, pad, 'remoteId', t.remoteId);
  scalarField(out, pad, 'layer', t.layer);
  map(out, pad, 'output', t.output, file);
  map(out, pad, 'captions', t.captions, file);
  map(out, pad, 'error', t.error, error);
});

const clip = nested<ClipLock>((out, pad, c) => {
  scalarField(out, pad, 'kind', c.kind);
  scalarField(out, pad, 'status', c.status);
  scalarField(out, pad, 'attempt', c.attempt);
  scalarField(out, pad, 'idempotencyKey', c.idempotencyKey);
  scalarField(out, pad, 'remoteId', c.remoteId);
  scalarField(out, pad, 'durationSeconds', c.durationSeconds);
  map(out, pad, 'file', c.file, file);
  map(out, pad, 'captions', c.captions, file);
  map(out, pad, 'error', c.error, error);
});

function file(out: string[], pad: string, f: FileRecord): void {
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
