/**
 * csv-parse's synchronous parser, loaded on first use. Its CommonJS build is one file (1.4 ms to load
 * here) where its ESM build is 14 modules (6-12 ms): every cold plan and build paid that, CSV rows or not.
 */
import { createRequire } from 'node:module';
import type { parse as Parse } from 'csv-parse/sync';

let parser: typeof Parse | undefined;

/** csv-parse/sync's `parse`, the same function, required the first time it is called. */
export const parseCsv: typeof Parse = ((...args: unknown[]) => {
  parser ??= (createRequire(import.meta.url)('csv-parse/sync') as { parse: typeof Parse }).parse;
  // The overloads are the caller's business: the arguments go through as given.
  return (parser as (...a: unknown[]) => unknown)(...args);
}) as typeof Parse;
