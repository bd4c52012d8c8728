/** The internal form of a manifest problem, before it is placed at file:line:col. */

import type { DiagnosticCode } from '../errors.js';

/** A path into the (merged) manifest data, e.g. `['scenes', 1, 'voice', 'speed']`. */
export type DataPath = readonly (string | number)[];

/** A manifest problem located by data path; placed at file:line:col later, when the YAML positions are at hand. */
export interface Issue {
  code: DiagnosticCode;
  message: string;
  hint?: string;
  path: DataPath;
  /** Point at the key of the last path segment (unknown keys) instead of its value. */
  at?: 'key' | 'value';
  /** For unknown keys: the known key it probably meant (used to drop the matching "missing" issue). */
  suggests?: string;
  /** For missing keys: the keys any one of which would satisfy it. */
  missing?: readonly string[];
  /** Errors by default; a warning never stops a build. */
  severity?: 'error' | 'warning';
  /** The value there is YAML null (often an unquoted `#color` read as a comment). */
  nullValue?: boolean;
}

/** `['scenes', 1, 'voice']` -> `scenes[1].voice`; the empty path is the manifest itself. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? 'the manifest' : out;
}

/** `/scenes/1/voice` (ajv's instancePath) -> `['scenes', 1, 'voice']`. */
export function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** Quotes a list of names for a message, e.g. `"a", "b" or "c"`. */
export function quoteList(items: readonly string[], conjunction = 'or'): string {
  const q = items.map((i) => `"${i}"`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
