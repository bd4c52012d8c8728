/**
 * What a load already holds of a rows manifest's earlier run and data file, handed to the analysis:
 * the data file's bytes as read once (and their sha256), and the cached specs by their cell digest.
 * Kept apart from expand.ts: the warm path uses it without loading what fills and resolves rows.
 */

import type { VideoSpec } from '../../model/spec.js';

/** A data file's bytes and their sha256, read once per load. */
export interface DataBytes {
  /** Project-relative path. */
  file: string;
  bytes: Buffer;
  sha: string;
}

/** Cached specs by their row's cell digest. */
export interface DigestLookup {
  get(digest: string): VideoSpec | undefined;
}

/**
 * The specs by digest, the last one winning as in a map built in order; the map is only built when
 * a row asks (an edit parsed incrementally asks the specs of the records it replaced, not these).
 */
export function digestLookup(specs: readonly VideoSpec[]): DigestLookup {
  let map: Map<string, VideoSpec> | undefined;
  return {
    get(digest: string): VideoSpec | undefined {
      if (!map) {
        map = new Map();
        for (const spec of specs) if (spec.row) map.set(spec.row.digest, spec);
      }
      return map.get(digest);
    },
  };
}
