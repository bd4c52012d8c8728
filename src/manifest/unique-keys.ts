/**
 * Duplicate map keys, found in one pass. The yaml library's own check (`uniqueKeys`) compares
 * each new key with every earlier key of its map: a manifest with 20,000 keys spent seconds
 * there. This check keeps a set per map and reports what yaml would: each later repeat of a
 * scalar key with the same value (identity for other keys), at the repeated key's start.
 */

import type { Document } from 'yaml';
import { isNode, isScalar, visit } from '../util/yaml.js';

/** A key that repeats an earlier key of the same map: where it is, as written, and where the first one is. */
export interface DuplicateKey {
  offset: number;
  name: string;
  first?: number;
}

/** The keys that repeat an earlier key of the same map, each at its own start. */
export function duplicateKeys(doc: Document.Parsed): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<unknown, number | undefined>();
      for (const pair of map.items) {
        const key: unknown = pair.key;
        const value = isScalar(key) ? key.value : key;
        // yaml compares with ===, by which NaN never repeats.
        if (typeof value === 'number' && Number.isNaN(value)) continue;
        const start = isNode(key) ? key.range?.[0] : undefined;
        if (seen.has(value)) {
          const first = seen.get(value);
          if (start !== undefined) found.push({ offset: start, name: String(isScalar(key) ? key.value : 'a key'), ...(first !== undefined ? { first } : {}) });
        } else {
          seen.set(value, start);
        }
      }
    },
  });
  return found;
}
