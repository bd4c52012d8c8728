/**
 * Joining lockfiles: two branches' (the git merge driver), a shard's partial lockfile with the one it
 * started from (`lock merge`, and a shard resuming its own file). Pure: lockfiles in, lockfile out.
 *
 * The rule that makes it safe is that a record of a render is never dropped for lack of a decision.
 * Two records of one video with the same content key are the same render seen twice: the further
 * along wins (completed, then in flight, then failed). Two records with different keys are two
 * renders: both are kept, one as the entry and the other under `alternates`, and the next plan
 * takes the one whose key the manifest has (pickRecord in model/lock.ts). Clips and assets are keyed
 * by content, so they never conflict.
 */
import { canonicalJson } from '../hash/canonical.js';
import type { AssetRecord, ClipLock, LockEntry, Lockfile, LockStatus, TranslationLock } from '../model/lock.js';
import { emptyLockfile } from '../model/lock.js';

/** What entries and translations share: a key, a status, and alternates of their own kind. */
interface Keyed<R> {
  key: string;
  status: LockStatus;
  attempt: number;
  remoteId?: string;
  alternates?: Record<string, R>;
}

const PROGRESS: Record<LockStatus, number> = { failed: 0, pending: 1, submitted: 2, completed: 3 };

/**
 * Of two records of the same render (same key), the one further along: completed, then the later
 * attempt, then in flight over failed, then one that knows its remote id. Ties keep `a`.
 */
function further<R extends Omit<Keyed<R>, 'key'>>(a: R, b: R): R {
  const done = Number(b.status === 'completed') - Number(a.status === 'completed');
  if (done !== 0) return done > 0 ? b : a;
  if (a.attempt !== b.attempt) return b.attempt > a.attempt ? b : a;
  const progress = PROGRESS[b.status] - PROGRESS[a.status];
  if (progress !== 0) return progress > 0 ? b : a;
  return a.remoteId === undefined && b.remoteId !== undefined ? b : a;
}

function withoutAlternates<R extends Keyed<R>>(r: R): R {
  if (r.alternates === undefined) return r;
  const { alternates: _dropped, ...rest } = r;
  return rest as R;
}

/**
 * Every record `a` and `b` hold for one id, flattened and grouped by key; records of one key are
 * joined by `same`. `a`'s entry stays the entry (the plan decides anyway); every other key becomes
 * an alternate. Never loses a key either side had.
 */
function unionKeyed<R extends Keyed<R>>(a: R | undefined, b: R | undefined, same: (x: R, y: R) => R): R | undefined {
  if (!a || !b) return a ?? b;
  const byKey = new Map<string, R>();
  for (const r of [a, ...Object.values(a.alternates ?? {}), b, ...Object.values(b.alternates ?? {})]) {
    const plain = withoutAlternates(r);
    const seen = byKey.get(plain.key);
    byKey.set(plain.key, seen ? same(seen, plain) : plain);
  }
  const primary = byKey.get(a.key)!;
  byKey.delete(a.key);
  if (byKey.size === 0) return primary;
  const keys = [...byKey.keys()].sort();
  return { ...primary, alternates: Object.fromEntries(keys.map((k) => [k, byKey.get(k)!])) };
}

function unionMaps<T>(a: Record<string, T> | undefined, b: Record<string, T> | undefined, join: (x: T | undefined, y: T | undefined) => T | undefined): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    const joined = join(out[k], v);
    if (joined !== undefined) out[k] = joined;
  }
  return out;
}

const unionTranslation = (a: TranslationLock | undefined, b: TranslationLock | undefined): TranslationLock | undefined =>
  unionKeyed(a, b, further);

/** One render seen by both sides: the further record, with the translations of both. */
function sameEntry(a: LockEntry, b: LockEntry): LockEntry {
  return { ...further(a, b), translations: unionMaps(a.translations, b.translations, unionTranslation) };
}

/** Both sides' records of one video (see the module comment). */
export function unionEntry(a: LockEntry | undefined, b: LockEntry | undefined): LockEntry | undefined {
  return unionKeyed(a, b, sameEntry);
}

function unionClip(a: ClipLock | undefined, b: ClipLock | undefined): ClipLock | undefined {
  return a && b ? further(a, b) : (a ?? b);
}

