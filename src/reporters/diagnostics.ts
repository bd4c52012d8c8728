/**
 * Printing diagnostics: for people (`human`), scripts (`json`) and GitHub Actions (`github`).
 *
 * JSON shape (stable; new fields may be added, none removed or renamed):
 *
 *   {
 *     "format_version": 1,
 *     "version": 1,                        // the older name of format_version, kept for scripts using it
 *     "summary": { "errors": 2, "warnings": 0, "files": 1 },
 *     "diagnostics": [
 *       {
 *         "severity": "error",             // "error" | "warning"
 *         "code": "E_UNKNOWN_KEY",
 *         "message": "unknown key \"scirpt\" in scenes[0]; did you mean \"script\"?",
 *         "hint": "known keys here: ...",  // its own, else its code's advice (as the human output shows)
 *         "file": "examples/a.yaml",       // project-relative; absent when not tied to a file
 *         "line": 4, "column": 5,          // 1-based; present with file
 *         "endLine": 4, "endColumn": 11    // present when known
 *       }
 *     ]
 *   }
 *
 * `files` counts distinct files with at least one diagnostic. The code frame is left out of
 * JSON (it is presentation); everything needed to rebuild it is there. JSON lists every
 * diagnostic; `human` and `github` show at most `maxPerFile` per file (see MAX_PER_FILE).
 */

import { ERROR_CODES, type Diagnostic, type DiagnosticCode } from '../errors.js';
import { grouped } from '../util/grouped.js';
import { makeStyle } from './style.js';

/** The output formats of `validate`: for people, for tools (JSON), or GitHub Actions annotations. */
export type DiagnosticFormat = 'human' | 'json' | 'github';

/** How to format diagnostics: colour, and how many per file before the rest are summed up. */
export interface FormatOptions {
  /** ANSI colors for `human` (default false). */
  color?: boolean;
  /** For `human` and `github`: diagnostics shown per file before "… and N more" (default MAX_PER_FILE). */
  maxPerFile?: number;
}

/**
 * Fifty per file: more than one screenful of frames, enough to see every distinct mistake
 * (a file with hundreds of errors has a few causes repeated, or one bad indent cascading), and
 * it keeps a 20,000-error log to a few hundred lines. GitHub shows only the first few
 * annotations of a step anyway. `--format json` always has them all.
 */
export const MAX_PER_FILE = 50;

/** One diagnostic in the machine-readable JSON shape. */
export interface JsonDiagnostic {
  severity: 'error' | 'warning';
  code: DiagnosticCode;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** The JSON document `validate --format json` prints: a summary and every diagnostic. */
export interface JsonDiagnostics {
  format_version: 1;
  version: 1;
  summary: { errors: number; warnings: number; files: number };
  diagnostics: JsonDiagnostic[];
}

/** Counts of errors, warnings and files with problems. */
export function summary(diags: Diagnostic[]): JsonDiagnostics['summary'] {
  const files = new Set(diags.flatMap((d) => (d.location ? [d.location.file] : [])));
  return {
    errors: diags.filter((d) => d.severity === 'error').length,
    warnings: diags.filter((d) => d.severity === 'warning').length,
    files: files.size,
  };
}

/** One diagnostic, flat: the location's fields sit next to the code (absent when unknown). */
export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const j: JsonDiagnostic = { severity: d.severity, code: d.code, message: d.message };
  // As the human output shows it: a problem found without a hint of its own gets its code's advice.
  j.hint = d.hint ?? ERROR_CODES[d.code];
  if (d.location) {
    j.file = d.location.file;
    j.line = d.location.line;
    j.column = d.location.column;
    if (d.location.endLine !== undefined) j.endLine = d.location.endLine;
    if (d.location.endColumn !== undefined) j.endColumn = d.location.endColumn;
  }
  return j;
}

/** Diagnostics as the JSON document, before it is serialized. */
export function toJsonDiagnostics(diags: Diagnostic[]): JsonDiagnostics {
  return { format_version: 1, version: 1, summary: summary(diags), diagnostics: diags.map(toJsonDiagnostic) };
}

const plural = (n: number, word: string): string => `${grouped(n)} ${word}${n === 1 ? '' : 's'}`;

/** A shown diagnostic, or the line standing for the rest of a file's diagnostics. */
type Item = { shown: Diagnostic } | { more: string; file: string };

