/** YAML loading that keeps source positions, so every problem can point at file:line:col. */

import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, newLineCounter, parseDocument, visit } from '../util/yaml.js';
import type { DataPath } from './issue.js';
import { duplicateKeys } from './unique-keys.js';

/** A 1-based place in a source file, optionally a range, for diagnostics and code frames. */
export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A YAML syntax error at its place in the file. */
export interface SyntaxProblem extends Position {
  message: string;
  /** yaml's error code (`BAD_INDENT`, `TAB_AS_INDENT`, ...), when it gave one. */
  code?: string;
}

/** A parsed YAML document with its line index and syntax errors, so later steps can map data paths back to lines. */
export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  errors: SyntaxProblem[];
}

const CONFLICT = /^(<{7} |={7}$|>{7} )/;

/** The first git merge-conflict marker line, if any (YAML would report a confusing error). */
export function findMergeConflict(text: string): Position | undefined {
  // Every marker holds one of these: most files are told apart without splitting them into lines.
  if (!text.includes('<<<<<<< ') && !text.includes('=======') && !text.includes('>>>>>>> ')) return undefined;
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (CONFLICT.test(l.replace(/\r$/, ''))) return { line, column: 1 };
  }
  return undefined;
}

/** Parses manifest YAML, collecting syntax errors rather than throwing so every problem is reported in one run. */
export function parseYaml(text: string): ParsedYaml {
  const lines = newLineCounter();
  // A YAML error is an Error, and capturing its stack trace was most of the parse time when one
  // bad indent cascades into thousands of errors; their stacks are never shown.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: Document.Parsed;
  try {
    // `merge: true` allows docker-compose style `<<: *base` merge keys. `uniqueKeys: false`: yaml's
    // own check is quadratic in a map's size; `duplicateKeys` does the same check linearly.
    doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: false });
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
  const at = (offset: number, message: string, code?: string, end?: number): SyntaxProblem => {
    const start = lines.linePos(offset);
    const p: SyntaxProblem = { message, line: start.line, column: start.col };
    if (code !== undefined) p.code = code;
    if (end !== undefined && end > offset) {
      const e = lines.linePos(end);
      p.endLine = e.line;
      p.endColumn = e.col;
    }
    return p;
  };
  const errors = doc.errors.map((e) => {
    // yaml places an unclosed quote at the end of the file, where the text it swallowed ends: the
    // place to fix is the opening quote.
    const open = e.code === 'MISSING_CHAR' ? openingQuoteOf(doc, e.pos[0]) : undefined;
    return open === undefined ? at(e.pos[0], e.message, e.code, e.pos[1]) : at(open, e.message, e.code, open + 1);
  });
  for (const d of duplicateKeys(doc)) {
    const first = d.first === undefined ? '' : ` (first at line ${lines.linePos(d.first).line})`;
    errors.push(at(d.offset, `"${d.name}" is written twice in the same map${first}: keep one, or indent it under the item it belongs to (YAML: Map keys must be unique)`));
  }
  return { doc, lines, errors };
}

/** Where the quoted scalar that runs on to `end` (an unclosed quote) opens, if one does. */
function openingQuoteOf(doc: Document.Parsed, end: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range?.[1] === end) start = node.range[0];
    },
  });
  return start;
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/**
 * The first pair of each key, per map, built on first use: placing 20,000 unknown keys of one
 * map by a linear search each was quadratic.
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const k = String(keyOf(p.key));
      if (!index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

function positionOf(node: Node, parsed: ParsedYaml): Position | undefined {
  const range = node.range;
  if (!range) return undefined;
  const start = parsed.lines.linePos(range[0]);
  const end = parsed.lines.linePos(range[1]);
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

/**
 * The position of the node at `path`: its value, or with `at: 'key'` its key. When the path does
 * not exist in the file (a missing key, or a value that came from a `<<` merge), the deepest node
 * that does exist: for a missing key that is its parent map, which is where it should be added.
 */
export function locate(parsed: ParsedYaml, path: DataPath, at: 'key' | 'value' = 'value'): Position {
  const { doc } = parsed;
  let node: unknown = doc.contents;
  let found: Position | undefined = node ? positionOf(node as Node, parsed) : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = pairOf(node, String(seg));
      if (!pair) break;
      const keyPos = isScalar(pair.key) ? positionOf(pair.key, parsed) : undefined;
      const value = pair.value;
      // An empty value (`background:` or `background: #123` read as a comment) has no useful
      // range of its own: point at its key.
      const empty = value === null || value === undefined || (isScalar(value) && value.value === null && !value.source);
      if ((i === path.length - 1 && at === 'key') || empty) {
        found = keyPos ?? found;
        break;
      }
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined || item === null) break;
      node = item;
    } else {
      break;
    }
    found = positionOf(node as Node, parsed) ?? found;
  }
  return found ?? { line: 1, column: 1 };
}
