/** Each file not served from the cache: readable, not too large, UTF-8, then analyzed. */

import { analyzeManifest, type AnalyzeContext } from '../analyze.js';
import { diagnosticAt } from '../diagnostic.js';
import { tooLarge } from '../limits.js';
import { decode, firstInvalidUtf8 } from './encoding.js';
import type { FileState } from './state.js';
import { analyzeRows, usesRows } from '../rows/expand.js';

const START = { line: 1, column: 1 };

/**
 * Checks one file not served from the cache (readable, small enough, UTF-8) and analyzes it, recording the outcome on
 * its state.
 */
export function checkFile(s: FileState, ctx: AnalyzeContext, defaultId: string): void {
  if (s.readError !== undefined) {
    s.diagnostics.push(diagnosticAt({ code: 'E_READ', message: `cannot read the manifest (${s.readError})` }, s.rel, START));
    return;
  }
  if (s.hit || s.rowsHit || !s.bytes) return;
  const big = tooLarge(s.bytes.length);
  if (big) {
    s.diagnostics.push(diagnosticAt(big, s.rel, START));
    return;
  }
  const bad = firstInvalidUtf8(s.bytes);
  if (bad !== undefined) {
    const d = {
      code: 'E_ENCODING' as const,
      message: 'the manifest is not valid UTF-8 text',
      hint: 'save the file as UTF-8 (most editors: "Save with encoding" / "Reopen with encoding")',
    };
    s.diagnostics.push(diagnosticAt(d, s.rel, bad, decode(s.bytes)));
    return;
  }
  const text = decode(s.bytes);
  const rows = usesRows(text) ? analyzeRows(s.rel, text, defaultId, ctx, s.rowsPrior) : undefined;
  if (rows) {
    s.rows = rows;
    for (const d of rows.diagnostics) s.diagnostics.push(d);
    return;
  }
  s.analysis = analyzeManifest(s.rel, text, defaultId, ctx);
  // Not push(...list): a cascade's 100,000 diagnostics would overflow the call stack.
  for (const d of s.analysis.diagnostics) s.diagnostics.push(d);
}
