/**
 * Scene clips and videos (composed, or rendered whole: v3, templates, prompts, v2) on the store's one
 * path (remote-item.ts): what a record of each becomes locally, and how a held claim is adopted.
 */
import { resolve } from 'node:path';
import type { ClipLock, LockEntry } from '../../model/lock.js';
import { captionsPath } from '../../model/outputs.js';
import type { PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import { clipRender, videoRender } from '../../remote/from-lock.js';
import { placeRoles } from '../../remote/roles.js';
import { clipPath, readyClip, type ClipJob, type ReadyClip } from './clip-job.js';
import type { RunContext } from './context.js';
import { parseSrt } from './cues.js';
import { claimBeforePay, FROM_STORE, fromStore, pushRender, type Adopted, type StoreItem } from './remote-item.js';

export { FROM_STORE } from './remote-item.js';

/**
 * Each video's and clip's lockfile entry as it was when the store was asked for it, just before this
 * build journals its intent (the intent replaces the entry): an intent the budget then refuses, before
 * anything is claimed or sent, is put back to it (`withdraw`), as clips.ts does for a prepared POST.
 */
type Prior = { entry: LockEntry | ClipLock | undefined };
const priors = new WeakMap<RunContext, Map<string, Prior>>();

function remember(ctx: RunContext, at: string, entry: LockEntry | ClipLock | undefined): void {
  let m = priors.get(ctx);
  if (!m) priors.set(ctx, (m = new Map<string, Prior>()));
  m.set(at, { entry });
}

/** Puts back what `remember` kept at `at` into the lockfile's table `table`; nothing when nothing was kept. */
function withdrawer(ctx: RunContext, at: string, table: 'videos' | 'clips', id: string): () => Promise<void> {
  return async () => {
    const prior = priors.get(ctx)?.get(at);
    if (!prior) return;
    await ctx.store.update((l) => {
      const t = (table === 'clips' ? (l.clips ??= {}) : l.videos) as Record<string, LockEntry | ClipLock>;
      if (prior.entry) t[id] = prior.entry;
      else delete t[id];
    });
  };
}

/** A clip as the store sees it (exported for test/remote/roles.test.ts). */
export function clipItem(ctx: RunContext, job: ClipJob): StoreItem {
  return {
    key: job.key,
    label: job.label,
    kind: 'clip',
    place: (rec) => placeRoles(rec, 'clip', { video: clipPath(`${job.key}.${rec.files.video?.ext ?? 'mp4'}`), captions: clipPath(`${job.key}.srt`) }),
    journal: (rec, files) => (l) => {
      const prev = l.clips?.[job.key];
      const c: ClipLock = { kind: rec.clipKind ?? job.clip.kind, status: 'completed', attempt: prev?.attempt ?? 1, file: files.video! };
      if (prev?.idempotencyKey) c.idempotencyKey = prev.idempotencyKey;
      if (rec.remoteId) c.remoteId = rec.remoteId;
      if (files.captions) c.captions = files.captions;
      if (rec.durationSeconds !== undefined) c.durationSeconds = rec.durationSeconds;
      (l.clips ??= {})[job.key] = c;
    },
  };
}

async function readyFromLock(ctx: RunContext, job: ClipJob): Promise<ReadyClip> {
  const c = ctx.store.lock.clips![job.key]!;
  const captions = c.captions ? await parseSrt(resolve(ctx.config.root, c.captions.path)) : undefined;
  return readyClip(job, resolve(ctx.config.root, c.file!.path), captions, c.durationSeconds);
}

/** The clip of `job` from its remote record, journaled as completed; undefined when the store has none. */
export async function clipFromRemote(ctx: RunContext, job: ClipJob): Promise<ReadyClip | undefined> {
  remember(ctx, `clip:${job.key}`, ctx.store.lock.clips?.[job.key]);
  if (!(await fromStore(ctx, clipItem(ctx, job)))) return undefined;
  return readyFromLock(ctx, job);
}

/** Pushes a completed clip (journaled first; sent in the background). */
export async function pushClip(ctx: RunContext, key: string): Promise<void> {
  const clip = ctx.store.lock.clips?.[key];
  if (clip) await pushRender(ctx, clipRender(key, clip));
}

/** Pushes a completed video's output and captions under its content key (any API, template or prompt). */
export async function pushVideo(ctx: RunContext, id: string): Promise<void> {
  const e = ctx.store.lock.videos[id];
  if (e) await pushRender(ctx, videoRender(id, e));
}

/** A video as the store sees it (exported for test/remote/roles.test.ts). */
export function videoItem(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, composed: boolean): StoreItem {
  return {
    key: item.key!,
    label: spec.id,
    kind: 'video',
    place: (rec) => placeRoles(rec, 'video', { video: spec.output, ...(spec.caption !== 'none' ? { captions: captionsPath(spec.output) } : {}) }),
    journal: (rec, files) => (l) => {
      const old = l.videos[spec.id];
      const same = old !== undefined && old.key === item.key;
      const e: LockEntry =
        item.action === 'download' && same
          ? { ...old }
          : { key: item.key!, parts, status: 'completed', api: rec.api, attempt: same ? old.attempt : 1, translations: old?.translations ?? {} };
      e.status = 'completed';
      e.output = files.video!;
      if (files.captions) e.captions = files.captions;
      if (rec.remoteId) e.remoteId = rec.remoteId;
      if (rec.durationSeconds !== undefined) e.durationSeconds = rec.durationSeconds;
      if (composed || rec.composed) e.composed = true;
      delete e.error;
      l.videos[spec.id] = e;
    },
  };
}

/**
 * A video's output from the store, pay nothing: for a restore (the lock's digests), or for a new or
 * changed key that some machine already rendered (its record). Not for a deliberate re-render
 * (`--replace`, also of an edited video). True when the output is in place.
 */
export async function videoFromRemote(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, composed: boolean): Promise<boolean> {
  // --replace promises a render with HeyGen: nothing of it comes from the store.
  if (!ctx.remote || !item.key || item.replace) return false;
  const prev = ctx.store.lock.videos[spec.id];
  remember(ctx, `video:${spec.id}`, prev);
  let known;
  if (item.action === 'download') {
    known = prev ? videoRender(spec.id, prev)?.record : undefined;
    if (!known) return false;
  } else if (prev?.key === item.key && prev.status === 'completed') return false;
  const files = await fromStore(ctx, videoItem(ctx, spec, item, parts, composed), known);
  if (!files?.video) return false;
  ctx.emit({ type: 'downloaded', id: spec.id, path: files.video.path, size: files.video.size, sha256: files.video.sha256 });
  ctx.emit({ type: 'status', id: spec.id, state: 'done', detail: FROM_STORE });
  return true;
}

/** Ends a video restored from the store while its claim was awaited (counted as restored). */
export function restoredFromStore(ctx: RunContext, id: string): true {
  ctx.emit({ type: 'status', id, state: 'done', detail: FROM_STORE });
  return true;
}

/** How a claim before a whole video's POST ended: restored from a record, adopted (id journaled), or ours to send. */
export type VideoClaim = 'restored' | 'adopted' | undefined;

/**
 * Before a whole video's paid POST (v3, template, prompt, v2): claims its key. An adopted id is
 * journaled as submitted (the caller polls it); an adopted Idempotency-Key is journaled as the intent's
 * (the caller sends it). `own`: the intent was journaled by an earlier run of this build.
 */
export async function claimVideo(ctx: RunContext, spec: VideoSpec, item: PlanItem, parts: Record<string, string>, own: boolean): Promise<VideoClaim> {
  const e = ctx.store.lock.videos[spec.id]!;
  const adopt = (job: Adopted): Promise<void> =>
    ctx.store.update((l) => {
      const x = l.videos[spec.id]!;
      x.idempotencyKey = job.idempotencyKey;
      x.attempt = job.attempt;
      if (job.remoteId) {
        x.status = 'submitted';
        x.remoteId = job.remoteId;
      }
    });
  const r = await claimBeforePay(ctx, { ...videoItem(ctx, spec, item, parts, false), idempotencyKey: e.idempotencyKey!, attempt: e.attempt, own, adopt, resend: true, fresh: item.replace === true, withdraw: withdrawer(ctx, `video:${spec.id}`, 'videos', spec.id) });
  if (!r) return undefined;
  if ('restored' in r) {
    const out = r.restored.video!;
    ctx.emit({ type: 'downloaded', id: spec.id, path: out.path, size: out.size, sha256: out.sha256 });
    return 'restored';
  }
  return 'remoteId' in r ? 'adopted' : undefined;
}

/**
 * Before a clip's paid POST: claims its key (see claimBeforePay). Undefined: this build submits (with
 * its own Idempotency-Key, or the holder's when the holder never learned an id: journaled here).
 */
export async function adoptClaim(
  ctx: RunContext,
  job: ClipJob,
  idem: { key: string; attempt: number; own: boolean },
): Promise<{ remoteId: string } | { ready: ReadyClip } | { idempotencyKey: string } | undefined> {
  const adopt = (j: Adopted): Promise<void> =>
    ctx.store.update((l) => {
      const c = l.clips![job.key]!;
      c.idempotencyKey = j.idempotencyKey;
      c.attempt = j.attempt;
      if (j.remoteId) {
        c.status = 'submitted';
        c.remoteId = j.remoteId;
      }
    });
  const r = await claimBeforePay(ctx, { ...clipItem(ctx, job), idempotencyKey: idem.key, attempt: idem.attempt, own: idem.own, adopt, resend: true, fresh: job.fresh === true, withdraw: withdrawer(ctx, `clip:${job.key}`, 'clips', job.key) });
  if (!r || 'withdrawn' in r) return undefined;
  if ('restored' in r) return { ready: await readyFromLock(ctx, job) };
  return r;
}
