/**
 * The rows of a `rows:` manifest: a data file next to it (CSV with a header, JSONL, or a YAML/JSON
 * list of maps) or an inline list. Each row keeps the line it starts on, so a problem with a row
 * points at `file:line`. Never throws on bad input: problems come back as data.
 */

import { sha256Hex } from '../../hash/canonical.js';
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from './csv-parse.js';
import type { Node } from 'yaml';
import { isMap, isSeq } from '../../util/yaml.js';
import { projectPath } from '../assets.js';
import { decode, firstInvalidUtf8 } from '../load/encoding.js';
import { parseYaml } from '../source.js';
import { csvAfterEdit, type PriorData } from './incremental.js';
import type { DataBytes } from './lookup.js';
import { CSV_OPTIONS, scanRecords } from './records.js';
import type { Cell, Row, RowSet } from './row-set.js';

/** A problem with the data itself, at its place in the data file. */
export interface DataProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
  /** The text of `file`, when it could be read, for a code frame. */
  text?: string;
}

/** The outcome of reading rows: the rows, or the problems that stop them. */
/**
 * The rows of a data file, or its problems. `partial`: problems of single rows only (a record with the
 * wrong number of cells, a line that is not a JSON object): the other rows, still filled and checked so
 * that one run reports every row's problems, not only the first kind.
 */
export type RowsOutcome = { ok: true; set: RowSet } | { ok: false; problems: DataProblem[]; partial?: RowSet };

const FORMATS = '.csv, .jsonl, .yaml, .yml or .json';

/**
 * Rows from a data file, its path relative to the manifest (`manifestRel` is project-relative).
 * `prior`: the same template's cached rows, for a CSV edited since to parse only what changed;
 * `current`: the data file's bytes as this load already read them (and their sha256).
 */
