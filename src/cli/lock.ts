/**
 * `heygen-build lock merge` and `heygen-build lock merge-driver`: joining lockfiles written apart
 * (shards of one build, or two git branches). Registered in lock-commands.ts.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { acquireBuildLock } from '../lockfile/buildlock.js';
import { mergePartials, runMergeDriver, type MergeSummary } from '../lockfile/merge-files.js';
import { errorDocument } from '../reporters/error-json.js';
import { EXIT } from './exit.js';
import type { GlobalOptions } from './options.js';
import { versioned } from '../reporters/json-format.js';

/** `lock merge` options: the lockfile to merge into (default: the config's) and JSON output. */
export interface LockMergeFlags extends GlobalOptions {
  into?: string;
  json?: boolean;
  /** Merge partials that are not the shards of one build (each once) anyway. */
  force?: boolean;
}

/** Runs `heygen-build lock merge <files...>`; resolves to the exit code. */
export async function runLockMerge(files: string[], flags: LockMergeFlags): Promise<number> {
  try {
    return await lockMerge(files, flags);
  } catch (e) {
    // A CI step that reads --json gets the error as JSON too (the shape of plan's and gc's), not nothing.
    if (flags.json) process.stdout.write(`${JSON.stringify(errorDocument(e), null, 2)}\n`);
    throw e;
  }
}

async function lockMerge(files: string[], flags: LockMergeFlags): Promise<number> {
  const cwd = resolve(flags.cwd ?? process.cwd());
  const config = await loadConfig({ cwd, ...(flags.config !== undefined ? { configFile: flags.config } : {}) });
  const display = flags.into ?? config.lockfile;
  const lockPath = resolve(flags.into !== undefined ? cwd : config.root, display);
  // Not while a build journals to the same lockfile: its next save would undo the merge.
  const held = await acquireBuildLock(config.root, { command: 'lock merge' });
  let summary: MergeSummary;
  try {
    summary = await mergePartials(lockPath, display, files.map((f) => ({ path: resolve(cwd, f), display: f })), undefined, { force: flags.force === true });
  } finally {
    await held.release();
  }
  if (!flags.json) for (const w of summary.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(flags.json ? `${JSON.stringify(versioned(summary))}\n` : describe(summary));
  return EXIT.OK;
}

function describe(s: MergeSummary): string {
  if (s.partials.length === 0) return `No partial lockfiles given: ${s.lockfile} left as it was.\n`;
  const lines = s.partials.map(
    (p) => `  ${p.file}: ${p.videos} video${p.videos === 1 ? '' : 's'}, ${p.clips} clip${p.clips === 1 ? '' : 's'}, ${p.assets} asset${p.assets === 1 ? '' : 's'}` +
      (p.supersedes ? '' : ` (made from another version of ${s.lockfile}: joined, not replaced)`),
  );
  const alt = s.alternates.length > 0 ? `${s.alternates.length} video(s) hold two renders; the next plan picks by the manifests: ${s.alternates.join(', ')}\n` : '';
  return `Merged ${s.partials.length} partial lockfile${s.partials.length === 1 ? '' : 's'} into ${s.lockfile}:\n${lines.join('\n')}\n${alt}`;
}

/** Runs `heygen-build lock merge-driver %O %A %B [%P]` for git; 0 when merged, 1 to leave git's conflict. */
export async function runLockMergeDriver(base: string, ours: string, theirs: string, name: string | undefined): Promise<number> {
  await runMergeDriver(base, ours, theirs, name);
  return EXIT.OK;
}
