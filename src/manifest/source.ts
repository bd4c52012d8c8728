/** YAML loading that keeps source positions, so every problem can point at file:line:col. */

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { DataPath } from './issue.js';

export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface SyntaxProblem extends Position {
  message: string;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  errors: SyntaxProblem[];
}

const CONFLICT = /^(<{7} |={7}$|>{7} )/;

/** The first git merge-conflict marker line, if any (YAML would report a confusing error). */
export function findMergeConflict(text: string): Position | undefined {
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (CONFLICT.test(l.replace(/\r$/, ''))) return { line, column: 1 };
  }
  return undefined;
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  // `merge: true` allows docker-compose style `<<: *base` merge keys.
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: true });
  const errors = doc.errors.map((e): SyntaxProblem => {
    const start = e.linePos?.[0] ?? { line: 1, col: 1 };
    // yaml appends " at line N, column M:" and its own frame; we print ours.
    const message = e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
    return { message, line: start.line, column: start.col };
  });
  return { doc, lines, errors };
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
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
      const pair = node.items.find((p) => String(keyOf(p.key)) === String(seg));
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
