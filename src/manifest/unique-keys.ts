/**
 * Duplicate map keys, found in one pass. The yaml library's own check (`uniqueKeys`) compares
 * each new key with every earlier key of its map: a manifest with 20,000 keys spent seconds
 * there. This check keeps a set per map and reports what yaml would: each later repeat of a
 * scalar key with the same value (identity for other keys), at the repeated key's start.
 */

import type { Document } from 'yaml';
import { isNode, isScalar, visit } from '../util/yaml.js';

/** Source offsets of the keys that repeat an earlier key of the same map. */
export function duplicateKeyOffsets(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key: unknown = pair.key;
        const value = isScalar(key) ? key.value : key;
        // yaml compares with ===, by which NaN never repeats.
        if (typeof value === 'number' && Number.isNaN(value)) continue;
        if (seen.has(value)) {
          const start = isNode(key) ? key.range?.[0] : undefined;
          if (start !== undefined) offsets.push(start);
        } else {
          seen.add(value);
        }
      }
    },
  });
  return offsets;
}
