/**
 * One manifest loaded to its finished spec without a single problem, as a worker thread does it:
 * read by the fast parse, validated, resolved, its local files digested and its spec finished,
 * with the planner's keys computed too. Anything else (a file to report on, a rows manifest, an
 * asset missing or outside) answers undefined and is loaded again on the main thread, which then
 * reports it exactly as it always has.
 */

import { isUtf8 } from 'node:buffer';
import type { VideoSpec } from '../../model/spec.js';
import { analyzeFast, type AnalyzeContext } from '../analyze.js';
import type { AssetStore } from '../assets.js';
import type { PendingAsset } from '../resolve/index.js';
import { finishSpec, type Digest } from '../finish.js';
import { tooLarge } from '../limits.js';
import { usesRows } from '../rows/expand.js';
import type { Position } from '../source.js';
import { decode } from './encoding.js';

/** What the main thread needs of a cleanly loaded manifest (see FileState and collect in warm.ts). */
export interface CleanFile {
  rel: string;
  spec: VideoSpec;
  /** The local files it uses, as analysis.pending lists them (all digested: nothing is left to place). */
  pending: PendingAsset[];
  idAt?: Position;
  outputAt?: Position;
  /** What the derived hook stored for the spec (keys), when the load keeps them. */
  derived?: unknown;
  /** Translation languages it asked about: the main thread checks them against its list. */
  languages?: string[];
}

/** The clean load of one manifest, or undefined when the main thread must load it. */
export async function loadClean(
  rel: string,
  bytes: Buffer,
  defaultId: string,
  ctx: AnalyzeContext,
  store: AssetStore,
  derive?: (spec: VideoSpec) => unknown,
): Promise<Omit<CleanFile, 'languages'> | undefined> {
  // isUtf8 validates without decoding (the text is decoded once, below); a file that is not UTF-8 is reported by check.ts.
  if (tooLarge(bytes.length) || !isUtf8(bytes)) return undefined;
  const text = decode(bytes);
  if (usesRows(text)) return undefined;
  const a = analyzeFast(rel, text, defaultId, ctx);
  if (!a?.spec) return undefined;
  const digests = new Map<string, Digest>();
  for (const p of a.pending) {
    if (store.escapes(p.file)) return undefined;
    const rec = await store.digest(p.file);
    if (!rec) return undefined;
    digests.set(p.file, { sha256: rec.sha256, size: rec.size });
  }
  const spec = finishSpec(a.spec, (file) => digests.get(file)!);
  const out: Omit<CleanFile, 'languages'> = { rel, spec, pending: a.pending };
  if (a.idAt) out.idAt = a.idAt;
  if (a.outputAt) out.outputAt = a.outputAt;
  if (derive) out.derived = derive(spec);
  return out;
}
