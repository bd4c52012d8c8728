/**
 * The cold path's quickest YAML read: a direct parser for the plainest manifests, tried first by
 * parseFast (parse-fast.ts). It knows only block maps and block lists, single-line plain and quoted
 * scalars (double-quoted ones without a backslash), one-line lists of those (`[a, "b"]`), `{}` and
 * `[]`, and comments. On anything else it answers undefined, and parseFast goes on as before (its
 * checks, then js-yaml): a block scalar (`|`, `>`), an escape, a flow map, a value going on over
 * the next line, a duplicate key, odd indentation, a line of spaces, a node property (`&a`, `*a`,
 * `!tag`), a directive or document marker, a merge or complex key, a control character, a tab or
 * carriage return. `yaml` stays the source of truth for every problem and position.
 *
 * Plain scalars take their type by `yaml`'s core schema (coreScalar), as parse-fast.ts gives it to
 * js-yaml; a key `yaml` would read as something other than a string, a `__proto__` key and a key
 * longer than parse-fast's limit are declined. It does its own checks, so a text it reads costs no
 * pass of parse-fast's pattern and shape checks, which took longer than this whole parse.
 */

/** Declined: js-yaml reads the text instead. One object made once: throwing it builds no stack. */
const NO = new Error('declined: parseFast reads this text otherwise');
type Node = unknown;

/** The value of a plain scalar by `yaml`'s core schema, or `notCore` for a string (see parse-fast.ts). */
export interface CoreSchema {
  core: (s: string) => unknown;
  notCore: symbol;
  maxKey: number;
}

/** String.prototype.isWellFormed: in Node 20, not yet in this project's TypeScript lib (es2023). */
type WellFormed = string & { isWellFormed(): boolean };

/** Characters YAML parsers fold, refuse or read differently: tabs, CR, controls, C1, line separators, BOM, non-characters. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

/** Deeper than any manifest; js-yaml's own limit is 100. */
const MAX_DEPTH = 40;

class Lines {
  /** Offsets of each structure line's first character and end (comments and blank lines left out). */
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** Column where the line's node starts: its indentation, moved on for `- ` and `- key:` (see list). */
  readonly col: number[] = [];
  pos = 0;

  constructor(readonly text: string) {
    let s = 0;
    const n = text.length;
    while (s < n) {
      let e = text.indexOf('\n', s);
      if (e === -1) e = n;
      let i = s;
      while (i < e && text.charCodeAt(i) === 32) i++;
      // A line of spaces only (the parsers differ on those near block scalars): declined.
      if (i === e && e > s) decline();
      // A directive or a document marker (`%YAML`, `---`, `...`).
      if (i === s && (text.startsWith('...', s) || text.startsWith('---', s) || text.charCodeAt(s) === 37)) decline();
      // Blank lines and comment lines (any indentation) hold no node.
      if (i < e && text.charCodeAt(i) !== 35) {
        this.start.push(s);
        this.end.push(e);
        this.col.push(i - s);
      }
      s = e + 1;
    }
  }

  /**
   * The first ` #` at or after `i` (-1: none): each plain scalar asks, in order, and a search from
   * each would read a file without comments to its end once per scalar. The last answer holds for
   * any `i` from where it was searched up to the ` #` it found (or to the end, when none).
   */
  commentFrom(i: number): number {
    if (i < this.hashFrom || (this.hashAt !== -1 && i > this.hashAt)) {
      this.hashFrom = i;
      this.hashAt = this.text.indexOf(' #', i);
    }
    return this.hashAt;
  }
  private hashFrom = Number.POSITIVE_INFINITY;
  private hashAt = -1;

  get done(): boolean {
    return this.pos >= this.start.length;
  }

  /** Offset of the current line's node. */
  at(): number {
    return this.start[this.pos]! + this.col[this.pos]!;
  }
}

/** The data of a plain manifest (a map), or undefined to let js-yaml read it. */
export function parseDirect(text: string, schema: CoreSchema): Record<string, unknown> | undefined {
  // A lone surrogate (never in decoded UTF-8, but a caller may pass any string): js-yaml refuses it.
  if (!(text as WellFormed).isWellFormed() || CONTROL.test(text)) return undefined;
  try {
    const lines = new Lines(text);
    if (lines.done || lines.col[0] !== 0) return undefined;
    if (isDash(text, lines.at(), lines.end[0]!)) return undefined;
    const data = map(lines, 0, schema, 0);
    return lines.done ? (data as Record<string, unknown>) : undefined;
  } catch (e) {
    if (e === NO) return undefined;
    throw e;
  }
}

function decline(): never {
  throw NO;
}

