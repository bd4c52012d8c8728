/**
 * Rows caches under `gc`: a manifest's cache is its index (`<stem>.json`) and the chunks that index names
 * (`<stem>.<digest>.json`, src/manifest/rows/cache.ts). A chunk no index names (left by a run killed
 * between writing chunks and the index, or by an index replaced since) is never read again: kept by its
 * stem alone, it stayed forever. Such chunks are kept only when their manifest's index names them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A chunk file's name: the manifest's stem (24 hex), the chunk's digest (32 hex). */
const CHUNK = /^[0-9a-f]{24}\.[0-9a-f]{32}\.json$/;

/** Whether `name` (a file of the rows cache folder) is a chunk, kept only when its index names it. */
export function isRowsChunk(name: string): boolean {
  return CHUNK.test(name);
}

/**
 * The chunk files (project-relative POSIX, under `dir`) that the indexes of `stems` name. An index that
 * cannot be read names none: the next plan reads that manifest's rows again and writes its chunks anew.
 */
export async function namedRowsChunks(root: string, dir: string, stems: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const stem of stems) {
    let chunks: unknown;
    try {
      chunks = (JSON.parse(await readFile(join(root, dir, `${stem}.json`), 'utf8')) as { chunks?: unknown }).chunks;
    } catch {
      continue;
    }
    if (!Array.isArray(chunks)) continue;
    for (const c of chunks) {
      const digest: unknown = Array.isArray(c) ? c[0] : undefined;
      if (typeof digest === 'string' && /^[0-9a-f]{32}$/.test(digest)) out.add(`${dir}/${stem}.${digest}.json`);
    }
  }
  return out;
}
