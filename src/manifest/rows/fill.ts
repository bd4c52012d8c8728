/**
 * `{{ column | filter }}` placeholders: a template is compiled once (every string split into
 * literal text and placeholders), then filled once per row. Subtrees without a placeholder are
 * shared by every row, not copied. Filling is string work only: no expression is evaluated.
 */

import type { DataPath } from '../issue.js';
import { didYouMean } from '../../util/suggest.js';
import type { Cell, Row } from './row-set.js';
import { applyFilter, FILTER_NAMES, type Filter, type FilterName } from './filters.js';

/** One `{{ ... }}` in a template string. */
export interface Placeholder {
  column: string;
  filters: Filter[];
  /** The placeholder as written, e.g. `{{ name | upper }}`, to find it in the file. */
  raw: string;
  /** Which occurrence of `raw` in its string this is (0-based), to place it exactly. */
  nth: number;
  /** Where the string holding it sits in the template data. */
  path: DataPath;
}

/** A compiled template value. */
export type Tpl =
  | { readonly t: 'lit'; readonly v: unknown }
  | { readonly t: 'str'; readonly parts: readonly (string | Placeholder)[]; readonly key: string }
  | { readonly t: 'arr'; readonly items: readonly Tpl[] }
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, Tpl])[] };

/** A mistake in how a placeholder is written, found when the template is compiled. */
export interface SyntaxIssue {
  path: DataPath;
  /** The text to point at, when it can be found. */
  raw: string;
  message: string;
  hint?: string;
}

/** A row with no value where a placeholder without `default` needs one. */
export interface MissingValue {
  placeholder: Placeholder;
}

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;
const FILTER = /^([A-Za-z_]+)\s*(?:\(\s*(?:'([^']*)'|"([^"]*)")\s*\))?$/;

/** Compiles a manifest's data into a template; `issues` collects placeholders written wrong. */
export function compile(value: unknown, path: DataPath, issues: SyntaxIssue[], placeholders: Placeholder[]): Tpl {
  if (typeof value === 'string') return value.includes('{{') ? compileString(value, path, issues, placeholders) : { t: 'lit', v: value };
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compile(v, [...path, i], issues, placeholders));
    return items.every((i) => i.t === 'lit') ? { t: 'lit', v: value } : { t: 'arr', items };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => [k, compile(v, [...path, k], issues, placeholders)] as const);
    return entries.every(([, e]) => e.t === 'lit') ? { t: 'lit', v: value } : { t: 'obj', entries };
  }
  return { t: 'lit', v: value };
}

function compileString(s: string, path: DataPath, issues: SyntaxIssue[], all: Placeholder[]): Tpl {
  const parts: (string | Placeholder)[] = [];
  const seen = new Map<string, number>();
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(s.slice(last, m.index));
    last = m.index + m[0].length;
    const raw = m[0];
    const nth = seen.get(raw) ?? 0;
    seen.set(raw, nth + 1);
    const ph = parsePlaceholder(m[1] ?? '', raw, nth, path, issues);
    if (ph) {
      parts.push(ph);
      all.push(ph);
    }
  }
  const rest = s.slice(last);
  if (rest.includes('{{')) {
    issues.push({ path, raw: '{{', message: 'a placeholder is not closed with }}', hint: 'write placeholders as {{ column }}' });
  }
  if (rest !== '') parts.push(rest);
  const key = String(path[path.length - 1] ?? '');
  return { t: 'str', parts, key };
}