/** `-` then a space or the line's end: a list entry. */
function isDash(text: string, i: number, end: number): boolean {
  return text.charCodeAt(i) === 45 && (i + 1 === end || text.charCodeAt(i + 1) === 32);
}

/** The block node whose first line is the current one, at column `col`. */
function block(lines: Lines, col: number, schema: CoreSchema, depth: number): Node {
  if (depth > MAX_DEPTH) decline();
  const p = lines.pos;
  return isDash(lines.text, lines.at(), lines.end[p]!) ? list(lines, col, schema, depth) : map(lines, col, schema, depth);
}

/** A block map: `key: value` lines at column `col`. */
function map(lines: Lines, col: number, schema: CoreSchema, depth: number): Node {
  const text = lines.text;
  const out: Record<string, unknown> = {};
  while (!lines.done) {
    const c = lines.col[lines.pos]!;
    if (c < col) break;
    if (c > col) decline();
    const i = lines.at();
    const end = lines.end[lines.pos]!;
    if (isDash(text, i, end)) decline();
    // The key, then `:`.
    let key: string;
    let j: number;
    const q = text.charCodeAt(i);
    if (q === 34 || q === 39) {
      const close = quoteEnd(text, i, end);
      if (close === undefined || text.charCodeAt(close) !== 58) decline();
      key = quoted(text, i, close);
      j = close + 1;
    } else {
      // A key starting with an indicator (`{a: 1}`, `-a`, `?`): js-yaml reads those.
      if (INDICATORS.includes(text[i]!)) decline();
      j = i;
      while (j < end) {
        const ch = text.charCodeAt(j);
        if (ch === 58 && (j + 1 === end || text.charCodeAt(j + 1) === 32)) break;
        // ` #` before the colon: a comment, so no key on this line.
        if (ch === 35 && text.charCodeAt(j - 1) === 32) decline();
        j++;
      }
      if (j === end || text.charCodeAt(j - 1) === 32) decline();
      key = text.slice(i, j);
      j++;
    }
    // A key yaml reads as a number, boolean or null: parse-fast.ts declines those, quoted or not.
    if (schema.core(key) !== schema.notCore) decline();
    // `<<` is a merge key to `yaml` as the project parses (source.ts).
    if (key.length > schema.maxKey || key === '__proto__' || key === '<<' || Object.hasOwn(out, key)) decline();
    if (j < end && text.charCodeAt(j) !== 32) decline();
    while (j < end && text.charCodeAt(j) === 32) j++;
    if (j === end || text.charCodeAt(j) === 35) {
      lines.pos++;
      out[key] = nested(lines, col, schema, depth);
    } else {
      out[key] = inline(lines, j, end, schema);
      lines.pos++;
    }
  }
  return out;
}

/** The value of `key:` with nothing after it on its line: a node on the next lines, or null. */
function nested(lines: Lines, col: number, schema: CoreSchema, depth: number): Node {
  if (lines.done) return null;
  const c = lines.col[lines.pos]!;
  if (c > col) return block(lines, c, schema, depth + 1);
  // A list may sit at its key's own column.
  if (c === col && isDash(lines.text, lines.at(), lines.end[lines.pos]!)) return list(lines, col, schema, depth + 1);
  return null;
}

/** A block list: `- ` entries at column `col`. */
function list(lines: Lines, col: number, schema: CoreSchema, depth: number): Node {
  const text = lines.text;
  const out: unknown[] = [];
  while (!lines.done) {
    const c = lines.col[lines.pos]!;
    if (c < col) break;
    if (c > col) decline();
    const i = lines.at();
    const end = lines.end[lines.pos]!;
    if (!isDash(text, i, end)) break;
    let j = i + 1;
    while (j < end && text.charCodeAt(j) === 32) j++;
    // An empty entry: left to js-yaml and yaml (parse-shape.ts declines it already).
    if (j === end || text.charCodeAt(j) === 35) decline();
    const inner = j - lines.start[lines.pos]!;
    if (isDash(text, j, end) || keyOnLine(text, j, end)) {
      // `- - x` or `- key: value`: a node starting at this column, on this line and the next ones.
      lines.col[lines.pos] = inner;
      out.push(block(lines, inner, schema, depth + 1));
    } else {
      out.push(inline(lines, j, end, schema));
      lines.pos++;
    }
  }
  return out;
}

/** Whether the line has a `key:` starting at `i`. */
function keyOnLine(text: string, i: number, end: number): boolean {
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) {
    const close = quoteEnd(text, i, end);
    return close !== undefined && text.charCodeAt(close) === 58;
  }
  for (let j = i; j < end; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 58 && (j + 1 === end || text.charCodeAt(j + 1) === 32)) return true;
    if (ch === 35 && text.charCodeAt(j - 1) === 32) return false;
  }
  return false;
}

