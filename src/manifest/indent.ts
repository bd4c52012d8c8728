/**
 * Where a YAML indentation mistake really is. yaml reports one where the parser gives up, which is
 * often the line before ("Implicit keys need to be on a single line") or a column that means little
 * ("Sequence item without - indicator" at column 1). This walks the block structure line by line
 * (the indents of the open maps and lists) and finds the first line that fits none of them. It runs
 * only when yaml already reported an error, so an unusual but valid layout costs nothing.
 */

import type { SourceLines } from './frame.js';

/** An indentation mistake at its line, in words a writer can act on. */
export interface IndentBreak {
  line: number;
  /** 1-based: the line's first non-blank character (or its first tab). */
  column: number;
  message: string;
  hint: string;
}

interface Level {
  indent: number;
  kind: 'map' | 'seq';
}

const KEY = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?):(?:\s|$)/;
const BLOCK_SCALAR = /^[|>][-+0-9]*\s*(?:#.*)?$/;

const HINT =
  'YAML nests by indentation, with spaces only: keys of one map start in the same column, and the keys of a list item line up under the first one after `- `';

/** What one line is, seen from its structure: a key (with or without a value), a list item, or other text. */
interface Shape {
  seq: boolean;
  /** Column (0-based) where a map starts on this line: the key's, or after `- ` for `- key: value`. */
  mapAt?: number;
  /** Ends with `key:` or `-` and nothing after: the next line may go deeper. */
  opens: boolean;
  /** Ends with `key: |` or `key: >`: deeper lines are text. */
  block: boolean;
}

function valueAfterKey(rest: string): string {
  const m = KEY.exec(rest);
  return m ? rest.slice(m[0].length).replace(/\s+#.*$/, '').trim() : '';
}

function shapeOf(body: string, indent: number): Shape {
  if (/^-(\s|$)/.test(body)) {
    const after = body.slice(1).trimStart();
    const at = indent + body.length - after.length;
    if (after === '' || after.startsWith('#')) return { seq: true, opens: true, block: false };
    if (KEY.test(after)) {
      const v = valueAfterKey(after);
      return { seq: true, mapAt: at, opens: v === '', block: BLOCK_SCALAR.test(v) };
    }
    return { seq: true, opens: false, block: BLOCK_SCALAR.test(after) };
  }
  if (KEY.test(body)) {
    const v = valueAfterKey(body);
    return { seq: false, mapAt: indent, opens: v === '', block: BLOCK_SCALAR.test(v) };
  }
  return { seq: false, opens: false, block: false };
}

/** Net `[`/`{` left open on a line (outside quotes, roughly): a flow collection that spans lines is skipped. */
function flowDepth(body: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (const c of body) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

const plural = (n: number): string => `${n} space${n === 1 ? '' : 's'}`;

/**
 * Whether a line at `indent` fits the open blocks (`fits`), is the next line of a plain scalar
 * (`continuation`), or what is wrong. Leaves the blocks the line closes (pops `stack`).
 */
function judge(stack: Level[], open: { indent: number; seq: boolean } | undefined, afterScalar: boolean, shape: Shape, indent: number): { wrong: string } | 'fits' | 'continuation' {
  if (stack.length === 0 && indent > 0 && shape.mapAt !== undefined) {
    return { wrong: `the first key is indented ${plural(indent)}: a manifest's top-level keys start at the left margin` };
  }
  if (open && indent > open.indent) return 'fits';
  if (open && !open.seq && shape.seq && indent === open.indent) return 'fits'; // `key:` then `- item` at its indent
  if (stack.length > 0 && indent > (stack[stack.length - 1]?.indent ?? 0)) {
    if (!shape.seq && shape.mapAt === undefined && afterScalar) return 'continuation';
    return { wrong: `this line is indented ${plural(indent)}, deeper than the line above allows (that line already has its value)` };
  }
  const want = shape.seq ? 'seq' : 'map';
  // Listed before leaving the deeper blocks: the message names them all.
  const around = [...new Set(stack.map((l) => l.indent))].map(String).join(', ');
  while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
  // Leaving a list that sits at its parent key's indent (`key:` then `- item`) for the next key.
  const under = stack[stack.length - 2];
  if (want === 'map' && stack[stack.length - 1]?.kind === 'seq' && stack[stack.length - 1]?.indent === indent && under?.indent === indent && under.kind === 'map') {
    stack.pop();
  }
  const top = stack[stack.length - 1];
  if (top === undefined || (top.indent === indent && top.kind === want)) return 'fits';
  if (top.indent !== indent) return { wrong: `this line is indented ${plural(indent)}, which lines up with nothing above it (blocks start at ${around} spaces)` };
  return {
    wrong:
      want === 'seq'
        ? `a list item (\`- \`) where a key of the map above was expected, at ${plural(indent)}`
        : `a key where a list item (\`- \`) was expected, at ${plural(indent)}`,
  };
}

/** The first line from `from` to `to` (1-based, inclusive) whose indentation fits no open block; undefined if none. */
export function indentationBreak(lines: SourceLines, from: number, to: number): IndentBreak | undefined {
  const stack: Level[] = [];
  let open: { indent: number; seq: boolean } | undefined;
  let blockAbove: number | undefined; // inside `key: |` text deeper than this indent
  let flow = 0;
  let lastWasScalarKey = false;
  const last = Math.min(to, lines.count);
  for (let n = 1; n <= last; n++) {
    const raw = lines.line(n);
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(body)) continue;
    const lead = raw.slice(0, raw.length - body.length);
    const indent = lead.length;
    if (blockAbove !== undefined && indent > blockAbove) continue;
    blockAbove = undefined;
    if (flow > 0) {
      flow += flowDepth(body);
      continue;
    }
    const report = (message: string, hint = HINT): IndentBreak | undefined =>
      n >= from ? { line: n, column: lead.includes('\t') ? lead.indexOf('\t') + 1 : indent + 1, message, hint } : undefined;
    if (lead.includes('\t')) {
      const r = report(
        `line ${n} is indented with a tab (shown as → below): YAML indentation must be spaces`,
        'replace the tab with spaces (set your editor to insert spaces for .yaml files)',
      );
      if (r) return r;
      return undefined; // the rest cannot be judged without knowing the tab's width
    }
    const shape = shapeOf(body, indent);
    const verdict = judge(stack, open, lastWasScalarKey, shape, indent);
    if (verdict === 'continuation') continue;
    if (verdict !== 'fits') {
      const r = report(verdict.wrong);
      if (r) return r;
    }
    // Record this line's levels.
    while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
    if (shape.seq) {
      if (!(stack[stack.length - 1]?.indent === indent && stack[stack.length - 1]?.kind === 'seq')) stack.push({ indent, kind: 'seq' });
      if (shape.mapAt !== undefined) stack.push({ indent: shape.mapAt, kind: 'map' });
    } else if (shape.mapAt !== undefined && !(stack[stack.length - 1]?.indent === indent && stack[stack.length - 1]?.kind === 'map')) {
      stack.push({ indent, kind: 'map' });
    }
    open = shape.opens ? { indent, seq: shape.seq && shape.mapAt === undefined } : undefined;
    lastWasScalarKey = !shape.opens && !shape.block && shape.mapAt !== undefined;
    if (shape.block) blockAbove = indent;
    flow = Math.max(0, flowDepth(body));
  }
  return undefined;
}
