/**
 * The rows cache's packed form of many specs from one template: most of a row's spec (its avatar,
 * voice, background, dimension, the scenes without a placeholder...) is the same in every row, so
 * each value that two or more rows share is written once in a table and referred to by index.
 * Half the bytes to write and to parse on every warm or edited plan, and the rows read back share
 * those objects instead of holding 10,000 copies (specs are immutable once resolved).
 *
 * Shared values are looked for one level down: a spec's fields, and each scene of `scenes`. A
 * reference is a string starting with NUL; a real string there that starts with NUL is put in the
 * table too, so every such string is a reference and nothing reads back changed.
 */

/** A spec as JSON text with shared values as references, and the table they point into. */
export interface Packed {
  /** JSON of each shared value, in index order. */
  table: string[];
  /** JSON of each spec. */
  specs: string[];
}

const REF = '\u0000';

type Json = Record<string, unknown>;

/** One spec's values, one level down, each as JSON (scenes: one per scene). */
interface Split {
  keys: string[];
  values: (string | string[])[];
}

function split(spec: Json): Split {
  const keys: string[] = [];
  const values: (string | string[])[] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue; // as JSON.stringify leaves it out
    keys.push(k);
    values.push(k === 'scenes' && Array.isArray(v) ? v.map((s) => JSON.stringify(s)) : JSON.stringify(v));
  }
  return { keys, values };
}

/** Whether a value must go in the table: shared by two rows, or a string that would read as a reference. */
const inTable = (json: string, counts: Map<string, number>): boolean => (counts.get(json) ?? 0) > 1 || json.startsWith('"\\u0000');

/** Packs specs (plain JSON data) into a table of shared values and one JSON text per spec. */
export function pack(specs: readonly object[]): Packed {
  const parts = specs.map((s) => split(s as Json));
  const counts = new Map<string, number>();
  const count = (json: string): void => void counts.set(json, (counts.get(json) ?? 0) + 1);
  for (const p of parts) {
    for (const v of p.values) {
      if (typeof v === 'string') count(v);
      else v.forEach(count);
    }
  }
  const index = new Map<string, number>();
  const table: string[] = [];
  const ref = (json: string): string => {
    if (!inTable(json, counts)) return json;
    let i = index.get(json);
    if (i === undefined) {
      i = table.length;
      table.push(json);
      index.set(json, i);
    }
    return JSON.stringify(`${REF}${i}`);
  };
  const out = parts.map(({ keys, values }) => {
    const fields = keys.map((k, i) => {
      const v = values[i]!;
      return `${JSON.stringify(k)}:${typeof v === 'string' ? ref(v) : `[${v.map(ref).join(',')}]`}`;
    });
    return `{${fields.join(',')}}`;
  });
  return { table, specs: out };
}

/**
 * The spec a packed one stands for, given the parsed table. Undefined when a reference points
 * outside the table (a damaged cache, which then only costs speed).
 */
export function unpack(spec: Json, table: readonly unknown[]): Json | undefined {
  let ok = true;
  const deref = (v: unknown): unknown => {
    if (typeof v !== 'string' || v.charCodeAt(0) !== 0) return v;
    const i = Number(v.slice(1));
    if (!Number.isInteger(i) || i < 0 || i >= table.length) ok = false;
    return table[i];
  };
  const out: Json = {};
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    out[k] = k === 'scenes' && Array.isArray(v) ? v.map(deref) : deref(v);
  }
  return ok ? out : undefined;
}
