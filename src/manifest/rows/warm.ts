/**
 * The rows cache around loading (cache.ts holds the file): which rows manifests are served whole,
 * which reuse some rows, and storing the rows of each valid one for the next run.
 */

import type { ResolvedConfig } from '../../model/config.js';
import type { AssetStore } from '../assets.js';
import type { DerivedHook } from '../cache.js';
import type { FileState } from '../load/state.js';
import { dataBytes, readPriorData, readRowsCache, templateKey, writeRowsCache } from './cache.js';
import { digestLookup } from './lookup.js';

const ROWS = Buffer.from('rows');

/**
 * For each manifest that may have rows: the same template and data bytes serve every row from the
 * cache (`rowsHit`); the same template with other data offers the cached rows for reuse.
 */
export function markRowsHits(states: FileState[], config: ResolvedConfig, store: AssetStore, derived?: DerivedHook, languages?: string): void {
  for (const s of states) {
    if (s.hit || !s.bytes || s.sha256 === undefined || !s.bytes.includes(ROWS)) continue;
    const key = templateKey(config, s.rel, s.sha256, languages);
    s.rowsKey = key;
    const cache = readRowsCache(config.root, s.rel, key, store, derived);
    if (!cache) continue;
    const first = cache.specs[0]?.row;
    const file = first && first.file !== s.rel ? first.file : undefined;
    const current = dataBytes(config.root, file);
    if (cache.complete && (current?.sha ?? '') === cache.data) {
      s.rowSpecs = cache.specs;
      s.rowsHit = true;
      s.rowsData = cache.data;
    } else {
      const data = readPriorData(config.root, s.rel, cache);
      s.rowsPrior = { byDigest: digestLookup(cache.specs), ...(data ? { data } : {}), ...(current ? { current } : {}) };
    }
  }
}

/** Stores the rows of every rows manifest analyzed this run without any problem. */
export async function saveRowsCaches(states: FileState[], root: string, store: AssetStore, derived?: DerivedHook): Promise<void> {
  for (const s of states) {
    if (!s.rows || !s.rowsKey || !s.rowSpecs || s.rowSpecs.length === 0) continue;
    if (s.diagnostics.some((d) => d.severity === 'error')) continue;
    await writeRowsCache(root, s.rel, s.rowsKey, s.rows.dataSha, s.rowSpecs, store, derived, s.rows.csv);
  }
}

/**
 * What the checks across files (duplicate ids and outputs) depend on in a rows manifest loaded
 * without problems: its template's key (manifest bytes, config, schema, the code that fills rows)
 * and its data file's bytes decide every row's id, output and asset paths. Undefined for one with
 * problems or not keyed (then the checks run).
 */
export function rowsCheckId(s: FileState): string | undefined {
  const data = s.rowsHit ? s.rowsData : s.rows?.dataSha;
  if (s.rowsKey === undefined || data === undefined || !s.rowSpecs?.length) return undefined;
  if (s.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return `${s.rowsKey}\0${data}`;
}
