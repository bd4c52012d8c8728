/** Shared by the rows tests: a small template over `people.csv`, its config, and throwaway projects. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { ROWS_CACHE_DIR, rowsCacheStem } from '../../src/manifest/rows/cache.js';
import { chunkDigest, packChunk, unpackChunk, type CachedRow } from '../../src/manifest/rows/chunks.js';
import type { ResolvedConfig } from '../../src/model/config.js';
import { makeConfig } from './config.js';
import { cleanup, makeProject } from './helpers.js';

/** One video per row of people.csv (columns id, name). */
export const TEMPLATE = `rows: people.csv
id: hi/{{ id }}
avatar: presenter
scenes:
  - script: Hello {{ name }}!
`;

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach(cleanup));

/** A project with these files, removed after the test. */
export function rowsProject(files: Record<string, string | Buffer>): string {
  const root = makeProject(files);
  roots.push(root);
  return root;
}

/** The config the templates use: a `presenter` avatar speaking with the `narrator` voice. */
export function rowsConfig(root: string): ResolvedConfig {
  return makeConfig(root, { avatars: { presenter: { id: 'Daisy-inskirt-20220818', voice: 'narrator' } }, voices: { narrator: { id: 'v1' } } });
}

/** The rows cache's index of the manifest at `rel`, as stored. */
export interface CachedIndex {
  format: string;
  key: string;
  data: string;
  chunks: [string, number][];
  starts?: number[];
}

/** Where a manifest's rows cache lives: its folder, its index file, and a chunk file's path. */
export function rowsCacheFiles(root: string, rel: string): { dir: string; index: string; chunk: (digest: string) => string } {
  const dir = path.join(root, ROWS_CACHE_DIR);
  const stem = rowsCacheStem(rel);
  return { dir, index: path.join(dir, `${stem}.json`), chunk: (digest) => path.join(dir, `${stem}.${digest}.json`) };
}

/** The index of a manifest's rows cache. */
export function readIndex(root: string, rel: string): CachedIndex {
  return JSON.parse(readFileSync(rowsCacheFiles(root, rel).index, 'utf8')) as CachedIndex;
}

/**
 * Rewrites the cached rows of a manifest as a valid cache would hold them (each changed chunk packed,
 * named by its new digest, the index updated): what a test marks there is served only if trusted.
 */
export function rewriteCachedRows(root: string, rel: string, edit: (row: CachedRow, i: number) => CachedRow): void {
  const files = rowsCacheFiles(root, rel);
  const index = readIndex(root, rel);
  let n = 0;
  index.chunks = index.chunks.map(([digest, count]) => {
    const rows = unpackChunk(readFileSync(files.chunk(digest), 'utf8'))!;
    const text = packChunk(rows.map((r) => edit(r, n++)));
    const next = chunkDigest(text);
    writeFileSync(files.chunk(next), text);
    return [next, count];
  });
  writeFileSync(files.index, JSON.stringify(index));
}
