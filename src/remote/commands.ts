/**
 * `push`, `pull` and `status --remote` as library calls: each reads the config and the lockfile, opens
 * the store, and returns data (the CLI prints it).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { HeygenBuildError } from '../errors.js';
import { readLockfileWithJournal } from '../lockfile/store.js';
import type { ResolvedConfig } from '../model/config.js';
import type { Lockfile } from '../model/lock.js';
import { mapLimit } from '../util/limit.js';
import { pullBlob } from './blobs.js';
import { lockedRenders, type LockedRender } from './from-lock.js';
import { journalPush, pendingPushes } from './journal.js';
import { readClaims, type ClaimRow } from './claims-list.js';
import { blobKey, recordKey } from './layout.js';
import { TransferMeter } from './meter.js';
import { openStore } from './open.js';
import { pushPending } from './push.js';
import type { RecordKind } from './record.js';
import type { RemoteStore } from './store.js';
import { TRANSFER_CONCURRENCY } from './session.js';

/** Where to find the project: the CLI's --cwd and --config. */
export interface RemoteCommandOptions {
  cwd?: string;
  configFile?: string;
  /** Called as bytes move (for a progress line). */
  onProgress?: (m: TransferMeter) => void;
  signal?: AbortSignal;
}

/** The project's config, its store and lockfile, for a command on the store; E_REMOTE_CONFIG without a `remote`. */
export async function open(opts: RemoteCommandOptions): Promise<{ config: ResolvedConfig; store: RemoteStore; renders: LockedRender[]; lock: Lockfile }> {
  const config = await loadConfig({ ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.configFile ? { configFile: opts.configFile } : {}) });
  if (!config.remote) {
    throw new HeygenBuildError('E_REMOTE_CONFIG', `${config.configFile ?? 'heygen.config.ts'}: no remote store is configured`, {
      hint: "add remote: { url: 's3://bucket/prefix' } (or file:///shared/folder) to heygen.config.ts",
    });
  }
  const lock = await readLockfileWithJournal(resolve(config.root, config.lockfile), { displayPath: config.lockfile });
  return { config, store: await openStore(config.remote, config.root), renders: lockedRenders(lock), lock };
}

/** What `push` did. */
export interface PushResult {
  store: string;
  /** Records written now. */
  pushed: number;
  /** Already in the store. */
  present: number;
  /** Files changed since the lockfile recorded them (not pushed). */
  stale: number;
  bytes: number;
  seconds: number;
}

/** Pushes what is pending in the journal, then every completed render of the lockfile the store lacks. */
export async function pushAll(opts: RemoteCommandOptions = {}): Promise<PushResult> {
  const { config, store, renders } = await open(opts);
  const meter = new TransferMeter();
  const result: PushResult = { store: store.display, pushed: 0, present: 0, stale: 0, bytes: 0, seconds: 0 };
  try {
    const pending = await pendingPushes(config.root);
    const seen = new Set(pending.map((p) => p.record.key));
    const todo = [...pending];
    // One listing of records/ rather than a HEAD per render: pages of 1,000 on S3, a readdir on a folder.
    const stored = await listed(store, 'records/', opts.signal);
    for (const r of renders) {
      if (seen.has(r.record.key)) continue;
      if (stored.has(recordKey(r.record.key))) result.present++;
      else todo.push(r);
    }
    await mapLimit(todo, TRANSFER_CONCURRENCY, async (p) => {
      // Journaled first, like a build's push: a killed `push` leaves it for the next one.
      await journalPush(config.root, { record: p.record, files: p.files });
      const outcome = await pushPending(store, config.root, p, meter, opts.signal);
      if (outcome === 'pushed') result.pushed++;
      else result.stale++;
      opts.onProgress?.(meter);
    });
  } finally {
    await store.close();
  }
  return { ...result, bytes: meter.bytes, seconds: meter.seconds() };
}

/** What `pull` did. */
export interface PullResult {
  store: string;
  /** Files downloaded now. */
  pulled: number;
  /** Already on disk with the recorded size. */
  present: number;
  /** Not in the store: `push` from a machine that has them, or build again. */
  missing: string[];
  bytes: number;
  seconds: number;
}