/** A value written on its line from `i`: a plain or quoted scalar, `[...]` of scalars, `{}` or `[]`. */
function inline(lines: Lines, i: number, end: number, schema: CoreSchema): Node {
  const text = lines.text;
  const c = text.charCodeAt(i);
  let value: Node;
  let j: number;
  if (c === 34 || c === 39) {
    const close = quoteEnd(text, i, end);
    if (close === undefined) decline();
    value = quoted(text, i, close);
    j = close;
  } else if (c === 91 || c === 123) {
    const r = flow(text, i, end, schema);
    value = r.value;
    j = r.end;
  } else {
    return plain(lines, i, end, schema);
  }
  // Only spaces, then nothing or a comment.
  const from = j;
  while (j < end && text.charCodeAt(j) === 32) j++;
  if (j < end && !(text.charCodeAt(j) === 35 && j > from)) decline();
  return value;
}

/** A plain scalar from `i` to a comment or the line's end, typed by the core schema. */
function plain(lines: Lines, i: number, end: number, schema: CoreSchema): Node {
  const text = lines.text;
  // An indicator, but `-` before a non-space (`-0.5`): YAML reads `?x` and `:x` as plain too, js-yaml is left to.
  if (INDICATORS.includes(text[i]!) && !(text.charCodeAt(i) === 45 && i + 1 < end && text.charCodeAt(i + 1) !== 32)) decline();
  // Native searches, not a loop over characters: a script is most of a manifest's bytes.
  // A comment starts at ` #` (`i` itself is no `#`: that is an indicator).
  let stop = lines.commentFrom(i);
  if (stop === -1 || stop > end) stop = end;
  // `: ` or a final `:` would be a second key on the line.
  const colon = text.indexOf(': ', i);
  if ((colon !== -1 && colon < stop) || text.charCodeAt(stop - 1) === 58) decline();
  let last = stop;
  while (last > i && text.charCodeAt(last - 1) === 32) last--;
  const s = text.slice(i, last);
  const v = schema.core(s);
  return v === schema.notCore ? s : v;
}

const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';

/** The offset just after the closing quote of the scalar opening at `i`, on this line. */
function quoteEnd(text: string, i: number, end: number): number | undefined {
  const q = text.charCodeAt(i);
  for (let j = i + 1; j < end; j++) {
    const ch = text.charCodeAt(j);
    if (ch !== q) continue;
    if (q === 39 && text.charCodeAt(j + 1) === 39) {
      j++;
      continue;
    }
    return j + 1;
  }
  return undefined;
}

/** The text of a quoted scalar from `i` to `close` (after its closing quote); a backslash escape declines. */
function quoted(text: string, i: number, close: number): string {
  const s = text.slice(i + 1, close - 1);
  if (text.charCodeAt(i) === 39) return s.includes("''") ? s.replaceAll("''", "'") : s;
  if (s.includes('\\')) decline();
  return s;
}

/** `[a, "b", 'c']`, `[]` or `{}` on one line; anything richer declines. */
function flow(text: string, i: number, end: number, schema: CoreSchema): { value: Node; end: number } {
  let j = spaces(text, i + 1, end);
  if (text.charCodeAt(i) === 123) {
    if (text.charCodeAt(j) !== 125) decline();
    return { value: {}, end: j + 1 };
  }
  const out: unknown[] = [];
  if (text.charCodeAt(j) === 93) return { value: out, end: j + 1 };
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 34 || c === 39) {
      const close = quoteEnd(text, j, end);
      if (close === undefined) decline();
      out.push(quoted(text, j, close));
      j = spaces(text, close, end);
    } else {
      if (j >= end || FLOW_STOP.includes(text[j]!) || INDICATORS.includes(text[j]!)) decline();
      let k = j;
      let last = j;
      while (k < end && !FLOW_STOP.includes(text[k]!)) {
        if (text.charCodeAt(k) !== 32) last = k + 1;
        k++;
      }
      const s = text.slice(j, last);
      const v = schema.core(s);
      out.push(v === schema.notCore ? s : v);
      j = k;
    }
    const c2 = text.charCodeAt(j);
    if (c2 === 93) return { value: out, end: j + 1 };
    if (c2 !== 44) decline();
    j = spaces(text, j + 1, end);
  }
}

/** What ends a plain scalar in a list, or makes it one to leave to js-yaml. */
const FLOW_STOP = '[]{},:#"\'';

function spaces(text: string, j: number, end: number): number {
  while (j < end && text.charCodeAt(j) === 32) j++;
  return j;
}
