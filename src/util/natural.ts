/**
 * Text order that reads numbers by value ("scene 2" before "scene 10"), the same on every machine
 * (a fixed locale, not the runner's): for lists people read, such as warnings naming scenes.
 */
let collator: Intl.Collator | undefined;

/** Compares two texts with their runs of digits as numbers; for `Array.prototype.sort`. */
export function naturalCompare(a: string, b: string): number {
  // Made on first use: ICU's collation data loads only for a list that is sorted.
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b);
}