async function onDisk(root: string, path: string, size: number): Promise<boolean> {
  return (await stat(resolve(root, path)).catch(() => undefined))?.size === size;
}

/** Downloads every file the lockfile records and the disk lacks (checked by digest). */
export async function pullAll(opts: RemoteCommandOptions = {}): Promise<PullResult> {
  const { config, store, renders } = await open(opts);
  const meter = new TransferMeter();
  const result: PullResult = { store: store.display, pulled: 0, present: 0, missing: [], bytes: 0, seconds: 0 };
  const files = renders.flatMap((r) => Object.values(r.locals).map((f) => ({ label: r.label, f })));
  try {
    await mapLimit(files, TRANSFER_CONCURRENCY, async ({ label, f }) => {
      if (await onDisk(config.root, f.path, f.size)) {
        result.present++;
        return;
      }
      if (await pullBlob(store, f.sha256, resolve(config.root, f.path), meter.add, opts.signal)) {
        result.pulled++;
        meter.objects++;
      } else result.missing.push(`${label}: ${f.path}`);
      opts.onProgress?.(meter);
    });
  } finally {
    await store.close();
  }
  result.missing.sort();
  return { ...result, bytes: meter.bytes, seconds: meter.seconds() };
}

/** One completed render: where its files are. */
export interface RemoteStatusRow {
  id: string;
  kind: RecordKind;
  key: string;
  /** Every file on disk with its recorded size. */
  local: boolean;
  /** Its record and every blob are in the store. */
  remote: boolean;
}

/** `status --remote`: each completed render of the lockfile, local or remote or missing, with totals. */
export interface RemoteStatus {
  store: string;
  items: RemoteStatusRow[];
  totals: { local: number; remote: number; both: number; localOnly: number; remoteOnly: number; missing: number; pendingPushes: number; claims: number; staleClaims: number };
  /** Claims of keys with no record yet: renders in flight on some machine, or stuck (`stale`). */
  claims: ClaimRow[];
}

/** Every object key under `prefix`, read as one listing (ListObjectsV2 pages, or a directory walk). */
export async function listed(store: RemoteStore, prefix: string, signal?: AbortSignal): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const k of store.list(prefix, signal)) keys.add(k);
  return keys;
}

const KIND_ORDER: Record<RecordKind, number> = { video: 0, translation: 1, proofread: 2, clip: 3 };

/**
 * Compares the lockfile's completed renders with the disk and the store. The store is read as two
 * listings (records/ and cas/sha256/), whatever the number of renders: 1,000 renders with captions
 * took 3,000 HEADs before.
 */
export async function remoteStatus(opts: RemoteCommandOptions = {}): Promise<RemoteStatus> {
  const { config, store, renders, lock } = await open(opts);
  const items: RemoteStatusRow[] = [];
  let claims: ClaimRow[];
  try {
    const [records, blobs, inFlight] = await Promise.all([
      listed(store, 'records/', opts.signal),
      listed(store, 'cas/sha256/', opts.signal),
      readClaims(store, { lock, ...(opts.signal ? { signal: opts.signal } : {}) }),
    ]);
    claims = inFlight;
    await mapLimit(renders, TRANSFER_CONCURRENCY * 2, async (r) => {
      const files = Object.values(r.locals);
      const local = (await Promise.all(files.map((f) => onDisk(config.root, f.path, f.size)))).every(Boolean);
      const remote = records.has(recordKey(r.record.key)) && files.every((f) => blobs.has(blobKey(f.sha256)));
      items.push({ id: r.label, kind: r.record.kind, key: r.record.key, local, remote });
    });
  } finally {
    await store.close();
  }
  items.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id));
  const count = (p: (r: RemoteStatusRow) => boolean): number => items.filter(p).length;
  return {
    store: store.display,
    items,
    totals: {
      local: count((r) => r.local),
      remote: count((r) => r.remote),
      both: count((r) => r.local && r.remote),
      localOnly: count((r) => r.local && !r.remote),
      remoteOnly: count((r) => !r.local && r.remote),
      missing: count((r) => !r.local && !r.remote),
      pendingPushes: (await pendingPushes(config.root)).length,
      claims: claims.length,
      staleClaims: claims.filter((c) => c.state === 'stale').length,
    },
    claims,
  };
}
