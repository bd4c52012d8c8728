/**
 * A shard's journal (`build --shard i/n`). The shard reads the lockfile as it was committed, plans
 * and journals against it in memory, but writes only what it changed, to its own partial lockfile
 * (`heygen.lock.shard-<i>-of-<n>.yaml` by default): N shards never write one file, a killed shard
 * resumes from its own file, and `lock merge` joins the partials into the lockfile afterwards.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HeygenBuildError } from '../errors.js';
import { sha256Hex } from '../hash/canonical.js';
import { sweepDir } from '../fsx/sweep.js';
import { emptyLockfile, type Lockfile, type ShardStamp } from '../model/lock.js';
import type { Shard } from '../model/plan.js';
import { applyPartial, baseJsonOf, lockDelta } from './merge.js';
import { parseLockfile } from './parse.js';
import { LockStore, readLockfile } from './store.js';


/** The default partial lockfile beside the lockfile: `heygen.lock.yaml` -> `heygen.lock.shard-1-of-4.yaml`. */
export function partialLockPath(lockfile: string, shard: Shard): string {
  const name = basename(lockfile);
  const stem = name.replace(/\.ya?ml$/, '');
  const file = `${stem}.shard-${shard.index}-of-${shard.count}.yaml`;
  return dirname(lockfile) === '.' ? file : join(dirname(lockfile), file);
}

/** A lockfile's parsed state and the sha256 of its bytes (of no bytes when it is missing). */
export async function readLockWithDigest(absPath: string, displayPath: string): Promise<{ lock: Lockfile; digest: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { lock: emptyLockfile(), digest: sha256Hex('') };
    throw new HeygenBuildError('E_LOCKFILE_UNREADABLE', `cannot read the lockfile ${displayPath} (${code ?? String(e)})`, { hint: 'check the file permissions' });
  }
  return { lock: parseLockfile(bytes.toString('utf8'), displayPath), digest: sha256Hex(bytes) };
}

/**
 * Opens a shard's journal: the lockfile (`lockPath`), joined with what this shard's partial file
 * (`outPath`) already holds from a killed run, saved to `outPath` as the changes alone. With such a
 * partial, `base` is the lockfile as committed (what the other shards read: see plan/shard.ts).
 */
export async function openShardStore(lockPath: string, outPath: string, display: { lock: string; out: string }): Promise<{ store: LockStore; base?: Lockfile }> {
  const { lock: base, digest } = await readLockWithDigest(lockPath, display.lock);
  const earlier = await readLockfile(outPath, { displayPath: display.out });
  const baseJson = baseJsonOf(base);
  const resumed = Object.keys(earlier.videos).length > 0 || Object.keys(earlier.clips ?? {}).length > 0 || Object.keys(earlier.assets).length > 0;
  const state = applyPartial(resumed ? structuredClone(base) : base, earlier, digest);
  await sweepDir(dirname(outPath));
  return { store: new LockStore(outPath, state, undefined, (s) => lockDelta(s, baseJson, digest)), ...(resumed ? { base } : {}) };
}

/**
 * Stamps a shard's journal with what it was dealt from (`shard:` in its partial lockfile), saving it at
 * once: every shard that ran leaves a partial, so `lock merge` can tell a missing shard from an idle one.
 * A no-op for a state without a journal (drafts).
 */
export async function stampShard(state: object, stamp: ShardStamp): Promise<void> {
  // A HeyGen build's state carries its journal; other providers' have none.
  const store = 'store' in state && state.store instanceof LockStore ? state.store : undefined;
  await store?.update((l) => {
    l.shard = stamp;
  });
}
