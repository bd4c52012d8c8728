/**
 * The remote store in a HeyGen build: before paying for a key, its record (found -> restore the files,
 * pay nothing); before the paid POST, its claim (held -> adopt the holder's job); after a render, push
 * its files and record. Each is a no-op without a `remote` in the config.
 */
import type { ClipLock, FileRecord, LockEntry } from '../../model/lock.js';
import { captionsPath } from '../../model/outputs.js';
import type { PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import { lockedRenders } from '../../remote/from-lock.js';
import type { RemoteRecord } from '../../remote/record.js';
import { clipPath, readyClip, type ClipJob, type ReadyClip } from './clips.js';
import type { RunContext } from './context.js';
import { parseSrt } from './cues.js';
import { resolve } from 'node:path';

/** The detail of a `done` status for an output taken from the store (counted as restored, not rendered). */
export const FROM_STORE = 'from the remote store';

/** Restores every file of `rec` to the paths given by role. Undefined when any is missing from the store. */
async function restoreFiles(ctx: RunContext, rec: RemoteRecord, paths: Record<string, string>): Promise<Record<string, FileRecord> | undefined> {
  const out: Record<string, FileRecord> = {};
  for (const [role, path] of Object.entries(paths)) {
    const f = rec.files[role];
    if (!f) continue;
    if (!(await ctx.remote!.restore(f.sha256, path, ctx.soft))) return undefined;
    out[role] = { path, sha256: f.sha256, size: f.size };
  }
  return out;
}

/** The clip of `job` from its remote record, journaled as completed; undefined when the store has none. */
export async function clipFromRemote(ctx: RunContext, job: ClipJob, prev: ClipLock | undefined): Promise<ReadyClip | undefined> {
  if (!ctx.remote) return undefined;
  const rec = await ctx.remote.lookup(job.key, ctx.soft);
  if (rec?.kind !== 'clip' || !rec.files.video) return undefined;
  ctx.emit({ type: 'status', id: job.label, state: 'downloading', detail: 'from the remote store' });
  const paths: Record<string, string> = { video: clipPath(`${job.key}.${rec.files.video.ext}`) };
  if (rec.files.captions) paths.captions = clipPath(`${job.key}.srt`);
  const files = await restoreFiles(ctx, rec, paths);
  if (!files?.video) return undefined;
  await ctx.store.update((l) => {
    const c: ClipLock = { kind: rec.clipKind ?? job.clip.kind, status: 'completed', attempt: prev?.attempt ?? 1, file: files.video! };
    if (prev?.idempotencyKey) c.idempotencyKey = prev.idempotencyKey;
    if (rec.remoteId) c.remoteId = rec.remoteId;
    if (files.captions) c.captions = files.captions;
    if (rec.durationSeconds !== undefined) c.durationSeconds = rec.durationSeconds;
    (l.clips ??= {})[job.key] = c;
  });
  const captions = files.captions ? await parseSrt(resolve(ctx.config.root, files.captions.path)) : undefined;
  return readyClip(job, resolve(ctx.config.root, files.video.path), captions, rec.durationSeconds);
}

/** Pushes a completed clip (journaled first; sent in the background). */
export async function pushClip(ctx: RunContext, key: string): Promise<void> {
  if (!ctx.remote) return;
  const clip = ctx.store.lock.clips?.[key];
  if (!clip) return;
  const r = lockedRenders({ version: 0, videos: {}, assets: {}, clips: { [key]: clip } })[0];
  if (r) await ctx.remote.push(r);
}

/** Pushes a completed video's output and captions under its content key. */
export async function pushVideo(ctx: RunContext, id: string): Promise<void> {
  if (!ctx.remote) return;
  const e = ctx.store.lock.videos[id];
  if (!e) return;
  const r = lockedRenders({ version: 0, videos: { [id]: e }, assets: {} })[0];
  if (r) await ctx.remote.push(r);
}

/**
 * A video's output from the store, pay nothing: for a restore (the lock's digests), or for a new or
 * changed key that some machine already rendered (its record). Not for a deliberate re-render
 * (`--replace`: the lock already holds this key completed). True when the output is in place.
 */
export async function videoFromRemote(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, composed: boolean): Promise<boolean> {
  if (!ctx.remote || !item.key) return false;
  const prev = ctx.store.lock.videos[spec.id];
  let rec: RemoteRecord | undefined;
  if (item.action === 'download') {
    if (prev?.status !== 'completed' || !prev.output) return false;
    rec = lockedRenders({ version: 0, videos: { [spec.id]: prev }, assets: {} })[0]?.record;
  } else {
    if (prev?.key === item.key && prev.status === 'completed') return false;
    rec = await ctx.remote.lookup(item.key, ctx.soft);
  }
  if (rec?.kind !== 'video' || !rec.files.video) return false;
  const paths: Record<string, string> = { video: spec.output };
  if (rec.files.captions && spec.caption !== 'none') paths.captions = captionsPath(spec.output);
  ctx.emit({ type: 'status', id: spec.id, state: 'downloading', detail: 'from the remote store' });
  const files = await restoreFiles(ctx, rec, paths);
  if (!files?.video) return false;
  await ctx.store.update((l) => {
    const old = l.videos[spec.id];
    const e: LockEntry =
      item.action === 'download' && old
        ? { ...old }
        : { key: item.key!, parts, status: 'completed', api: rec.api, attempt: 1, translations: old?.translations ?? {} };
    e.output = files.video!;
    if (files.captions) e.captions = files.captions;
    if (rec.remoteId) e.remoteId = rec.remoteId;
    if (rec.durationSeconds !== undefined) e.durationSeconds = rec.durationSeconds;
    if (composed || rec.composed) e.composed = true;
    l.videos[spec.id] = e;
  });
  ctx.emit({ type: 'downloaded', id: spec.id, path: files.video.path, size: files.video.size, sha256: files.video.sha256 });
  ctx.emit({ type: 'status', id: spec.id, state: 'done', detail: FROM_STORE });
  return true;
}

/**
 * Before a clip's paid POST: claims its key. When another machine holds the claim, the holder's job is
 * adopted: its remote id is journaled as ours (the caller then polls it), or, when the holder's record
 * appeared meanwhile, the clip is restored from it. Undefined: this build submits (with `idem`, or with
 * the holder's Idempotency-Key when it never learned an id, so HeyGen replays rather than renders twice).
 */
export async function adoptClaim(
  ctx: RunContext,
  job: ClipJob,
  idem: { key: string; attempt: number; own: boolean },
): Promise<{ remoteId: string } | { ready: ReadyClip } | { idempotencyKey: string } | undefined> {
  if (!ctx.remote) return undefined;
  const poll = ctx.config.heygen.poll;
  const held = await ctx.remote.claim(job.key, { idempotencyKey: idem.key, attempt: idem.attempt }, idem.own, {
    everyMs: poll.minMs,
    forMs: Math.min(poll.timeoutMs, 10 * 60_000),
    signal: ctx.soft,
  });
  if (!held) return undefined;
  if (held.recorded) {
    const ready = await clipFromRemote(ctx, job, ctx.store.lock.clips?.[job.key]);
    if (ready) return { ready };
  }
  const remoteId = held.claim.remoteId;
  if (!remoteId) {
    ctx.emit({ type: 'warning', message: `${job.label}: ${held.claim.job} claimed this clip but recorded no HeyGen id; submitting with its Idempotency-Key, which HeyGen answers with its job if it was sent` });
    await ctx.store.update((l) => {
      const c = l.clips![job.key]!;
      c.idempotencyKey = held.claim.idempotencyKey;
      c.attempt = held.claim.attempt;
    });
    return { idempotencyKey: held.claim.idempotencyKey };
  }
  await ctx.store.update((l) => {
    const c = l.clips![job.key]!;
    c.status = 'submitted';
    c.remoteId = remoteId;
    c.idempotencyKey = held.claim.idempotencyKey;
    c.attempt = held.claim.attempt;
  });
  ctx.emit({ type: 'warning', message: `${job.label}: adopting ${held.claim.job}'s render ${remoteId} (claimed ${held.claim.at}); not submitting again` });
  return { remoteId };
}
