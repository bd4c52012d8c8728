/**
 * Which files of a record each kind restores from: the one table that a build's `place` (each kind in
 * src/execute/heygen/remote*.ts) and `plan` (plan-read.ts, which prices a record free only when a build
 * could restore it) both read, so a change to a kind's files cannot reach one and miss the other.
 */
import type { RecordKind, RemoteRecord } from './record.js';

/** The roles of one kind's files. */
export interface KindRoles {
  /** The output: a record must name one of these to serve (in order of preference). */
  readonly serve: readonly string[];
  /** Restored beside the output when the record names them and the item wants them. */
  readonly extra: readonly string[];
}

/**
 * By kind. A translation's `raw` is HeyGen's translation without this project's text layer: a machine
 * whose layer differs from the record's draws its own over it.
 */
export const ROLES = {
  clip: { serve: ['video'], extra: ['captions'] },
  video: { serve: ['video'], extra: ['captions'] },
  translation: { serve: ['video', 'raw'], extra: ['captions'] },
  proofread: { serve: ['srt'], extra: [] },
} as const satisfies Record<RecordKind, KindRoles>;

/** A role of kind `K`'s files. */
export type RoleOf<K extends RecordKind> = (typeof ROLES)[K]['serve'][number] | (typeof ROLES)[K]['extra'][number];

/** Whether `rec` names a file that could serve a `kind` item (what a plan can know without the item's spec). */
export function namesOutput(rec: RemoteRecord, kind: RecordKind): boolean {
  const roles: KindRoles = ROLES[kind];
  return roles.serve.some((role) => rec.files[role] !== undefined);
}

/**
 * Where each file of `rec` goes for a `kind` item: `where` gives a path per role the item can take
 * (undefined: not here, such as a video whose text layer differs from the record's). The first serving
 * role that `rec` names and `where` places, with every extra role both name; undefined when none serves.
 */
export function placeRoles<K extends RecordKind>(rec: RemoteRecord, kind: K, where: Partial<Record<RoleOf<K>, string>>): Record<string, string> | undefined {
  const at = where as Partial<Record<string, string>>;
  const roles: KindRoles = ROLES[kind];
  const serve = roles.serve.find((role) => rec.files[role] !== undefined && at[role] !== undefined);
  if (serve === undefined) return undefined;
  const paths: Record<string, string> = { [serve]: at[serve]! };
  for (const role of roles.extra) if (rec.files[role] !== undefined && at[role] !== undefined) paths[role] = at[role];
  return paths;
}
