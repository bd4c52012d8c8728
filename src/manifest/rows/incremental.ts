/**
 * A CSV edited since the rows cache was written, parsed only where it changed. The cache keeps the
 * file's bytes and where each record started; the new bytes are compared with them from both ends.
 * Records wholly before the first changed byte, or wholly in the unchanged tail, are the same
 * bytes parsed from the same state (the start of a record, after the same header), so they give
 * the same cells: their cached specs are carried over, at their new line. Only the records between
 * are parsed, by csv-parse, after the header. Anything unusual (the header changed, the changed
 * part not ending at a line break, a parse error, a count the scan disagrees with) gives
 * undefined, and the whole file is parsed as usual, with its exact errors.
 */

import { parseCsv } from './csv-parse.js';
import type { VideoSpec } from '../../model/spec.js';
import type { Row, RowSet } from './row-set.js';
import { CSV_OPTIONS, scanRecords } from './records.js';

/** What the rows cache kept of the last valid run over a CSV. */
export interface PriorData {
  /** The file's bytes then. */
  bytes: Buffer;
  /** Where each row's record started then, aligned with `specs`. */
  starts: readonly number[];
  /** Each row's finished spec, in file order (`row.line` is where the row was then). */
  specs: readonly VideoSpec[];
}

/** The rows of `bytes` (decoded: `text`), parsing only the records that changed since `prior`; undefined to parse it all. */
export function csvAfterEdit(file: string, bytes: Buffer, text: string, prior: PriorData): RowSet | undefined {
  const old = prior.bytes;
  const { starts, specs } = prior;
  const first = starts[0];
  if (first === undefined || starts.length !== specs.length || specs.some((s) => s.row?.file !== file)) return undefined;
  const span = changedSpan(old, bytes, starts);
  if (!span) return undefined;
  const { i, j, a, bOld, bNew } = span;
  const lineAt = (k: number): number => specs[k]!.row!.line;
  // The header (and any blank lines after it), then the changed records: parsed as one CSV.
  const head = bytes.subarray(0, first);
  const mid = bytes.subarray(a, bNew);
  let records: string[][];
  try {
    records = parseCsv(Buffer.concat([head, mid]).toString('utf8'), { ...CSV_OPTIONS });
  } catch {
    return undefined;
  }
  const columns = records[0]?.map((c) => c.trim());
  const scan = scanRecords(bytes, a, bNew, lineAt(i));
  if (!columns || scan.starts.length !== records.length - 1) return undefined;
  if (records.some((r) => r.length !== columns.length)) return undefined;
  const shift = newlines(bytes, a, bNew) - newlines(old, a, bOld);
  const delta = bytes.length - old.length;
  const rows: Row[] = [];
  const at: number[] = [];
  const carry = (k: number, line: number, start: number): void => {
    rows.push({ n: rows.length + 1, line, cells: {}, spec: specs[k]! });
    at.push(start);
  };
  for (let k = 0; k < i; k++) carry(k, lineAt(k), starts[k]!);
  records.slice(1).forEach((record, k) => {
    const cells: Row['cells'] = {};
    columns.forEach((c, x) => (cells[c] = record[x]));
    rows.push({ n: rows.length + 1, line: scan.lines[k]!, cells });
    at.push(scan.starts[k]!);
  });
  for (let k = j; k < starts.length; k++) carry(k, lineAt(k) + shift, starts[k]! + delta);
  const columnsLine = scanRecords(bytes, 0, first, 1).lines[0] ?? 1;
  return { file, text, columns, columnsLine, rows, sha: '', starts: at, bytes, replaced: specs.slice(i, j) };
}

/** Records i..j-1 of the old file changed: they span old[a, bOld) and new[a, bNew). */
interface Span {
  i: number;
  j: number;
  a: number;
  bOld: number;
  bNew: number;
}

/** Where the old and new bytes differ, widened to whole records; undefined when that is not a run of records after the header. */
function changedSpan(old: Buffer, now: Buffer, starts: readonly number[]): Span | undefined {
  const n = Math.min(old.length, now.length);
  const p = commonPrefix(old, now, n);
  const s = commonSuffix(old, now, n - p);
  const first = starts[0]!;
  // The header or what precedes the first row changed; or the header ends with a lone CR.
  if (p < first || now[first - 1] !== 0x0a) return undefined;
  const i = lastAtOrBefore(starts, p);
  const a = starts[i]!;
  const end = (j: number): number => (j < starts.length ? starts[j]! : old.length);
  // The first record wholly in the unchanged tail, after the changed ones. The tail must start at
  // or after `a`, after a line break that ends a changed record: when the common tail reaches back
  // into a changed record (bytes that repeat around an edit), more records are parsed.
  const delta = now.length - old.length;
  let j = Math.max(i, firstAtOrAfter(starts, old.length - s));
  const cut = (k: number): boolean => end(k) + delta < a || (end(k) + delta > a && now[end(k) + delta - 1] !== 0x0a);
  while (j < starts.length && cut(j)) j++;
  const bOld = end(j);
  const bNew = bOld + delta;
  if (bNew < a) return undefined;
  return { i, j, a, bOld, bNew };
}

function commonPrefix(a: Buffer, b: Buffer, n: number): number {
  // Whole blocks first (Buffer.equals is a memcmp), then byte by byte in the block that differs.
  let p = 0;
  for (const block of [65536, 4096, 256, 16]) {
    while (p + block <= n && a.subarray(p, p + block).equals(b.subarray(p, p + block))) p += block;
  }
  while (p < n && a[p] === b[p]) p++;
  return p;
}

function commonSuffix(a: Buffer, b: Buffer, n: number): number {
  const ea = a.length;
  const eb = b.length;
  let s = 0;
  for (const block of [65536, 4096, 256, 16]) {
    while (s + block <= n && a.subarray(ea - s - block, ea - s).equals(b.subarray(eb - s - block, eb - s))) s += block;
  }
  while (s < n && a[ea - s - 1] === b[eb - s - 1]) s++;
  return s;
}

/** The index of the last start at or before `p` (starts are sorted; starts[0] <= p). */
function lastAtOrBefore(starts: readonly number[], p: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the first start at or after `p`, or starts.length. */
function firstAtOrAfter(starts: readonly number[], p: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function newlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a, from); i >= 0 && i < to; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}
