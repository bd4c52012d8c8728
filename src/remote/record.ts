/**
 * A record: what rendering one content key produced, enough for any machine to restore it without
 * HeyGen. Every paid kind shares the shape: a scene's clip, a video (composed or rendered whole, from a
 * template, a prompt or the v2 API), a translation or dub language, and a proofread session's SRT.
 */
import type { ClipKind } from '../model/lock.js';

/** One file of a record, stored as the blob `cas/sha256/<sha256>`. */
export interface RecordFile {
  sha256: string;
  size: number;
  /** The file name's extension (`mp4`, `webm`, `srt`, `audio`), so a restore names it as it was. */
  ext: string;
}

/** What a record is of: each paid kind has its own content keys, so kinds never share a key. */
export type RecordKind = 'clip' | 'video' | 'translation' | 'proofread';

/** Every kind a record may have (an unknown kind, from a newer version, is not read). */
export const RECORD_KINDS: ReadonlySet<string> = new Set<RecordKind>(['clip', 'video', 'translation', 'proofread']);

/** What rendering a content key produced. */
export interface RemoteRecord {
  version: 1;
  key: string;
  kind: RecordKind;
  /** For a clip: an avatar render or speech. */
  clipKind?: ClipKind;
  api: 'v3' | 'v2';
  /** HeyGen's id of the render (a video's own id when rendered whole; absent for a composed video). */
  remoteId?: string;
  durationSeconds?: number;
  /** The output was composed here from scene clips. */
  composed?: boolean;
  /** A translation or proofread: HeyGen's name of the language it was made in. */
  language?: string;
  /**
   * A translation with text overlays: the digest of the text layer drawn on `video`. A machine whose
   * layer differs draws its own over `raw` (HeyGen's translation as it came), paying nothing either way.
   */
  layer?: string;
  /** By role: `video` and `captions`; `raw` (see `layer`); `srt` for a proofread. */
  files: Record<string, RecordFile>;
  /** ISO time the record was written. */
  at: string;
}

/** Parses a stored record; undefined when it is not one (damaged, or from a newer version). */
export function parseRecord(bytes: Buffer, key: string): RemoteRecord | undefined {
  try {
    const r = JSON.parse(bytes.toString('utf8')) as Partial<RemoteRecord>;
    if (r.version !== 1 || r.key !== key || !RECORD_KINDS.has(String(r.kind)) || typeof r.files !== 'object' || r.files === null) return undefined;
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
