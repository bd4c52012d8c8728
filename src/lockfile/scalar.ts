/**
 * YAML scalars for the lockfile, written by hand so that 10k entries serialize in milliseconds
 * rather than seconds. Strings are plain only when they are unambiguous in YAML 1.2 *and* 1.1
 * (so any YAML tool reads the same values); everything else is double-quoted with JSON escapes,
 * which mean the same in YAML double-quoted scalars. Tests check every form against `yaml`.
 */

/** Identifiers, paths and part names: `intro`, `out/a.mp4`, `scenes[2].script`, `asset a b.png`. */
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_./[\] -]*$/;
/** Digests and ids made of lowercase hex, when they cannot read as a number. */
const PLAIN_HEX = /^[0-9a-f]+$/;
const NUMBER_LIKE_HEX = /^[0-9]+(?:e[0-9]+)?$|^0b[01]+$/;
/** Words YAML 1.1 or 1.2 reads as booleans or null. */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

/** Whether a string can be written as a plain YAML scalar that every YAML version reads back unchanged. */
export function isPlainSafe(s: string): boolean {
  if (PLAIN_WORD.test(s)) return !s.endsWith(' ') && !RESERVED.test(s);
  return PLAIN_HEX.test(s) && !NUMBER_LIKE_HEX.test(s);
}

/** Characters JSON.stringify leaves raw that YAML wants escaped (non-printable or line breaks in 1.1). */
const NEEDS_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string as a double-quoted YAML scalar with JSON escapes. */
export function quote(s: string): string {
  return JSON.stringify(s).replace(NEEDS_ESCAPE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value as a YAML scalar: plain when safe, else quoted; non-finite numbers throw. */
export function scalar(value: string | number | boolean): string {
  if (typeof value === 'string') return isPlainSafe(value) ? value : quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`lockfile: cannot write non-finite number ${value}`);
    // String() gives the shortest text that reads back to the same double; -0 becomes "0".
    return String(value);
  }
  return value ? 'true' : 'false';
}

/** Numbers exactly as `scalar()` writes them (and as YAML 1.2 core reads them). */
const CANONICAL_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-][0-9]+)?$/;
/** A double-quoted scalar using only escapes that JSON and YAML read alike. */
// eslint-disable-next-line no-control-regex -- the control range is what must not appear raw
const JSON_QUOTED = /^"(?:[^"\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"$/;

/**
 * Reads a scalar written by `scalar()`; undefined for any other form, so the caller can hand
 * the text to the full YAML parser instead of guessing.
 */
export function readScalar(text: string): string | number | boolean | undefined {
  if (text.startsWith('"')) return JSON_QUOTED.test(text) ? (JSON.parse(text) as string) : undefined;
  if (isPlainSafe(text)) return text;
  if (CANONICAL_NUMBER.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

/** Characters that end or open a plain scalar inside a flow collection (`[a, b]`). */
const FLOW_INDICATOR = /[[\]{},]/;

/** A value as a scalar inside a flow list: as `scalar()`, but flow indicators are quoted too. */
export function flowScalar(value: string | number): string {
  if (typeof value === 'string' && FLOW_INDICATOR.test(value)) return quote(value);
  return scalar(value);
}

/** A flow list of scalars, `[a, "b c,", 3]`, as written by `flowScalar()`. */
export function flowList(values: readonly (string | number)[]): string {
  return `[${values.map(flowScalar).join(', ')}]`;
}

/**
 * Reads a list written by `flowList()`; undefined for any other form (the caller then hands the
 * text to the full YAML parser, which stays the reference).
 */
export function readFlowList(text: string): (string | number | boolean)[] | undefined {
  if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
  const out: (string | number | boolean)[] = [];
  let i = 1;
  const end = text.length - 1;
  if (i === end) return out;
  for (;;) {
    let j: number;
    if (text.charCodeAt(i) === 34 /* " */) {
      j = quotedEnd(text, i);
      if (j < 0) return undefined;
    } else {
      j = text.indexOf(',', i);
      if (j < 0) j = end;
      if (FLOW_INDICATOR.test(text.slice(i, j))) return undefined;
    }
    const item = readScalar(text.slice(i, j));
    if (item === undefined) return undefined;
    out.push(item);
    if (j === end) return out;
    if (!text.startsWith(', ', j)) return undefined;
    i = j + 2;
  }
}

/** Index just after the double quote closing the scalar that opens at `from`, or -1. */
export function quotedEnd(s: string, from = 0): number {
  for (let i = from + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 /* " */) return i + 1;
  }
  return -1;
}
