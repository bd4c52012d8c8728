/**
 * Where a top-level `id:`, `output:` or `source:` is written, for a manifest read by the fast parse: the
 * duplicate checks and the warm cache need the first two for every manifest that writes one, a dub keeps
 * the third (its source's checks report there), and parsing the whole file with `yaml` for it would
 * undo the fast parse. So `yaml` parses only the lines of that
 * one entry (from its `key:` line at column 1 to the next line that starts another top-level
 * entry), and the position it gives is moved down by the lines before. The entry's text is the
 * file's text, ending where the next entry starts, so `yaml` sees the same tokens and gives the
 * same range as on the whole file. Checked, not trusted: when the slice does not parse to exactly
 * `{key: expected}`, the answer is undefined and the caller parses the whole file.
 */

import { locate, parseYaml, type Position } from './source.js';

/**
 * The position `locate(parseYaml(text), [key])` gives, found from the lines of that entry alone;
 * undefined when the entry is not a single `key:` line at column 1 whose value is `expected`.
 * Only for texts the fast parse accepted (no document markers, no multi-line quoted values).
 */
export function locateTopLevel(text: string, key: 'id' | 'output' | 'source', expected: string): Position | undefined {
  const head = new RegExp(`^${key} *:(?= |$)`, 'gm');
  const first = head.exec(text);
  if (!first || head.exec(text) !== null) return undefined;
  const start = first.index;
  const end = nextEntry(text, start);
  const parsed = parseYaml(text.slice(start, end));
  if (parsed.errors.length > 0) return undefined;
  const data: unknown = parsed.doc.toJS();
  if (typeof data !== 'object' || data === null || Object.keys(data).length !== 1) return undefined;
  if ((data as Record<string, unknown>)[key] !== expected) return undefined;
  const pos = locate(parsed, [key]);
  const before = linesBefore(text, start);
  const out: Position = { line: pos.line + before, column: pos.column };
  if (pos.endLine !== undefined && pos.endColumn !== undefined) {
    out.endLine = pos.endLine + before;
    out.endColumn = pos.endColumn;
  }
  return out;
}

/** The offset of the first line after the one at `start` that begins another top-level entry. */
function nextEntry(text: string, start: number): number {
  let at = text.indexOf('\n', start);
  while (at !== -1) {
    const c = text[at + 1];
    if (c !== undefined && c !== ' ' && c !== '\n' && c !== '#') return at + 1;
    at = text.indexOf('\n', at + 1);
  }
  return text.length;
}

function linesBefore(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
