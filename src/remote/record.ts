/**
 * A record: what rendering one content key produced, enough for any machine to restore it without
 * HeyGen. Clip records (a scene's clip) and video records (a composed or whole output) share the shape.
 */
import type { ClipKind } from '../model/lock.js';

/** One file of a record, stored as the blob `cas/sha256/<sha256>`. */
export interface RecordFile {
  sha256: string;
  size: number;
  /** The file name's extension (`mp4`, `webm`, `srt`, `audio`), so a restore names it as it was. */
  ext: string;
}

/** What rendering a content key produced. */
export interface RemoteRecord {
  version: 1;
  key: string;
  kind: 'clip' | 'video';
  /** For a clip: an avatar render or speech. */
  clipKind?: ClipKind;
  api: 'v3' | 'v2';
  /** HeyGen's id of the render (a video's own id when rendered whole; absent for a composed video). */
  remoteId?: string;
  durationSeconds?: number;
  /** The output was composed here from scene clips. */
  composed?: boolean;
  /** By role: `video` and `captions`. */
  files: Record<string, RecordFile>;
  /** ISO time the record was written. */
  at: string;
}

/** Parses a stored record; undefined when it is not one (damaged, or from a newer version). */
export function parseRecord(bytes: Buffer, key: string): RemoteRecord | undefined {
  try {
    const r = JSON.parse(bytes.toString('utf8')) as Partial<RemoteRecord>;
    if (r.version !== 1 || r.key !== key || (r.kind !== 'clip' && r.kind !== 'video') || typeof r.files !== 'object' || r.files === null) return undefined;
    for (const f of Object.values(r.files)) if (!/^[0-9a-f]{64}$/.test(f.sha256) || !Number.isInteger(f.size)) return undefined;
    return r as RemoteRecord;
  } catch {
    return undefined;
  }
}

/** The extension of a path, without the dot (`out/a.mp4` -> `mp4`). */
export function extOf(path: string): string {
  return /\.([a-z0-9]+)$/i.exec(path)?.[1] ?? 'bin';
}
