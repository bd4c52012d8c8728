/** For property tests that damage a value: one member, anywhere in it, replaced. */

/**
 * A deep copy of `value` with one member replaced by `replacement`: `pick` chooses the object or array
 * that holds it (in a walk of the copy) and the member within it. A holder with no members is left as is.
 */
export function withOneMemberReplaced<T>(value: T, pick: number, replacement: unknown): T {
  const copy = structuredClone(value);
  const holders: Record<string, unknown>[] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    holders.push(v as Record<string, unknown>);
    Object.values(v).forEach(walk);
  };
  walk(copy);
  const holder = holders[pick % holders.length]!;
  const keys = Object.keys(holder);
  if (keys.length > 0) holder[keys[pick % keys.length]!] = replacement;
  return copy;
}