export function readRowsFile(root: string, manifestRel: string, ref: string, prior?: PriorData, current?: DataBytes): RowsOutcome {
  const where = projectPath(root, path.dirname(path.join(root, manifestRel)), ref);
  if (!where.ok) {
    return fail(manifestRel, 1, `rows file "${ref}" must be a path inside the project`, 'write the data file\'s path relative to the manifest, e.g. rows: customers.csv');
  }
  const file = where.rel;
  let bytes: Buffer;
  try {
    bytes = current?.file === file ? current.bytes : readFileSync(path.join(root, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const hint = code === 'ENOENT' ? `create ${file}, or fix the path in rows: (it is relative to the manifest)` : 'make the data file readable';
    return fail(manifestRel, 1, `cannot read the rows file ${file} (${code})`, hint);
  }
  // isUtf8 validates without decoding (10k rows: 1.7 MB); the place of a bad byte is found only for a file that has one.
  const bad = isUtf8(bytes) ? undefined : firstInvalidUtf8(bytes);
  if (bad) return fail(file, bad.line, 'the rows file is not valid UTF-8 text', 'save the data file as UTF-8 (spreadsheets: "CSV UTF-8")', bad.column);
  const text = decode(bytes);
  const ext = path.extname(file).toLowerCase();
  const edited = ext === '.csv' && prior ? csvAfterEdit(file, bytes, text, prior) : undefined;
  const out: RowsOutcome = edited
    ? { ok: true, set: edited }
    : ext === '.csv'
      ? csvRows(file, text, bytes)
      : ext === '.jsonl' || ext === '.ndjson'
        ? jsonlRows(file, text)
        : ext === '.yaml' || ext === '.yml' || ext === '.json'
          ? yamlRows(file, text)
          : fail(manifestRel, 1, `rows file "${ref}" has an unknown format`, `use a ${FORMATS} file`);
  if (out.ok) out.set.sha = current?.bytes === bytes ? current.sha : sha256Hex(bytes);
  return out;
}

function fail(file: string, line: number, message: string, hint?: string, column = 1, text?: string): RowsOutcome {
  const p: DataProblem = { file, line, column, message };
  if (hint !== undefined) p.hint = hint;
  if (text !== undefined) p.text = text;
  return { ok: false, problems: [p] };
}

/** csv-parse's error fields we use (its CsvError carries them). */
interface CsvErrorLike {
  message: string;
  code?: string;
  lines?: number;
}

/**
 * Where the quote that is never closed opens (1-based line and column), for a text csv-parse ended
 * inside a quoted field. Every quote before it was valid (csv-parse stops at the first bad one): a
 * quote outside a field opens one, `""` inside one is a quote, and a lone one closes it.
 */
function unclosedQuote(text: string): { line: number; column: number } | undefined {
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let open: { line: number; column: number } | undefined;
  for (let i = lineStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x22) {
      if (!open) open = { line, column: i - lineStart + 1 };
      else if (text.charCodeAt(i + 1) === 0x22) i++;
      else open = undefined;
    }
  }
  return open;
}

/**
 * CSV through csv-parse: RFC 4180 quoting (commas, quotes, line breaks inside quotes), CRLF or LF,
 * a leading BOM, blank lines skipped (a trailing empty line is not a row). A row with more or
 * fewer cells than the header is an error at its line.
 */
function csvRows(file: string, text: string, bytes: Buffer): RowsOutcome {
  let records: string[][];
  try {
    // Without `info` (csv-parse's per-record details double its time): lines are found by scanRecords.
    records = parseCsv(text, { ...CSV_OPTIONS });
  } catch (e) {
    const err = e as CsvErrorLike;
    const hint = 'check the quotes on that line: a field with a comma, quote or line break is written "like ""this"""';
    // csv-parse says where the file ended, inside the quote; the fix is where the quote opens.
    const open = err.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuote(text) : undefined;
    if (open) {
      const close = 'close the quote where its field ends, and double a quote that is part of the text: "say ""hi"""';
      return fail(file, open.line, 'the CSV cannot be read: this quote is never closed (the file ends inside it)', close, open.column, text);
    }
    return fail(file, err.lines ?? 1, `the CSV cannot be read: ${err.message}`, hint, 1, text);
  }
  const head = records[0];
  if (!head) return fail(file, 1, 'the CSV is empty', 'the first line names the columns, then one line per row', 1, text);
  const columns = head.map((c) => c.trim());
  // The scan agrees with the parser's count (a lone CR as the line break, say, it would not): else its own details.
  const scan = scanRecords(bytes, 0, bytes.length, 1);
  const agreed = scan.lines.length === records.length;
  const starts = agreed ? scan.lines : startLines(text, parseCsv(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as Info[]);
  const headerLine = starts[0] ?? 1;
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) return fail(file, headerLine, `the CSV header names column "${dup}" twice`, 'give each column its own name', 1, text);
  const empty = columns.findIndex((c) => c === '');
  if (empty >= 0) return fail(file, headerLine, `the CSV header's column ${empty + 1} has no name`, 'name every column in the first line', 1, text);
  const problems: DataProblem[] = [];
  const rows: Row[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!;
    const line = starts[i]!;
    if (record.length !== columns.length) {
      const what = record.length < columns.length ? 'fewer' : 'more';
      problems.push({
        file,
        line,
        column: 1,
        message: `row ${i} has ${record.length} cells, ${what} than the ${columns.length} columns of the header`,
        hint: record.length > columns.length ? 'quote a cell that holds a comma: "Smith, Jane"' : 'add the missing cells (an empty cell is written as nothing between two commas)',
        text,
      });
      continue;
    }
    const cells: Record<string, Cell> = {};
    columns.forEach((c, k) => (cells[c] = record[k]));
    rows.push({ n: i, line, cells });
  }
  if (problems.length > 0) return { ok: false, problems, partial: { file, text, columns, columnsLine: headerLine, rows, sha: '' } };
  const set: RowSet = { file, text, columns, columnsLine: headerLine, rows, sha: '' };
  if (agreed) {
    set.starts = scan.starts.slice(1);
    set.bytes = bytes;
  }
  return { ok: true, set };
}

/** csv-parse's details of a record, as `info: true` gives them. */
interface Info {
  info: { bytes: number };
}

/**
 * The line each record starts on, from csv-parse's details. Its `info.lines` counts a CRLF inside a quoted field as
 * two lines, so lines are counted here from `info.bytes` (bytes consumed up to the record's end):
 * a record starts where the previous one ended, after any blank lines.
 */
function startLines(text: string, records: Info[]): number[] {
  const buf = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let pos = 0;
  let line = 1;
  let prevEnd = 0;
  for (const r of records) {
    for (; pos < prevEnd && pos < buf.length; pos++) if (buf[pos] === 0x0a) line++;
    while (pos < buf.length && (buf[pos] === 0x0a || buf[pos] === 0x0d)) {
      if (buf[pos] === 0x0a) line++;
      pos++;
    }
    out.push(line);
    prevEnd = r.info.bytes;
  }
  return out;
}

function jsonlRows(file: string, text: string): RowsOutcome {
  const rows: Row[] = [];
  const problems: DataProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      problems.push({ file, line: i + 1, column: 1, message: `this line is not JSON: ${(e as Error).message}`, hint: 'write one JSON object per line', text });
      continue;
    }
    if (!isObject(value)) {
      problems.push({ file, line: i + 1, column: 1, message: 'each line must be a JSON object ({"column": "value"})', text });
      continue;
    }
    rows.push({ n: rows.length + problems.length + 1, line: i + 1, cells: value });
  }
  const set: RowSet = { file, text, columns: columnsOf(rows), columnsLine: rows[0]?.line ?? 1, rows, sha: '' };
  return problems.length > 0 ? { ok: false, problems, partial: set } : { ok: true, set };
}

function yamlRows(file: string, text: string): RowsOutcome {
  const parsed = parseYaml(text);
  const first = parsed.errors[0];
  if (first) return fail(file, first.line, `the rows file is not valid YAML/JSON: ${first.message}`, undefined, first.column, text);
  const contents = parsed.doc.contents;
  if (!isSeq(contents)) return fail(file, 1, 'the rows file must be a list of maps (one per row)', 'write `- column: value` items (YAML) or [{"column": "value"}] (JSON)', 1, text);
  let data: unknown;
  try {
    data = parsed.doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return fail(file, 1, `the rows file cannot be read: ${(e as Error).message}`, undefined, 1, text);
  }
  return listRows(file, text, data as unknown[], contents.items, (offset) => parsed.lines.linePos(offset).line);
}

/** Rows from an already parsed list: a YAML/JSON data file, or `rows:` written inline in the manifest. */
export function listRows(file: string, text: string, items: unknown[], nodes: (Node | null)[], lineAt: (offset: number) => number): RowsOutcome {
  const rows: Row[] = [];
  const problems: DataProblem[] = [];
  items.forEach((item, i) => {
    const node = nodes[i];
    const line = node?.range ? lineAt(node.range[0]) : 1;
    if (!isObject(item) || (node && !isMap(node))) {
      problems.push({ file, line, column: 1, message: `row ${i + 1} must be a map of column: value`, text });
      return;
    }
    rows.push({ n: i + 1, line, cells: item });
  });
  const set: RowSet = { file, text, columns: columnsOf(rows), columnsLine: rows[0]?.line ?? 1, rows, sha: '' };
  return problems.length > 0 ? { ok: false, problems, partial: set } : { ok: true, set };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.cells)) seen.add(k);
  return [...seen];
}
