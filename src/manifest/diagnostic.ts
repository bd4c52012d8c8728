/** Placing problems in files: Diagnostic objects with a location and a code frame. */

import type { Diagnostic, DiagnosticCode, SourceLocation } from '../errors.js';
import { codeFrame, SourceLines } from './frame.js';
import type { Position } from './source.js';

/** A problem to place in a manifest, before its data path is turned into a line and column. */
export interface DiagnosticInput {
  code: DiagnosticCode;
  message: string;
  hint?: string;
  severity?: 'error' | 'warning';
}

/**
 * A diagnostic at `pos` in `file`; with the file's text, a code frame too. Pass a `SourceLines`
 * when a file may have many problems: its line index is then built once, not per problem.
 */
export function diagnosticAt(d: DiagnosticInput, file: string, pos: Position | undefined, text?: string | SourceLines): Diagnostic {
  const out: Diagnostic = { severity: d.severity ?? 'error', code: d.code, message: d.message };
  if (d.hint !== undefined) out.hint = d.hint;
  if (pos) {
    const location: SourceLocation = { file, line: pos.line, column: pos.column };
    if (pos.endLine !== undefined && pos.endColumn !== undefined) {
      location.endLine = pos.endLine;
      location.endColumn = pos.endColumn;
    }
    out.location = location;
    if (text !== undefined) {
      const lines = typeof text === 'string' ? new SourceLines(text) : text;
      if (pos.line >= 1 && pos.line <= lines.count) {
        out.frame = codeFrame(lines, pos.line, pos.column, pos.endLine === pos.line ? pos.endColumn : undefined);
      }
    }
  }
  return out;
}

/** Stable order: by file, line, column, then code. Diagnostics without a location go first. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  // Keys computed once per diagnostic, not twice per comparison: a cascade sorts 100,000s.
  const keyed = diags.map((d, i) => ({ d, i, file: d.location?.file ?? '', line: d.location?.line ?? 0, column: d.location?.column ?? 0 }));
  const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0);
  keyed.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.d.code, b.d.code) || a.i - b.i);
  return keyed.map((k) => k.d);
}

/** Drop repeats (a bad default reported once per manifest becomes one diagnostic). */
export function dedupeDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.code}|${d.message}|${d.location?.file}|${d.location?.line}|${d.location?.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
