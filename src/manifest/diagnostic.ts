/** Placing problems in files: Diagnostic objects with a location and a code frame. */

import type { Diagnostic, SourceLocation } from '../errors.js';
import { codeFrame, SourceLines } from './frame.js';
import type { Position } from './source.js';

export interface DiagnosticInput {
  code: string;
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
  const key = (d: Diagnostic): [string, number, number, string] => [
    d.location?.file ?? '',
    d.location?.line ?? 0,
    d.location?.column ?? 0,
    d.code,
  ];
  return [...diags].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as string | number;
      const yi = y[i] as string | number;
      if (xi < yi) return -1;
      if (xi > yi) return 1;
    }
    return 0;
  });
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
