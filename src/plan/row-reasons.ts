/**
 * Why a row's video changed. A row's lock entry keeps only a digest of its cells (no per-part
 * digests), so a row says whether its cells or the template changed.
 */
import type { RowRef } from '../model/spec.js';

/** `before`: the cell digest the lockfile recorded (`parts.row`), if any. */
export function rowReasons(before: string | undefined, row: RowRef): string[] {
  if (before === undefined || !row.digest.startsWith(before)) return [`row changed (${row.file}:${row.line})`];
  return ["template changed (this row's cells did not)"];
}
