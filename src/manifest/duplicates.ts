/**
 * Checks across all manifests of a run: two videos with one id, or writing one output file.
 * They run on every load (cached specs included): they are cheap and depend on the whole set.
 */

import type { Diagnostic, DiagnosticCode } from '../errors.js';
import type { VideoSpec } from '../model/spec.js';
import { localAssets } from '../model/spec.js';
import { writtenFiles } from '../model/outputs.js';
import { diagnosticAt } from './diagnostic.js';
import { rowLocation, rowWhere } from './rows/site.js';
import type { Position } from './source.js';

/** A spec loaded without problems of its own, with where its id and output are written so clashes can point there. */
export interface Loaded {
  spec: VideoSpec;
  /** Where `id:` / `output:` are written; absent when they are derived. */
  idAt?: Position;
  outputAt?: Position;
  /** The manifest's text, for the code frame (only read when there is a duplicate). */
  text: () => string;
}

const START: Position = { line: 1, column: 1 };

function where(l: Loaded, at: Position | undefined): string {
  const row = rowWhere(l.spec, l.text);
  if (row) return row;
  const p = at ?? START;
  return `${l.spec.source}:${p.line}:${p.column}`;
}

/** Paths a video's output must never be, so a build cannot overwrite the project's own files. */
export interface Protected {
  /** Project-relative files a build must never overwrite (manifests, lockfile, config). */
  files: ReadonlySet<string>;
  /** Folders whose contents are the tool's own (`.heygen/`). */
  folders: readonly string[];
}

/** The project files a video reads: its local assets, its template variables' files and its reviewed SRTs. */
function inputFiles(spec: VideoSpec): string[] {
  const files = localAssets(spec).map((a) => a.path);
  for (const f of Object.values(spec.template?.files ?? {})) files.push(f.path);
  for (const t of spec.translations) if (t.review) files.push(t.review.srt);
  return files;
}

/**
 * `loaded` must be in a stable order (by source path). Each clash is reported at both of its videos (the
 * first one once, naming the first that clashes with it): a caller that goes on with the manifests that
 * have no error (watch) then renders neither, rather than one of them over the other's output (which of
 * the two came first by path would decide which video the preview shows under the id).
 */
export function duplicateDiagnostics(loaded: Loaded[], guard: Protected = { files: new Set(), folders: [] }): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const ids = new Map<string, Loaded>();
  const writers = new Map<string, Loaded>();
  // Files builds read must never be replaced by an output: local assets, template variables' files
  // (overwritten, the template video's key changes and it is paid again) and reviewed SRTs (human work).
  const assets = new Set<string>();
  for (const l of loaded) for (const file of inputFiles(l.spec)) assets.add(file);
  const inside = guard.folders.map((f) => `${f}/`);
  // A row's video is reported at its manifest's id:, and its message names the row too.
  const at = (l: Loaded, d: { code: DiagnosticCode; message: string; hint: string }, pos: Position | undefined): Diagnostic => {
    const row = rowLocation(l.spec, l.text);
    if (!row) return diagnosticAt(d, l.spec.source, pos ?? START, l.text());
    return diagnosticAt({ ...d, message: `${where(l, pos)}: ${d.message}` }, row.file, row.at, row.text);
  };
  const report = (l: Loaded, code: DiagnosticCode, message: string, hint: string): void => {
    diags.push(at(l, { code, message, hint }, l.outputAt ?? l.idAt));
  };
  // The first video of a clash, reported once (for the first clash it meets).
  const firsts = new Set<Loaded>();
  const alsoFirst = (first: Loaded, d: { code: DiagnosticCode; message: string; hint: string }, pos: Position | undefined): void => {
    if (firsts.has(first)) return;
    firsts.add(first);
    diags.push(at(first, d, pos));
  };
  for (const l of loaded) {
    const firstId = ids.get(l.spec.id);
    if (firstId) {
      const hint = l.idAt || l.spec.row ? 'give one of them another `id:`' : 'this id comes from the file name: set `id:` in one of them';
      diags.push(at(l, { code: 'E_DUPLICATE_ID', message: `id "${l.spec.id}" is also used by ${where(firstId, firstId.idAt)}`, hint }, l.idAt));
      alsoFirst(firstId, { code: 'E_DUPLICATE_ID', message: `id "${l.spec.id}" is also used by ${where(l, l.idAt)}`, hint }, firstId.idAt);
      continue; // Same id implies same default outputs: already reported.
    }
    ids.set(l.spec.id, l);
    for (const file of writtenFiles(l.spec)) {
      if (guard.files.has(file) || assets.has(file) || guard.folders.includes(file) || inside.some((f) => file.startsWith(f))) {
        report(l, 'E_OUTPUT', `output "${l.spec.output}" would overwrite ${file}, which the project needs`, 'choose an output path of its own, e.g. under out/');
        break;
      }
      const first = writers.get(file);
      if (first && first.spec.id !== l.spec.id) {
        const hint = 'give one of them another `output:` (translations, drafts and captions are written next to it)';
        report(l, 'E_DUPLICATE_OUTPUT', `${file} would be written by this video and by ${where(first, first.outputAt ?? first.idAt)}`, hint);
        alsoFirst(first, { code: 'E_DUPLICATE_OUTPUT', message: `${file} would be written by this video and by ${where(l, l.outputAt ?? l.idAt)}`, hint }, first.outputAt ?? first.idAt);
        break;
      }
      if (!first) writers.set(file, l);
    }
  }
  return diags;
}