/**
 * At most `max` diagnostics per file, in their order; after a file's last shown one, one
 * item telling how many more there are. Diagnostics without a file are all shown.
 */
export function capPerFile(diags: Diagnostic[], max: number): Item[] {
  const seen = new Map<string, number>();
  const hidden = new Map<string, { errors: number; warnings: number }>();
  const items: Item[] = [];
  for (const d of diags) {
    const file = d.location?.file;
    if (file === undefined) {
      items.push({ shown: d });
      continue;
    }
    const n = (seen.get(file) ?? 0) + 1;
    seen.set(file, n);
    if (n <= max) {
      items.push({ shown: d });
      continue;
    }
    let h = hidden.get(file);
    if (!h) {
      h = { errors: 0, warnings: 0 };
      hidden.set(file, h);
      items.push({ more: '', file }); // filled in below, once the count is known
    }
    if (d.severity === 'error') h.errors++;
    else h.warnings++;
  }
  return items.map((i) => {
    if ('shown' in i) return i;
    const h = hidden.get(i.file) ?? { errors: 0, warnings: 0 };
    const parts = [h.errors > 0 ? plural(h.errors, 'more error') : '', h.warnings > 0 ? plural(h.warnings, 'more warning') : ''].filter(Boolean);
    return { more: `… and ${parts.join(' and ')} in ${i.file} (\`heygen-build validate --format json\` lists them all)`, file: i.file };
  });
}

/** "2 errors in 1 file", "1 error and 1 warning in 2 files"; "" when there is nothing. */
export function summaryLine(diags: Diagnostic[]): string {
  const s = summary(diags);
  const parts = [s.errors > 0 ? plural(s.errors, 'error') : '', s.warnings > 0 ? plural(s.warnings, 'warning') : ''].filter(Boolean);
  if (parts.length === 0) return '';
  return s.files > 0 ? `${parts.join(' and ')} in ${plural(s.files, 'file')}` : parts.join(' and ');
}

function human(diags: Diagnostic[], color: boolean, max: number): string {
  const { red, yellow, bold, dim, cyan } = makeStyle(color);
  const blocks = capPerFile(diags, max).map((item) => {
    if (!('shown' in item)) return bold(item.more);
    const d = item.shown;
    const where = d.location ? `${cyan(`${d.location.file}:${d.location.line}:${d.location.column}`)} ` : '';
    const sev = d.severity === 'error' ? red('error') : yellow('warning');
    const lines = [`${where}${sev} ${bold(d.code)} ${d.message}`];
    if (d.frame) lines.push(d.frame.split('\n').map((l) => dim(`  ${l}`)).join('\n'));
    // A problem found without a hint of its own (a schema or YAML error) gets its code's advice.
    lines.push(`  ${cyan('hint:')} ${d.hint ?? ERROR_CODES[d.code]}`);
    return lines.join('\n');
  });
  const total = summaryLine(diags);
  if (total === '') return '';
  return `${blocks.join('\n\n')}\n\n${bold(total)}\n`;
}

/** GitHub workflow commands: data escapes %, CR, LF; property values also `:` and `,`. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a GitHub Actions workflow command property (file, title), which also may not contain `:` or `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function github(diags: Diagnostic[], max: number): string {
  return capPerFile(diags, max)
    .map((item) => {
      if (!('shown' in item)) return `::notice file=${escapeProperty(item.file)},title=more::${escapeData(item.more)}`;
      const d = item.shown;
      const props: string[] = [];
      if (d.location) {
        props.push(`file=${escapeProperty(d.location.file)}`, `line=${d.location.line}`, `col=${d.location.column}`);
        // GitHub underlines the whole span; an end column only counts on the start line.
        if (d.location.endLine !== undefined) props.push(`endLine=${d.location.endLine}`);
        if (d.location.endColumn !== undefined) props.push(`endColumn=${d.location.endColumn}`);
      }
      props.push(`title=${escapeProperty(d.code)}`);
      const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`;
    })
    .join('\n')
    .concat(diags.length > 0 ? '\n' : '');
}

/** Formats diagnostics in the given format as text ready to print. */
export function formatDiagnostics(diags: Diagnostic[], format: DiagnosticFormat, opts: FormatOptions = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJsonDiagnostics(diags), null, 2)}\n`;
    case 'github':
      return github(diags, opts.maxPerFile ?? MAX_PER_FILE);
    default:
      return human(diags, opts.color === true, opts.maxPerFile ?? MAX_PER_FILE);
  }
}
