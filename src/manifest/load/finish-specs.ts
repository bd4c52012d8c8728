/**
 * Digests of the files each analyzed manifest uses (once per distinct file, whatever number of
 * manifests share it), then the finished VideoSpec of each manifest whose files all exist.
 */

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
  await mapLimit(states, 16, async (s) => {
    const a = s.analysis;
    if (!a) return;
    let lines: SourceLines | undefined;
    const source = (): SourceLines => (lines ??= new SourceLines(s.bytes ? decode(s.bytes) : ''));
    const digests = new Map<string, Digest>();
    for (const [i, p] of a.pending.entries()) {
      if (store.escapes(p.file)) {
        const issue = {
          code: 'E_PATH_ESCAPE' as const,
          message: `${p.what} "${p.value}" is a link to a file outside the project`,
          hint: 'copy the file into the project instead of linking to it: a build may only read files inside the project',
          path: p.path,
        };
        s.diagnostics.push(a.placePending(i, issue, source()));
        continue;
      }
      const rec = await store.digest(p.file);
      if (rec) digests.set(p.file, { sha256: rec.sha256, size: rec.size });
      else s.diagnostics.push(a.placePending(i, await missingAssetIssue(root, p), source()));
    }
    if (a.spec && !s.diagnostics.some((d) => d.severity === 'error')) {
      s.spec = finishSpec(a.spec, (file) => {
        const d = digests.get(file);
        if (!d) throw new Error(`bug: no digest for ${file}`); // every pending file was digested above
        return d;
      });
    }
  });
}
