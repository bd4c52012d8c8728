/**
 * Where each CSV record starts, found in one pass over the bytes: its byte offset (what an edit of
 * the data file is compared by, incremental.ts) and its 1-based line (what problems point at).
 * The bytes are UTF-8: quotes and line breaks are single bytes that never occur inside a
 * multi-byte character, so scanning bytes finds what scanning the text would.
 */

/** Byte offsets and lines of the records found, aligned. */
export interface RecordStarts {
  starts: number[];
  lines: number[];
}

/**
 * The records of `buf[from, to)`, which starts where a record may start, on line `line`. It follows
 * quotes as a parser that has accepted the text does: a quote only opens or closes a field (`""`
 * inside one toggles twice), a line break outside quotes ends a record, and blank lines are
 * skipped as csv-parse skips them (`skip_empty_lines`). A leading BOM is skipped at offset 0.
 */
export function scanRecords(buf: Uint8Array, from: number, to: number, line: number): RecordStarts {
  const starts: number[] = [];
  const lines: number[] = [];
  let quoted = false;
  let atStart = true;
  let i = from === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : from;
  for (; i < to; i++) {
    const c = buf[i];
    if (atStart) {
      if (c === 0x0a) {
        line++;
        continue;
      }
      if (c === 0x0d) continue;
      starts.push(i);
      lines.push(line);
      atStart = false;
    }
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a) {
      line++;
      if (!quoted) atStart = true;
    }
  }
  return { starts, lines };
}

/** How every CSV is parsed (csv-parse): a leading BOM dropped, blank lines skipped, a row's cell count checked by us. */
export const CSV_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: true } as const;