/** A placeholder's body split at each `|` outside quotes: `default('Sales | EMEA')` is one filter. */
function splitFilters(body: string): string[] {
  if (!body.includes("'") && !body.includes('"')) return body.split('|');
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '|') {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function parsePlaceholder(body: string, raw: string, nth: number, path: DataPath, issues: SyntaxIssue[]): Placeholder | undefined {
  const [head, ...rest] = splitFilters(body).map((p) => p.trim());
  if (!head) {
    issues.push({ path, raw, message: `placeholder ${raw} names no column`, hint: 'write the column name inside the braces: {{ customer_id }}' });
    return undefined;
  }
  const filters: Filter[] = [];
  for (const f of rest) {
    const m = FILTER.exec(f);
    const name = m?.[1];
    if (!m || !name || !FILTER_NAMES.includes(name as FilterName)) {
      const near = didYouMean(name ?? f, FILTER_NAMES);
      issues.push({
        path,
        raw,
        message: `unknown filter "${f}" in ${raw}${near ? ` (did you mean "${near}"?)` : ''}`,
        hint: "the filters are slug, upper, lower and default('text'); templates evaluate no code",
      });
      return undefined;
    }
    const arg = m[2] ?? m[3];
    if (name === 'default' && arg === undefined) {
      issues.push({ path, raw, message: `default needs a quoted value in ${raw}`, hint: "write default('there')" });
      return undefined;
    }
    if (name !== 'default' && arg !== undefined) {
      issues.push({ path, raw, message: `filter ${name} takes no argument in ${raw}` });
      return undefined;
    }
    filters.push(arg === undefined ? { name: name as FilterName } : { name: name as FilterName, arg });
  }
  return { column: head, filters, raw, nth, path };
}

/** Whether a cell counts as no value: absent, null, or an empty (or blank) string. */
export function isMissing(v: Cell): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Keys whose values are numbers or booleans: a CSV cell (always text) is read as one there. */
const NUMBER_KEYS = new Set(['width', 'height', 'scale', 'x', 'y', 'speed', 'pitch', 'silence']);
const BOOLEAN_KEYS = new Set(['caption', 'burn', 'captions', 'audio_only']);
const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

/**
 * The value a string that is exactly one placeholder takes: typed where the key wants a number or a
 * boolean (so `caption: "{{ captions }}"` works from CSV), text elsewhere (an id of 1001 is "1001").
 * Structured cells (JSON/YAML rows) pass through, and the schema checks them like any value.
 */
function typed(key: string, v: Cell): unknown {
  if (typeof v === 'string') {
    const s = v.trim();
    if (NUMBER_KEYS.has(key) && NUMBER.test(s)) return Number(s);
    if (BOOLEAN_KEYS.has(key) && /^(true|false)$/i.test(s)) return s.toLowerCase() === 'true';
    return v;
  }
  if ((typeof v === 'number' || typeof v === 'boolean') && !NUMBER_KEYS.has(key) && !BOOLEAN_KEYS.has(key)) return String(v);
  return v;
}

function text(v: Cell): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The value of one placeholder for a row, or `undefined` (recorded in `missing`) when it has none. */
function valueOf(ph: Placeholder, row: Row, missing: MissingValue[]): Cell {
  let v = row.cells[ph.column];
  if (isMissing(v)) {
    const d = ph.filters.find((f) => f.name === 'default');
    if (!d) {
      missing.push({ placeholder: ph });
      return undefined;
    }
    v = d.arg;
  }
  if (ph.filters.some((f) => f.name !== 'default')) {
    let s = text(v);
    for (const f of ph.filters) s = applyFilter(f, s);
    return s;
  }
  return v;
}

/** The template filled with one row's cells; placeholders without a value are recorded in `missing`. */
export function fill(tpl: Tpl, row: Row, missing: MissingValue[]): unknown {
  switch (tpl.t) {
    case 'lit':
      return tpl.v;
    case 'arr':
      return tpl.items.map((i) => fill(i, row, missing));
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of tpl.entries) out[k] = fill(v, row, missing);
      return out;
    }
    case 'str': {
      const only = tpl.parts.length === 1 ? tpl.parts[0] : undefined;
      if (only !== undefined && typeof only !== 'string') {
        const v = valueOf(only, row, missing);
        return v === undefined ? '' : typed(tpl.key, v);
      }
      let s = '';
      for (const p of tpl.parts) s += typeof p === 'string' ? p : text(valueOf(p, row, missing) ?? '');
      return s;
    }
  }
}
