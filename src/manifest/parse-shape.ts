/**
 * Whether a YAML text keeps to the plain shape that the fast parse (parse-fast.ts) is trusted
 * with: every line is blank, a comment, a block scalar's content, or a structure line
 * `[- ]* key: value` / `[- ]* value` whose value ends on that line: a plain scalar, a quoted scalar
 * closed on the line, a flow collection closed on the line, or a block scalar header (`|`, `>`, `|-`, `>-`).
 * A value going on over the next lines (a multi-line plain or quoted scalar, a flow collection
 * over several lines) is left to `yaml`: js-yaml accepts some of those that `yaml` refuses. So is
 * anything after a closed quote or bracket but a comment, a plain value that begins with an
 * indicator, a line of spaces only, and an empty sequence entry (`-` alone: js-yaml misplaces what follows it). Conservative on purpose: an answer of false only costs the slow parse.
 */

/** Characters that cannot begin a plain scalar (YAML 1.2 c-indicator), `-?:` aside (see plainStart). */
const INDICATOR = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

/** The plain shape described above. The text has no tab and no carriage return (parse-fast checks). */
export function plainShape(text: string): boolean {
  /** While in a block scalar: the least indentation of its content lines. */
  let block = -1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - start;
    // A line of spaces only: the parsers disagree on those in and around block scalars.
    if (i === end && indent > 0) return false;
    if (block >= 0 && (i === end || indent >= block)) {
      start = end + 1;
      continue;
    }
    block = -1;
    if (i < end && text[i] !== '#') {
      const header = structure(text, i, end, start);
      if (header === undefined) return false;
      block = header;
    }
    start = end + 1;
  }
  return true;
}

/**
 * Checks one structure line from `i` (after its indentation) to `end`. Undefined when it is not of
 * the plain shape; else -1, or when the line opens a block scalar, the least indentation of its
 * content (one more than its parent's column).
 */
function structure(text: string, i: number, end: number, lineStart: number): number | undefined {
  let parent = i - lineStart;
  // Sequence entries, possibly nested on one line: `- - a`.
  while (text[i] === '-' && (i + 1 === end || text[i + 1] === ' ')) {
    parent = i - lineStart;
    i++;
    while (i < end && text[i] === ' ') i++;
    // An empty entry: js-yaml can then put the next, less indented entry in the wrong list.
    if (i === end) return undefined;
  }
  // A key, if the line has one: a quoted key closed on the line, or a plain key, then `:`.
  const keyEnd = keyAt(text, i, end);
  if (keyEnd !== undefined) {
    parent = i - lineStart;
    i = keyEnd + 1;
    if (i < end && text[i] !== ' ') return undefined;
    while (i < end && text[i] === ' ') i++;
    if (i === end || text[i] === '#') return -1;
  }
  return value(text, i, end, parent);
}

/** The offset of the `:` ending a key that starts at `i`, or undefined when the line has no key there. */
function keyAt(text: string, i: number, end: number): number | undefined {
  const c = text[i];
  if (c === '"' || c === "'") {
    const close = quoteEnd(text, i, end);
    if (close === undefined || text[close] !== ':') return undefined;
    return close + 1 === end || text[close + 1] === ' ' ? close : undefined;
  }
  if (!plainStart(text, i, end)) return undefined;
  for (let j = i; j < end; j++) {
    const ch = text[j];
    if (ch === '#' && text[j - 1] === ' ') return undefined;
    if (ch === ':' && (j + 1 === end || text[j + 1] === ' ')) return j;
  }
  return undefined;
}

/** Checks the value from `i` to the line's end; see `structure` for the result. */
function value(text: string, i: number, end: number, parent: number): number | undefined {
  const c = text[i];
  if (c === '|' || c === '>') {
    // A block scalar header: `|`, `>`, maybe `-` (strip), then nothing or a comment. Neither `+`
    // (keep) nor an indentation digit: with them the two parsers keep different trailing lines.
    let j = i + 1;
    if (text[j] === '-') j++;
    return rest(text, j, end) ? parent + 1 : undefined;
  }
  if (c === '"' || c === "'") {
    const close = quoteEnd(text, i, end);
    return close !== undefined && rest(text, close, end) ? -1 : undefined;
  }
  if (c === '[' || c === '{') {
    const close = flowEnd(text, i, end);
    return close !== undefined && rest(text, close, end) ? -1 : undefined;
  }
  if (!plainStart(text, i, end)) return undefined;
  // A plain scalar: no `: ` in it (a second key on the line), up to a comment or the line's end.
  for (let j = i; j < end; j++) {
    const ch = text[j];
    if (ch === '#' && text[j - 1] === ' ') return -1;
    if (ch === ':' && (j + 1 === end || text[j + 1] === ' ')) return undefined;
  }
  return -1;
}

/** A plain scalar may start here: not an indicator, or `-?:` followed by a non-space. */
function plainStart(text: string, i: number, end: number): boolean {
  const c = text[i]!;
  if (!INDICATOR.has(c)) return true;
  return (c === '-' || c === '?' || c === ':') && i + 1 < end && text[i + 1] !== ' ';
}

/** Only spaces, then nothing or a comment, from `j` to the line's end. */
function rest(text: string, j: number, end: number): boolean {
  const from = j;
  while (j < end && text[j] === ' ') j++;
  return j === end || (text[j] === '#' && j > from);
}

/** The offset just after the quote closing the quoted scalar that opens at `i`, on this line. */
function quoteEnd(text: string, i: number, end: number): number | undefined {
  const q = text[i];
  for (let j = i + 1; j < end; j++) {
    const ch = text[j];
    if (q === '"' && ch === '\\') {
      j++;
      continue;
    }
    if (ch !== q) continue;
    if (q === "'" && text[j + 1] === "'") {
      j++;
      continue;
    }
    return j + 1;
  }
  return undefined;
}

/**
 * The offset just after a flow collection of scalars that opens at `i` and closes on this line:
 * `[a, "b"]`, `{k: v, "k2": 'v2'}`, `[]`, `{}`. Nested collections, empty entries, keys in a
 * list and pairs without a value are left to `yaml` (js-yaml reads some of them differently).
 */
function flowEnd(text: string, i: number, end: number): number | undefined {
  const close = text[i] === '[' ? ']' : '}';
  const pairs = close === '}';
  let j = skipSpaces(text, i + 1, end);
  if (text[j] === close) return j + 1;
  for (;;) {
    const item = flowScalar(text, j, end);
    if (item === undefined) return undefined;
    j = item;
    if (pairs) {
      if (text[j] !== ':' || text[j + 1] !== ' ') return undefined;
      const v = flowScalar(text, skipSpaces(text, j + 1, end), end);
      if (v === undefined) return undefined;
      j = v;
    }
    if (text[j] === close) return j + 1;
    if (text[j] !== ',') return undefined;
    j = skipSpaces(text, j + 1, end);
  }
}

/** The offset after one scalar in a flow collection and the spaces after it. */
function flowScalar(text: string, i: number, end: number): number | undefined {
  let j = i;
  if (text[j] === '"' || text[j] === "'") {
    const q = quoteEnd(text, j, end);
    return q === undefined ? undefined : skipSpaces(text, q, end);
  }
  // A plain scalar in a flow collection: none of the flow indicators, quotes or comments.
  while (j < end && !/[[\]{},:#"']/.test(text[j]!)) j++;
  if (j === i || text[i] === ' ' || !plainStart(text, i, end)) return undefined;
  return j;
}

function skipSpaces(text: string, j: number, end: number): number {
  while (j < end && text[j] === ' ') j++;
  return j;
}
