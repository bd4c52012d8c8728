/** The rows of one data source as read (data.ts) or carried over from the rows cache (incremental.ts). */
import type { VideoSpec } from '../../model/spec.js';

/** A cell as data gives it: CSV cells are strings; JSONL and YAML keep numbers, booleans, null and nested values. */
export type Cell = unknown;

/** One row: its cells by column, and where it starts in its file. */
export interface Row {
  /** 1-based row number (the first data row is 1). */
  n: number;
  /** 1-based line where the row starts in `RowSet.file`. */
  line: number;
  cells: Record<string, Cell>;
  /**
   * A row whose record's bytes are those of a valid earlier run (incremental.ts): its finished spec
   * from the rows cache. Its cells are not read (`cells` is empty).
   */
  spec?: VideoSpec;
}

/** Every row of one data source, with the columns seen and the file they came from. */
export interface RowSet {
  /** Project-relative POSIX path (the manifest itself for inline rows). */
  file: string;
  /** The text of `file`, for code frames. */
  text: string;
  /** CSV: the header; other formats: every key any row has, in first-seen order. */
  columns: string[];
  /** The header's line (CSV), else the first row's line: where column problems point. */
  columnsLine: number;
  rows: Row[];
  /** sha256 of the data file's bytes ('' for inline rows): the rows cache is keyed by it. */
  sha: string;
  /** A CSV file: the byte offset each row's record starts at, aligned with `rows` (for the next edit, incremental.ts). */
  starts?: number[];
  /** A CSV file: its bytes, kept with the rows cache to compare the next edit with. */
  bytes?: Buffer;
  /**
   * A CSV parsed only where it changed (incremental.ts): the cached specs of the records the changed
   * ones replaced. A changed row can only reuse one of these: the same used cells as a row carried
   * over would fill to that row's id, a duplicate, whether it reuses a spec or is filled again.
   */
  replaced?: readonly VideoSpec[];
}
