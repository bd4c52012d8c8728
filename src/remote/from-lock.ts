/**
 * What the lockfile says was rendered, as records: the source of `push` (every completed render not yet
 * in the store), `pull` (every file the lock names) and `status --remote`.
 */
import type { FileRecord, Lockfile } from '../model/lock.js';
import type { PendingPush } from './journal.js';
import { extOf, type RemoteRecord } from './record.js';

/** A completed render the lockfile names: its record and the project-relative files, by role. */
export interface LockedRender extends PendingPush {
  /** A video id, or `clip <key prefix>`. */
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

/** Every completed video output and scene clip in `lock`, as records to push or files to restore. */
export function lockedRenders(lock: Lockfile, at = new Date().toISOString()): LockedRender[] {
  const out: LockedRender[] = [];
  for (const [id, e] of Object.entries(lock.videos)) {
    if (e.status !== 'completed' || !e.output) continue;
    const f = filesOf({ video: e.output, captions: e.captions });
    const record: RemoteRecord = {
      version: 1,
      key: e.key,
      kind: 'video',
      api: e.api ?? 'v3',
      ...(e.remoteId && !e.composed ? { remoteId: e.remoteId } : {}),
      ...(e.durationSeconds !== undefined ? { durationSeconds: e.durationSeconds } : {}),
      ...(e.composed ? { composed: true } : {}),
      files: f.record,
      at,
    };
    out.push({ label: id, record, files: f.paths, locals: f.locals });
  }
  for (const [key, c] of Object.entries(lock.clips ?? {})) {
    if (c.status !== 'completed' || !c.file) continue;
    const f = filesOf({ video: c.file, captions: c.captions });
    const record: RemoteRecord = {
      version: 1,
      key,
      kind: 'clip',
      clipKind: c.kind,
      api: 'v3',
      ...(c.remoteId ? { remoteId: c.remoteId } : {}),
      ...(c.durationSeconds !== undefined ? { durationSeconds: c.durationSeconds } : {}),
      files: f.record,
      at,
    };
    out.push({ label: `clip ${key.slice(0, 12)}`, record, files: f.paths, locals: f.locals });
  }
  return out;
}
