/**
 * Where a row's video comes from, for the checks across files (duplicates.ts): the row in its data
 * file and the manifest's `id:` it fills. A row's spec keeps its data file and line (RowRef); the
 * manifest's text is only read when a problem is reported.
 */

import type { VideoSpec } from '../../model/spec.js';
import type { Position } from '../source.js';

/** The top-level `id:` of a manifest, block style: where its value starts. */
const ID = /^id[ \t]*:[ \t]*/m;

/** Where the manifest's `id:` value starts (1-based), or undefined when it is not written as a block key. */
function idValueAt(text: string): Position | undefined {
  const m = ID.exec(text);
  if (!m) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
  const lineStart = text.lastIndexOf('\n', m.index) + 1;
  return { line, column: m.index - lineStart + m[0].length + 1 };
}

/** A row's place and its manifest's, for messages: `customers.csv:3 (the row filled into id: at videos/welcome.yaml:2:5)`. */
export function rowWhere(spec: VideoSpec, manifestText: () => string): string | undefined {
  const row = spec.row;
  if (!row) return undefined;
  const id = idValueAt(manifestText());
  return `${row.file}:${row.line} (the row filled into id: at ${spec.source}${id ? `:${id.line}:${id.column}` : ''})`;
}

/**
 * Where a problem of a row's video is reported: at the manifest's `id:` (so the manifest's videos
 * are held back, as for any manifest with a problem), the message naming the row (rowWhere).
 */
export function rowLocation(spec: VideoSpec, manifestText: () => string): { file: string; at: Position; text: string } | undefined {
  if (!spec.row) return undefined;
  const text = manifestText();
  return { file: spec.source, at: idValueAt(text) ?? { line: 1, column: 1 }, text };
}
