/**
 * The version every `--json` document carries first, as terraform's `format_version`: fields are added
 * in later versions, never renamed or removed; the number changes if one ever must.
 */
export const JSON_FORMAT_VERSION = 1;

/** `doc` with `format_version` as its first field. */
export function versioned<T extends object>(doc: T): { format_version: typeof JSON_FORMAT_VERSION } & T {
  return { format_version: JSON_FORMAT_VERSION, ...doc };
}
