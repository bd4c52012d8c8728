/**
 * `when:` on a scene: `{column, equals: x}`, `{column, in: [x, y]}` or `{column, not: x | [x, y]}`.
 * Cells are compared as text (a CSV cell "3" equals `equals: 3`), case and spaces as written.
 */

import { isMissing } from './fill.js';
import type { Row } from './row-set.js';

/** A scene's condition, checked. */
export interface When {
  column: string;
  /** The cell must be one of these. */
  anyOf?: string[];
  /** The cell must be none of these. */
  noneOf?: string[];
}

/** A `when:` written wrong: what to say, and which key of it to point at. */
export interface WhenIssue {
  message: string;
  hint: string;
  key?: string;
}

const HINT = 'write when: {column: plan, equals: pro}, {column: plan, in: [pro, enterprise]} or {column: plan, not: free}';
const KEYS = new Set(['column', 'equals', 'in', 'not']);

function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function list(v: unknown): string[] | undefined {
  const items = Array.isArray(v) ? v : [v];
  const out = items.map(scalarText);
  return out.every((s): s is string => s !== undefined) && out.length > 0 ? out : undefined;
}

/** Reads a `when:` value, or says what is wrong with it. */
export function parseWhen(v: unknown): When | WhenIssue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'when: must be a map', hint: HINT };
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KEYS.has(k));
  if (unknown !== undefined) return { message: `when: has an unknown key "${unknown}"`, hint: HINT, key: unknown };
  if (typeof o.column !== 'string' || o.column === '') return { message: 'when: needs `column:`, the name of a data column', hint: HINT };
  const tests = ['equals', 'in', 'not'].filter((k) => k in o);
  if (tests.length !== 1) return { message: 'when: needs exactly one of equals, in or not', hint: HINT };
  const test = tests[0]!;
  if (test === 'equals') {
    const s = scalarText(o.equals);
    return s === undefined ? { message: 'when: equals must be a single value', hint: HINT, key: 'equals' } : { column: o.column, anyOf: [s] };
  }
  const values = list(o[test]);
  if (!values || (test === 'in' && !Array.isArray(o.in))) return { message: `when: ${test} must be ${test === 'in' ? 'a list of values' : 'a value or a list of values'}`, hint: HINT, key: test };
  return test === 'in' ? { column: o.column, anyOf: values } : { column: o.column, noneOf: values };
}

/** Whether a parsed value is a condition (not an issue). */
export function isWhen(w: When | WhenIssue): w is When {
  return 'column' in w;
}

/** Whether the row's cell passes the condition; an empty cell matches only `not`. */
export function matches(w: When, row: Row): boolean {
  const v = row.cells[w.column];
  const s = isMissing(v) ? '' : typeof v === 'string' ? v.trim() : String(v);
  if (w.anyOf) return w.anyOf.includes(s);
  return !(w.noneOf ?? []).includes(s);
}
