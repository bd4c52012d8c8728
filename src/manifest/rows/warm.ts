/**
 * The rows cache around loading (cache.ts holds the file): which rows manifests are served whole,
 * which reuse some rows, and storing the rows of each valid one for the next run.
 */

import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../../model/config.js';
import { writtenFiles } from '../../model/outputs.js';
import { localAssets, type VideoSpec } from '../../model/spec.js';
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
      if (cache.check !== undefined) checkIds.set(cache.specs, cache.check);
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
    await writeRowsCache(root, s.rel, s.rowsKey, s.rows.dataSha, s.rowSpecs, store, derived, s.rows.csv, checkIds.get(s.rowSpecs));
  }
}

/**
 * What the checks across files (duplicate ids and outputs) depend on in a rows manifest loaded
 * without problems: its template's key, and each row's id, written files and local files, in file
 * order: every path the checks read (writtenFiles, localAssets), so the same id gives the same findings. Not the data file's bytes: a cell that only fills a script or a
 * title (most edits) changes no id or path, and the rows are not checked again (~0.07 s of a
 * one-cell edit of 10,000 rows). Undefined for one with problems or not keyed (then the checks run).
 */
export function rowsCheckId(s: FileState): string | undefined {
  if (s.rowsKey === undefined || !s.rowSpecs?.length) return undefined;
  if (s.diagnostics.some((d) => d.severity === 'error')) return undefined;
  let id = checkIds.get(s.rowSpecs);
  if (id === undefined) {
    id = computeCheckId(s.rowsKey, s.rowSpecs);
    checkIds.set(s.rowSpecs, id);
  }
  return id;
}

/**
 * Check ids known for a list of row specs: computed this run, or (a whole rows hit) read back with
 * the rows it was computed for (the rows cache keeps it), so a warm plan does not walk every row.
 */
const checkIds = new WeakMap<readonly VideoSpec[], string>();

function computeCheckId(rowsKey: string, rowSpecs: readonly VideoSpec[]): string {
  const h = createHash('sha256').update(rowsKey);
  // In file order (a run that reused most rows lists those first), so an unchanged set agrees.
  const line = (x: VideoSpec): number => x.row?.line ?? 0;
  const sorted = rowSpecs.every((x, i) => i === 0 || line(rowSpecs[i - 1]!) <= line(x));
  let text = '';
  for (const spec of sorted ? rowSpecs : [...rowSpecs].sort((a, b) => line(a) - line(b))) {
    text += checkText(spec);
    // Hashed in pieces of ~64 KB: one update per row would cost more than the hashing.
    if (text.length > 65536) {
      h.update(text);
      text = '';
    }
  }
  return h.update(text).digest('hex');
}

/**
 * Per spec object (specs are immutable): after a one-cell edit, the rows this process holds
 * (rows/cache.ts) are the same objects, and only the edited row's text is made.
 */
const checkTexts = new WeakMap<VideoSpec, string>();

/**
 * A row's id, the files it writes and its local files, each with its length (no id or path can be read as
 * two): what the checks read of it, from the functions they read it with (writtenFiles, localAssets).
 */
function checkText(spec: VideoSpec): string {
  let text = checkTexts.get(spec);
  if (text !== undefined) return text;
  const field = (t: string): string => `${t.length}:${t}`;
  text = field(spec.id);
  for (const f of writtenFiles(spec)) text += field(f);
  text += '|';
  for (const a of localAssets(spec)) text += field(a.path);
  text += '\n';
  checkTexts.set(spec, text);
  return text;
}