/** An asset's bytes uploaded twice have two remote ids, and either serves: the first side's is kept. */
function unionAsset(a: AssetRecord | undefined, b: AssetRecord | undefined): AssetRecord | undefined {
  return a ?? b;
}

/** Everything either lockfile records, joined entry by entry (a's entries stay primary). */
export function unionLockfiles(a: Readonly<Lockfile>, b: Readonly<Lockfile>): Lockfile {
  const out: Lockfile = {
    version: a.version,
    videos: unionMaps(a.videos, b.videos, unionEntry),
    assets: unionMaps(a.assets, b.assets, unionAsset),
  };
  const clips = unionMaps(a.clips, b.clips, unionClip);
  if (Object.keys(clips).length > 0) out.clips = clips;
  return out;
}

const same = (x: unknown, y: unknown): boolean => canonicalJson(x) === canonicalJson(y);

/**
 * The git merge driver's join: both sides' records, as unionLockfiles, except that an entry one side
 * removed (its manifest was deleted: the build pruned it) while the other left it as the common
 * ancestor had it stays removed. An entry the other side changed is kept: it may be a render.
 */
export function mergeThreeWay(base: Readonly<Lockfile>, ours: Readonly<Lockfile>, theirs: Readonly<Lockfile>): Lockfile {
  const out = unionLockfiles(ours, theirs);
  for (const id of Object.keys(out.videos)) {
    const o = base.videos[id];
    if (o === undefined) continue;
    const a = ours.videos[id];
    const b = theirs.videos[id];
    if ((a === undefined && b !== undefined && same(b, o)) || (b === undefined && a !== undefined && same(a, o))) delete out.videos[id];
  }
  return out;
}

/**
 * Adds a shard's partial lockfile to `lock`, whose bytes have the digest `lockDigest`. A partial made
 * from exactly those bytes holds the shard's newer records, and they replace the entries they came
 * from, as one build's would. A partial made from other bytes (a stale file, a lockfile that moved
 * on since) cannot say which is newer, so its records are joined and the next plan decides.
 * Entries another partial already replaced are joined too: shards never share a video.
 */
export function applyPartial(lock: Lockfile, partial: Readonly<Lockfile>, lockDigest: string, replaced: Set<string> = new Set()): Lockfile {
  const supersedes = partial.base === lockDigest;
  const videos = { ...lock.videos };
  for (const [id, entry] of Object.entries(partial.videos)) {
    const replace = supersedes && !replaced.has(id);
    videos[id] = replace ? entry : unionEntry(videos[id], entry)!;
    if (replace) replaced.add(id);
  }
  const joined = unionLockfiles({ ...lock, videos: {} }, { ...partial, videos: {} });
  const out: Lockfile = { ...joined, version: lock.version, videos };
  if (lock.base !== undefined) out.base = lock.base;
  return out;
}

/**
 * What `state` holds that `base` does not: the entries, clips and assets a shard added or changed,
 * compared by their JSON (`baseJson` is baseJsonOf(base), computed once). A shard never prunes, so
 * nothing is ever missing from `state`.
 */
export function lockDelta(state: Readonly<Lockfile>, baseJson: BaseJson, baseDigest: string): Lockfile {
  const out = emptyLockfile();
  out.base = baseDigest;
  if (state.shard) out.shard = state.shard;
  for (const [id, e] of Object.entries(state.videos)) if (JSON.stringify(e) !== baseJson.videos.get(id)) out.videos[id] = e;
  for (const [k, a] of Object.entries(state.assets)) if (JSON.stringify(a) !== baseJson.assets.get(k)) out.assets[k] = a;
  for (const [k, c] of Object.entries(state.clips ?? {})) {
    if (JSON.stringify(c) !== baseJson.clips.get(k)) (out.clips ??= {})[k] = c;
  }
  return out;
}

/** The JSON of each record of a lockfile, to tell later which ones changed. */
export interface BaseJson {
  videos: Map<string, string>;
  assets: Map<string, string>;
  clips: Map<string, string>;
}

/** See lockDelta. */
export function baseJsonOf(base: Readonly<Lockfile>): BaseJson {
  const json = <T>(rec: Record<string, T> | undefined): Map<string, string> => new Map(Object.entries(rec ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
  return { videos: json(base.videos), assets: json(base.assets), clips: json(base.clips) };
}
