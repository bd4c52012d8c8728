/** Which parts changed between two `videoKey().parts`: the "why" of an update in a plan. */

/** Names of changed, added and removed parts, in natural order (`scenes[2]` before `scenes[10]`). */
export function diffParts(before: Record<string, string>, after: Record<string, string>): string[] {
  const changed: string[] = [];
  for (const name of Object.keys(before)) {
    if (!Object.hasOwn(after, name) || after[name] !== before[name]) changed.push(name);
  }
  for (const name of Object.keys(after)) {
    if (!Object.hasOwn(before, name)) changed.push(name);
  }
  return changed.sort(compareNatural);
}

/**
 * Compares digit runs by numeric value and everything else by UTF-16 code unit, so it does not
 * depend on the locale. Strings equal up to leading zeros fall back to plain code-unit order,
 * which keeps this a total order.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      const ei = digitRunEnd(a, i);
      const ej = digitRunEnd(b, j);
      // Strip leading zeros, then compare by length first: exact for runs longer than 2^53.
      const x = a.slice(i, ei).replace(/^0+/, '');
      const y = b.slice(j, ej).replace(/^0+/, '');
      if (x.length !== y.length) return x.length - y.length;
      if (x !== y) return x < y ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  const rest = a.length - i - (b.length - j);
  if (rest !== 0) return rest;
  return a === b ? 0 : a < b ? -1 : 1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digitRunEnd(s: string, from: number): number {
  let k = from;
  while (k < s.length && isDigit(s.charCodeAt(k))) k++;
  return k;
}
