/** `heygen-build gc`: frees `.heygen/` of drafts, clips and caches nothing asks for any more. Spends nothing. */
import { gc, GC_GRACE_MS } from '../api/gc.js';
import { AREAS } from '../gc/keep.js';
import type { GcFile, GcResult } from '../gc/sweep.js';
import { errorDocument } from '../reporters/error-json.js';
import { formatBytes } from '../reporters/units.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';

/** The flags of `gc`. */
export interface GcFlags extends GlobalOptions {
  dryRun?: boolean;
  olderThan?: number;
  json?: boolean;
}

/** Runs `gc`; resolves to the exit code. */
export async function runGc(flags: GcFlags): Promise<number> {
  let r: Awaited<ReturnType<typeof gc>>;
  try {
    r = await gc({
      cwd: flags.cwd ?? process.cwd(),
      ...(flags.config ? { configFile: flags.config } : {}),
      dryRun: flags.dryRun ?? false,
      olderThanMs: flags.olderThan ?? GC_GRACE_MS,
    });
  } catch (e) {
    if (flags.json) process.stdout.write(`${JSON.stringify(errorDocument(e), null, 2)}\n`);
    throw e;
  }
  if (r.warning) process.stderr.write(`warning: ${r.warning}\n`);
  if (flags.json) {
    const doc = { format_version: 1, dry_run: r.dryRun, removed: r.removed, bytes: r.bytes, recent: { files: r.recent, bytes: r.recentBytes } };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else process.stdout.write(formatGc(r, r.dryRun, flags.olderThan === undefined));
  return EXIT.OK;
}

/**
 * The human report. A dry run lists every file it would remove with its size (what `gc` then removes,
 * file for file); a run, one line per area with something removed. Then the total, and what was kept.
 */
export function formatGc(r: GcResult, dryRun: boolean, defaultGrace: boolean): string {
  const lines = dryRun ? fileLines(r.removed) : areaLines(r.removed);
  const n = r.removed.length;
  const total = `${n} file${n === 1 ? '' : 's'} (${formatBytes(r.bytes)})`;
  if (n > 0 || r.recent === 0) lines.push(n === 0 ? 'nothing to remove: everything under .heygen/ is still wanted' : dryRun ? `would remove ${total}; run without --dry-run to remove them` : `removed ${total}`);
  if (r.recent > 0) {
    const why = defaultGrace ? 'changed in the last 2 minutes (a draft build may be writing them); --older-than 0 removes them too' : 'changed within --older-than';
    lines.push(`kept ${r.recent} unreferenced file${r.recent === 1 ? '' : 's'} (${formatBytes(r.recentBytes)}) ${why}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Each file, its size right-aligned after the longest path. */
function fileLines(files: readonly GcFile[]): string[] {
  const width = Math.max(0, ...files.map((f) => f.path.length));
  const sizes = files.map((f) => formatBytes(f.bytes));
  const sizeWidth = Math.max(0, ...sizes.map((z) => z.length));
  return files.map((f, i) => `  ${f.path.padEnd(width)}  ${sizes[i]!.padStart(sizeWidth)}`);
}

/** One line per area with files in it, in AREAS order, then the stale temps. */
function areaLines(files: readonly GcFile[]): string[] {
  const lines: string[] = [];
  for (const area of [...AREAS, 'temp'] as const) {
    const of = files.filter((f) => f.area === area);
    if (of.length === 0) continue;
    const bytes = of.reduce((n, f) => n + f.bytes, 0);
    const label = area === 'temp' ? 'stale temp files' : `.heygen/${area}`;
    lines.push(`  ${label.padEnd(21)} ${String(of.length).padStart(6)} file${of.length === 1 ? ' ' : 's'}  ${formatBytes(bytes)}`);
  }
  return lines;
}
