/**
 * The `yaml` package, loaded on first use: a warm plan reads no YAML (every manifest comes from the
 * cache, the lockfile from its fast reader), and loading the package costs ~25 ms of CPU at start.
 * `require` gives the very module `import` would (the package maps both to dist/index.js), so its
 * node types and `isMap`-style checks agree with any other importer.
 */
import { createRequire } from 'node:module';
import type { LineCounter } from 'yaml';

type Yaml = typeof import('yaml');

let mod: Yaml | undefined;

/** The yaml module, required once. */
export function yaml(): Yaml {
  mod ??= createRequire(import.meta.url)('yaml') as Yaml;
  return mod;
}

/** A fresh `LineCounter` (the class is in the lazily loaded module). */
export function newLineCounter(): LineCounter {
  return new (yaml().LineCounter)();
}

/** yaml's `parseDocument`. */
export const parseDocument: Yaml['parseDocument'] = (...args: Parameters<Yaml['parseDocument']>) => yaml().parseDocument(...args);
/** yaml's `visit` (without its BREAK/SKIP/REMOVE markers: use `yaml().visit` for those). */
export function visit(...args: Parameters<Yaml['visit']>): void {
  yaml().visit(...args);
}
/** yaml's `isAlias`. */
export const isAlias: Yaml['isAlias'] = ((node: unknown) => yaml().isAlias(node)) as Yaml['isAlias'];
/** yaml's `isMap`. */
export const isMap: Yaml['isMap'] = ((node: unknown) => yaml().isMap(node)) as Yaml['isMap'];
/** yaml's `isNode`. */
export const isNode: Yaml['isNode'] = ((node: unknown) => yaml().isNode(node)) as Yaml['isNode'];
/** yaml's `isScalar`. */
export const isScalar: Yaml['isScalar'] = ((node: unknown) => yaml().isScalar(node)) as Yaml['isScalar'];
/** yaml's `isSeq`. */
export const isSeq: Yaml['isSeq'] = ((node: unknown) => yaml().isSeq(node)) as Yaml['isSeq'];
