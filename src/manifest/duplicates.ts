/**
 * Checks across all manifests of a run: two videos with one id, or writing one output file.
 * They run on every load (cached specs included): they are cheap and depend on the whole set.
 */

import type { Diagnostic } from '../errors.js';
import type { VideoSpec } from '../model/spec.js';
import { diagnosticAt } from './diagnostic.js';
import type { Position } from './source.js';

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
  const p = at ?? START;
  return `${l.spec.source}:${p.line}:${p.column}`;
}

/** `loaded` must be in a stable order (by source path): the first one wins, the others are reported. */
export function duplicateDiagnostics(loaded: Loaded[]): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const ids = new Map<string, Loaded>();
  const outputs = new Map<string, Loaded>();
  for (const l of loaded) {
    const firstId = ids.get(l.spec.id);
    if (firstId) {
      diags.push(
        diagnosticAt(
          {
            code: 'E_DUPLICATE_ID',
            message: `id "${l.spec.id}" is also used by ${where(firstId, firstId.idAt)}`,
            hint: l.idAt ? 'give one of them another `id:`' : 'this id comes from the file name: set `id:` in one of them',
          },
          l.spec.source,
          l.idAt ?? START,
          l.text(),
        ),
      );
    } else {
      ids.set(l.spec.id, l);
    }
    const firstOutput = outputs.get(l.spec.output);
    // Same id implies same default output: that is already reported above.
    if (firstOutput && firstOutput.spec.id !== l.spec.id) {
      diags.push(
        diagnosticAt(
          {
            code: 'E_DUPLICATE_OUTPUT',
            message: `output "${l.spec.output}" is also written by ${where(firstOutput, firstOutput.outputAt ?? firstOutput.idAt)}`,
            hint: 'give one of them another `output:`',
          },
          l.spec.source,
          l.outputAt ?? l.idAt ?? START,
          l.text(),
        ),
      );
    } else if (!firstOutput) {
      outputs.set(l.spec.output, l);
    }
  }
  return diags;
}
