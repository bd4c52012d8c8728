/** Test helpers: fixture paths, throwaway projects, and positions of text in a file. */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/errors.js';
import { loadManifests } from '../../src/manifest/index.js';
import { makeConfig } from './config.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** A project in a temp folder with these files (path -> content). Remove it with `cleanup`. */
export function makeProject(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hb-manifest-'));
  for (const [rel, content] of Object.entries(files)) writeFile(root, rel, content);
  return root;
}

export function writeFile(root: string, rel: string, content: string | Buffer): string {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

export function cleanup(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** 1-based line and column of the first `needle` (after `after`, when given) in a file. */
export function posOf(file: string, needle: string, after?: string): { line: number; column: number } {
  const text = readFileSync(file, 'utf8');
  const start = after === undefined ? 0 : text.indexOf(after);
  const offset = text.indexOf(needle, Math.max(0, start));
  if (offset < 0 || start < 0) throw new Error(`${needle} not in ${file}`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}

export function at(d: Diagnostic | undefined): { line: number; column: number } | undefined {
  return d?.location ? { line: d.location.line, column: d.location.column } : undefined;
}

export function forFile(diags: Diagnostic[], file: string): Diagnostic[] {
  return diags.filter((d) => d.location?.file === file);
}

/** The diagnostics of one manifest `yaml`, loaded alone (no cache) in a throwaway project. */
export async function diagnosticsOf(yaml: string): Promise<Diagnostic[]> {
  const root = makeProject({ 'v.yaml': yaml });
  try {
    return (await loadManifests([path.join(root, 'v.yaml')], { config: makeConfig(root), manifestsRoot: '.', cache: false })).diagnostics;
  } finally {
    cleanup(root);
  }
}
