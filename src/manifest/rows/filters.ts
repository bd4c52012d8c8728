/**
 * The filters a placeholder may apply: `slug`, `upper`, `lower` and `default('x')`. A closed list of
 * plain string functions: a template never evaluates code.
 */

/** One filter as written: its name and, for `default`, its argument. */
export interface Filter {
  name: FilterName;
  arg?: string;
}

/** The names a filter may have. */
export type FilterName = 'slug' | 'upper' | 'lower' | 'default';

/** Every filter name, for parsing and did-you-mean. */
export const FILTER_NAMES: readonly FilterName[] = ['slug', 'upper', 'lower', 'default'];

/** An id- and path-safe form: lower case, accents dropped, runs of other characters as one "-". */
export function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Applies one string filter (`default` is applied before, where the value is looked up). */
export function applyFilter(f: Filter, s: string): string {
  switch (f.name) {
    case 'slug':
      return slug(s);
    case 'upper':
      return s.toUpperCase();
    case 'lower':
      return s.toLowerCase();
    case 'default':
      return s;
  }
}
