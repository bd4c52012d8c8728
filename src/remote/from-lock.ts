/**
 * What the lockfile says was rendered, as records: the source of `push` (every completed render not yet
 * in the store), `pull` (every file the lock names), `status --remote`, and of a build's push after each
 * completed render. One builder per paid kind; all of them give the same shape.
 */
import type { ClipLock, FileRecord, LockEntry, Lockfile, ProofreadLock, TranslationLock } from '../model/lock.js';
import type { PendingPush } from './journal.js';
import { extOf, type RemoteRecord } from './record.js';

/** A completed render the lockfile names: its record and the project-relative files, by role. */
export interface LockedRender extends PendingPush {
  /** A video id, `<video>@<language>`, `<video>@<language> proofread`, or `clip <key prefix>`. */
  label: string;
  locals: Record<string, FileRecord>;
}

function filesOf(files: Record<string, FileRecord | undefined>): { record: RemoteRecord['files']; paths: Record<string, string>; locals: Record<string, FileRecord> } {
  const record: RemoteRecord['files'] = {};
  const paths: Record<string, string> = {};
  const locals: Record<string, FileRecord> = {};
  for (const [role, f] of Object.entries(files)) {
    if (!f) continue;
    record[role] = { sha256: f.sha256, size: f.size, ext: extOf(f.path) };
    paths[role] = f.path;
    locals[role] = f;
  }
  return { record, paths, locals };
}

function render(label: string, base: Omit<RemoteRecord, 'files' | 'version' | 'at'>, files: Record<string, FileRecord | undefined>, at: string): LockedRender {
  const f = filesOf(files);
  return { label, record: { version: 1, ...base, files: f.record, at }, files: f.paths, locals: f.locals };
}

/** A completed video (composed, or rendered whole by any API) as a record; undefined when it has no output. */
export function videoRender(id: string, e: LockEntry, at = new Date().toISOString()): LockedRender | undefined {
  if (e.status !== 'completed' || !e.output) return undefined;
  return render(
    id,
    {
      key: e.key,
      kind: 'video',
      api: e.api ?? 'v3',
      ...(e.remoteId && !e.composed ? { remoteId: e.remoteId } : {}),
      ...(e.durationSeconds !== undefined ? { durationSeconds: e.durationSeconds } : {}),
      ...(e.composed ? { composed: true } : {}),
    },
    { video: e.output, captions: e.captions },
    at,
  );
}

/** A completed scene clip as a record. */
export function clipRender(key: string, c: ClipLock, at = new Date().toISOString()): LockedRender | undefined {
  if (c.status !== 'completed' || !c.file) return undefined;
  return render(
    `clip ${key.slice(0, 12)}`,
    {
      key,
      kind: 'clip',
      clipKind: c.kind,
      api: 'v3',
      ...(c.remoteId ? { remoteId: c.remoteId } : {}),
      ...(c.durationSeconds !== undefined ? { durationSeconds: c.durationSeconds } : {}),
    },
    { video: c.file, captions: c.captions },
    at,
  );
}

/**
 * A completed translation (of a video, or a dub's language) as a record. With text overlays its output
 * carries this machine's layer (`layer`); a build also adds HeyGen's raw translation when it has it.
 */
export function translationRender(id: string, language: string, t: TranslationLock, api: 'v3' | 'v2', at = new Date().toISOString()): LockedRender | undefined {
  if (t.status !== 'completed' || !t.output) return undefined;
  return render(
    `${id}@${language}`,
    { key: t.key, kind: 'translation', api, language: t.language, ...(t.remoteId ? { remoteId: t.remoteId } : {}), ...(t.layer ? { layer: t.layer } : {}) },
    { video: t.output, captions: t.captions },
    at,
  );
}

/** A completed proofread session with its SRT written, as a record. */
export function proofreadRender(id: string, language: string, p: ProofreadLock, at = new Date().toISOString()): LockedRender | undefined {
  if (p.status !== 'completed' || !p.output) return undefined;
  return render(`${id}@${language} proofread`, { key: p.key, kind: 'proofread', api: 'v3', language: p.language, ...(p.remoteId ? { remoteId: p.remoteId } : {}) }, { srt: p.output }, at);
}

/** Every completed render in `lock`, of every paid kind, as records to push or files to restore. */
export function lockedRenders(lock: Lockfile, at = new Date().toISOString()): LockedRender[] {
  const out: LockedRender[] = [];
  const add = (r: LockedRender | undefined): void => {
    if (r) out.push(r);
  };
  for (const [id, e] of Object.entries(lock.videos)) {
    add(videoRender(id, e, at));
    for (const [lang, t] of Object.entries(e.translations)) add(translationRender(id, lang, t, e.api ?? 'v3', at));
    for (const [lang, p] of Object.entries(e.proofreads ?? {})) add(proofreadRender(id, lang, p, at));
  }
  for (const [key, c] of Object.entries(lock.clips ?? {})) add(clipRender(key, c, at));
  return out;
}
