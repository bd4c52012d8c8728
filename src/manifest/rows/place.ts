/**
 * Where a row's problem is shown: at both places that can fix it. The diagnostic points at the
 * row in the data file (file:line, with a frame of that line) and its message names the column
 * and the placeholder's place in the manifest (file:line:col). A problem that no placeholder
 * caused is the template's own: it is placed in the manifest, once for all rows.
 */

import type { Diagnostic } from '../../errors.js';
import { diagnosticAt } from '../diagnostic.js';
import { SourceLines } from '../frame.js';
import type { DataPath, Issue } from '../issue.js';
import { locate, type ParsedYaml, type Position } from '../source.js';
import type { Row, RowSet } from './row-set.js';
import type { Placeholder } from './fill.js';

/** What placing needs about the manifest: its path, text and parse tree. */
export interface TemplateSite {
  rel: string;
  source: SourceLines;
  /** `yaml`'s parse of the manifest: the source of every position. Parsed on first use (templateSite). */
  readonly parsed: ParsedYaml;
}

/**
 * A site whose parse tree is made on first use: a clean rows manifest read by the fast parser needs
 * no position (and so never loads `yaml`); a problem to place, or inline rows (their lines), asks for it.
 */
export function templateSite(rel: string, source: SourceLines, parse: () => ParsedYaml): TemplateSite {
  let parsed: ParsedYaml | undefined;
  return {
    rel,
    source,
    get parsed(): ParsedYaml {
      return (parsed ??= parse());
    },
  };
}

/** Placeholder positions, found once each. */
const positions = new WeakMap<Placeholder, Position>();

/** The placeholder's own place in the manifest: the string's node, narrowed to the `{{ ... }}` when it can be found. */
export function placeholderAt(site: TemplateSite, ph: Placeholder): Position {
  const known = positions.get(ph);
  if (known) return known;
  const node = locate(site.parsed, ph.path);
  let pos: Position = node;
  let seen = 0;
  const last = node.endLine ?? node.line;
  search: for (let line = node.line; line <= last; line++) {
    const text = site.source.line(line);
    for (let i = text.indexOf(ph.raw, line === node.line ? node.column - 1 : 0); i >= 0; i = text.indexOf(ph.raw, i + 1)) {
      if (seen++ === ph.nth) {
        pos = { line, column: i + 1, endLine: line, endColumn: i + 1 + ph.raw.length };
        break search;
      }
    }
  }
  positions.set(ph, pos);
  return pos;
}

/** `file:line:col` of a position, for messages. */
export function at(file: string, p: Position): string {
  return `${file}:${p.line}:${p.column}`;
}

/** Whether one path is the other or lies inside it. */
function related(a: DataPath, b: DataPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A row's place in its data file, for messages: `customers.csv:13 (row 12)`. */
export function rowLabel(set: RowSet, row: Row): string {
  return `${set.file}:${row.line} (row ${row.n})`;
}

/** One line index per data file, shared by every row's frame. */
const dataLines = new WeakMap<RowSet, SourceLines>();

/** A diagnostic at a row of the data file. */
export function atRow(set: RowSet, row: Row, issue: Omit<Issue, 'path'>): Diagnostic {
  let lines = dataLines.get(set);
  if (!lines) {
    lines = new SourceLines(set.text);
    dataLines.set(set, lines);
  }
  return diagnosticAt(issue, set.file, { line: row.line, column: 1 }, lines);
}

/**
 * Places a problem found in one row's filled manifest. `templatePath` is the issue's path in the
 * template (scene indexes mapped back past `when`); `placeholders` are the template's.
 */
export function placeRowIssue(
  site: TemplateSite,
  set: RowSet,
  row: Row,
  issue: Issue,
  templatePath: DataPath,
  placeholders: readonly Placeholder[],
): Diagnostic {
  const cause = placeholders.find((p) => related(p.path, templatePath));
  if (!cause) {
    // The template's own problem: the same for every row, so placed (and deduplicated) in the manifest.
    return diagnosticAt(issue, site.rel, locate(site.parsed, templatePath, issue.at ?? 'value'), site.source);
  }
  const cell = row.cells[cause.column];
  const shown = typeof cell === 'string' ? JSON.stringify(cell.length > 60 ? `${cell.slice(0, 57)}...` : cell) : JSON.stringify(cell);
  const message = `${rowLabel(set, row)}, column "${cause.column}" = ${shown ?? 'nothing'}: ${issue.message} (filled into ${cause.raw} at ${at(site.rel, placeholderAt(site, cause))})`;
  const hint = issue.hint ?? `fix the cell in ${set.file}:${row.line}, or the placeholder in ${site.rel}`;
  return atRow(set, row, { code: issue.code, message, hint });
}
