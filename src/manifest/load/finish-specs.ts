/**
 * Digests of the files each analyzed manifest uses (once per distinct file, whatever number of
 * manifests share it), then the finished VideoSpec of each manifest whose files all exist. A
 * `rows:` manifest finishes one spec per row the same way.
 */

import type { Diagnostic } from '../../errors.js';
import type { VideoSpec } from '../../model/spec.js';
import type { Analysis } from '../analyze.js';
import type { AssetStore } from '../assets.js';
import { finishSpec, type Digest } from '../finish.js';
import { SourceLines } from '../frame.js';
import { missingAssetIssue } from '../missing.js';
import { mapLimit } from '../../util/limit.js';
import { decode } from './encoding.js';
import type { FileState } from './state.js';

/**
 * Digests the files each analyzed manifest uses and stores its finished spec, or a missing-asset problem, on its
 * state.
 */
export async function finishSpecs(states: FileState[], store: AssetStore, root: string): Promise<void> {
  // Cache hits have nothing to finish: a warm run of 10,000 hits makes no promise for them.
  await mapLimit(states.filter((s) => s.analysis !== undefined || s.rows !== undefined), 16, async (s) => {
    let lines: SourceLines | undefined;
    const source = (): SourceLines => (lines ??= new SourceLines(s.bytes ? decode(s.bytes) : ''));
    // A spec finished already: loaded in one piece (parallel.ts).
    if (s.analysis && !s.spec) {
      const spec = await finishOne(s.analysis, store, root, source, s.diagnostics);
      if (spec && !s.diagnostics.some((d) => d.severity === 'error')) s.spec = spec;
    }
    if (s.rows) {
      const specs: VideoSpec[] = [...s.rows.reused];
      for (const a of s.rows.rows) {
        const spec = await finishOne(a, store, root, source, s.diagnostics);
        if (spec) specs.push(spec);
      }
      s.rowSpecs = specs;
    }
  });
}

/** One analysis's finished spec, or undefined when a file it names is missing or outside (reported in `out`). */
async function finishOne(a: Analysis, store: AssetStore, root: string, source: () => SourceLines, out: Diagnostic[]): Promise<VideoSpec | undefined> {
  const digests = new Map<string, Digest>();
  let ok = true;
  for (const [i, p] of a.pending.entries()) {
    if (store.escapes(p.file)) {
      const issue = {
        code: 'E_PATH_ESCAPE' as const,
        message: `${p.what} "${p.value}" is a link to a file outside the project`,
        hint: 'copy the file into the project instead of linking to it: a build may only read files inside the project',
        path: p.path,
      };
      out.push(a.placePending(i, issue, source()));
      ok = false;
      continue;
    }
    const rec = await store.digest(p.file);
    if (rec) digests.set(p.file, { sha256: rec.sha256, size: rec.size });
    else {
      out.push(a.placePending(i, await missingAssetIssue(root, p), source()));
      ok = false;
    }
  }
  if (!a.spec || !ok) return undefined;
  return finishSpec(a.spec, (file) => {
    const d = digests.get(file);
    if (!d) throw new Error(`bug: no digest for ${file}`); // every pending file was digested above
    return d;
  });
}
