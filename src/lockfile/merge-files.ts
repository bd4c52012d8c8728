/**
 * The file side of lockfile merging: `lock merge` (shards' partial lockfiles into the lockfile) and
 * `lock merge-driver` (git's three versions of the lockfile into one). The joining itself is merge.ts.
 */
import { readFile } from 'node:fs/promises';
import { ERROR_CODES, HeygenBuildError } from '../errors.js';
import { nodeFs, writeFileAtomic, type AtomicFs } from '../fsx/atomic.js';
import { emptyLockfile, type Lockfile } from '../model/lock.js';
import { checkShards } from './merge-check.js';
import { applyPartial, mergeThreeWay } from './merge.js';
import { readLockWithDigest } from './merge-shard.js';
import { parseLockfile } from './parse.js';
import { serializeLockfile } from './serialize.js';

/** A partial lockfile to merge: its absolute path and the name the user gave it. */
export interface PartialFile {
  path: string;
  display: string;
}

/** What `lock merge` did: per partial, how many records it brought and whether they replaced the lockfile's. */
export interface MergeSummary {
  lockfile: string;
  partials: { file: string; videos: number; clips: number; assets: number; supersedes: boolean; shard?: { index: number; count: number } }[];
  /** Videos that now hold alternate records (two renders of one video with different keys). */
  alternates: string[];
  /** What the shard check found and the merge went past: partials too old to check, or (`--force`) its problems. */
  warnings: string[];
}

/**
 * Joins `partials` into the lockfile at `lockPath` and saves it atomically. A partial made from the
 * lockfile's current bytes replaces the entries it changed; any other is joined (see applyPartial).
 * Every input is read and parsed before anything is written, and the one write is the project's atomic
 * one (temp file, fsync, rename): a merge that fails anywhere leaves the lockfile as it was, whole, and
 * no temp file beside it. `fs` is for tests that fail it. Partials that are not the shards of one
 * build, each once (merge-check.ts), are refused with E_LOCK_MERGE_SHARDS unless `force`.
 */
export async function mergePartials(
  lockPath: string,
  lockDisplay: string,
  partials: readonly PartialFile[],
  fs: AtomicFs = nodeFs,
  opts: { force?: boolean } = {},
): Promise<MergeSummary> {
  const { lock, digest } = await readLockWithDigest(lockPath, lockDisplay);
  const parsed: { file: PartialFile; lock: Lockfile }[] = [];
  for (const file of partials) parsed.push({ file, lock: await readPartial(file) });
  const check = checkShards(parsed.map((p) => ({ display: p.file.display, lock: p.lock })));
  if (check.problems.length > 0 && !opts.force) {
    throw new HeygenBuildError('E_LOCK_MERGE_SHARDS', `${lockDisplay} left as it was: these partial lockfiles are not the shards of one build:\n${check.problems.map((m) => `  ${m}`).join('\n')}`, {
      hint: ERROR_CODES.E_LOCK_MERGE_SHARDS,
    });
  }
  let merged = lock;
  const replaced = new Set<string>();
  for (const p of parsed) merged = applyPartial(merged, p.lock, digest, replaced);
  // No partial: nothing to join, and no lockfile made where there was none ("left as it was").
  if (parsed.length > 0) await writeFileAtomic(lockPath, serializeLockfile(merged), fs);
  return {
    lockfile: lockDisplay,
    partials: parsed.map((p) => ({
      file: p.file.display,
      videos: Object.keys(p.lock.videos).length,
      clips: Object.keys(p.lock.clips ?? {}).length,
      assets: Object.keys(p.lock.assets).length,
      supersedes: p.lock.base === digest,
      ...(p.lock.shard ? { shard: { index: p.lock.shard.index, count: p.lock.shard.count } } : {}),
    })),
    alternates: Object.keys(merged.videos).filter((id) => merged.videos[id]!.alternates !== undefined).sort(),
    warnings: [...check.warnings, ...check.problems.map((m) => `merged anyway (--force): ${m}`)],
  };
}

async function readPartial(file: PartialFile): Promise<Lockfile> {
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new HeygenBuildError('E_LOCK_MERGE_INPUT', `cannot read the partial lockfile ${file.display} (${code})`, {
      hint: 'name the files `build --shard` wrote (heygen.lock.shard-<i>-of-<n>.yaml); every shard that ran writes one, also with nothing to build',
    });
  }
  try {
    return parseLockfile(text, file.display);
  } catch (e) {
    // The parser's hint restores a lockfile from git, and a shard's partial is no file git has: it is
    // a CI artifact (cut short in upload or download), or the shard's own run.
    if (!(e instanceof HeygenBuildError) || e.code === 'E_LOCKFILE_NEWER') throw e;
    throw new HeygenBuildError(e.code, e.message, {
      hint:
        `${file.display} is a shard's partial lockfile, which git does not hold: download that shard's artifact again, or rerun that shard ` +
        "(with a remote store it pays for nothing already rendered; without one, HeyGen's Idempotency-Key stops a second charge for 24 hours), then merge again. The lockfile was left as it was",
      ...(e.location ? { location: e.location } : {}),
    });
  }
}

/**
 * git's merge driver: `ours` (%A) becomes the join of `base` (%O), `ours` and `theirs` (%B). An empty
 * `base` is a merge without a common ancestor. Throws (and leaves `ours` as it was) when a side
 * cannot be read: git then reports a conflict as it would without the driver.
 */
export async function runMergeDriver(base: string, ours: string, theirs: string, name = 'heygen.lock.yaml', fs: AtomicFs = nodeFs): Promise<Lockfile> {
  const read = async (path: string, side: string): Promise<Lockfile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      // git always passes three readable temp files: a missing one is a driver line or a manual run gone wrong.
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new HeygenBuildError('E_LOCK_MERGE_INPUT', `merge driver: cannot read the ${side} side's lockfile ${path} (${code})`, {
        hint: "git runs the driver with three files: set it as `git config merge.heygen-lock.driver 'npx heygen-build lock merge-driver %O %A %B %P'`",
      });
    }
    if (text.trim() === '') return emptyLockfile();
    try {
      return parseLockfile(text, `${name} (${side})`);
    } catch (e) {
      // The parser's hint names a file to check out, and a side of a merge is no file in the work tree.
      if (!(e instanceof HeygenBuildError)) throw e;
      throw new HeygenBuildError(e.code, e.message, {
        hint:
          `the ${side} side's lockfile was committed broken, so git leaves ${name} conflicted: resolve it by hand keeping ` +
          `every entry of both sides (then \`heygen-build plan\` checks it), or fix the lockfile on that branch and merge again`,
        ...(e.location ? { location: e.location } : {}),
      });
    }
  };
  const merged = mergeThreeWay(await read(base, 'common ancestor'), await read(ours, 'ours'), await read(theirs, 'theirs'));
  await writeFileAtomic(ours, serializeLockfile(merged), fs);
  return merged;
}
