/**
 * Escaping for ffmpeg filter graphs. A value goes through two parsers: the graph parser (which
 * treats `[ ] , ; ' \` specially) and then the filter's option parser (`' \ :`); both trim
 * unescaped whitespace at the ends. So we escape for the option parser first, then for the graph.
 * See "Quoting and escaping" in ffmpeg-filters(1).
 */

/** Escape for a filter's option parser. */
function optionLevel(v: string): string {
  return v.replace(/[\\': ]/g, (c) => `\\${c}`);
}

/** Escape for the filter graph parser. */
function graphLevel(v: string): string {
  return v.replace(/[\\'[\],; ]/g, (c) => `\\${c}`);
}

/** A literal option value (a path, a colour, an expression) safe to place after `key=`. */
export function fv(v: string): string {
  return graphLevel(optionLevel(v));
}

/** A number for a filter expression: fixed-point, never exponent notation. */
export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

/** `key=value:key=value` with every value escaped. */
export function opts(o: Record<string, string | number | undefined>): string {
  return Object.entries(o)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : fv(v)}`)
    .join(':');
}
