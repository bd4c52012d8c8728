/**
 * One language's HeyGen proofread session, journaled like a render: intent (with its Idempotency-Key) ->
 * POST -> session id -> poll until `completed` or `failed`. A build killed after the POST resends the same
 * key on the next run and HeyGen answers with the same session, so a proofread is paid for once.
 */
import { placeFields } from '../failure.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { idempotencyKey, proofreadKey } from '../../hash/index.js';
import { HeygenBuildError } from '../../errors.js';
import type { ProofreadLock } from '../../model/lock.js';
import type { TranslationSpec, VideoSpec } from '../../model/spec.js';
import type { HeygenClient, RemoteProofread, TranslationSource } from '../../providers/heygen/index.js';
import type { V3ProofreadRequest } from '../../providers/heygen/v3-types.js';
import type { RunContext } from './context.js';
import { Interrupted } from './video.js';
import { claimedId } from './remote-item.js';
import { claimProofread } from './remote-translations.js';

/** The v3 client's proofread calls; a clear error on v2, which has none. */
export function proofreads(ctx: RunContext): Required<Pick<HeygenClient, 'createProofread' | 'getProofread' | 'getProofreadSrt' | 'putProofreadSrt' | 'generateProofread'>> {
  const c = ctx.client;
  if (c.api !== 'v3' || !c.createProofread || !c.getProofread || !c.getProofreadSrt || !c.putProofreadSrt || !c.generateProofread) {
    throw new HeygenBuildError('E_UNSUPPORTED', 'reviewed translations (review:) need HeyGen API v3 proofreads', {
      hint: "remove heygen.api (v3 is the default), or set heygen: { api: 'v3' }",
    });
  }
  return { createProofread: c.createProofread, getProofread: c.getProofread, getProofreadSrt: c.getProofreadSrt, putProofreadSrt: c.putProofreadSrt, generateProofread: c.generateProofread };
}

/** `videos/tour.yaml:12:5: ` for the manifest's translation entry, so a failure points at what to change. */
export function entryPlace(spec: VideoSpec, t: TranslationSpec): string {
  return t.at ? `${spec.source}:${t.at.line}:${t.at.column}: ` : `${spec.source}: `;
}

/** The same place as a `failed` event's `file`, `line` and `column` (none when the entry's line is not known). */
export function entryFields(spec: VideoSpec, t: TranslationSpec): ReturnType<typeof placeFields> {
  return placeFields(t.at ? { file: spec.source, line: t.at.line, column: t.at.column } : undefined);
}

/** What a session is created from: the video, and optionally the SRT it starts with (an uploaded asset id). */
export interface SessionInput {
  source: string | TranslationSource;
  seedAssetId?: string;
  /** sha256 of the seed SRT: part of the session's key. */
  seed?: string;
}

function createBody(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, name: string, input: SessionInput): V3ProofreadRequest {
  const src = input.source;
  return {
    video: typeof src === 'string' ? { type: 'url', url: src } : 'url' in src ? { type: 'url', url: src.url } : { type: 'asset_id', asset_id: src.assetId },
    output_languages: [name],
    title: `${spec.id} ${t.language}`,
    mode: t.mode,
    ...(input.seedAssetId ? { srt: { type: 'asset_id' as const, asset_id: input.seedAssetId } } : {}),
    ...(t.options ?? {}),
  };
}

/**
 * Makes sure a session with this key exists and is recorded with its id: resumes a recorded one, resends
 * an unanswered intent under its key, or records a new intent and creates it. Returns the session's record.
 */
export async function ensureSession(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, itemId: string, sourceKey: string, input: () => Promise<SessionInput>, seed?: string): Promise<ProofreadLock> {
  const api = proofreads(ctx);
  const key = proofreadKey(sourceKey, t, seed);
  const rec = (): ProofreadLock | undefined => ctx.store.lock.videos[spec.id]?.proofreads?.[t.language];
  const before = rec();
  if (before?.key === key && before.status !== 'failed' && before.remoteId) return before;
  if (ctx.stopped()) throw new Interrupted();
  const resumed = before?.key === key && before.status === 'pending';
  const name = ctx.languageNames.get(t.language) ?? before?.language ?? t.language;
  const made = await input();
  if (ctx.stopped()) throw new Interrupted();
  if (!resumed) {
    // A failed session retried gets a new key: HeyGen replays a key's first answer, failures included.
    const attempt = before?.key === key ? before.attempt + 1 : 1;
    await ctx.store.update((l) => {
      const e = l.videos[spec.id]!;
      e.proofreads = { ...e.proofreads, [t.language]: { key, language: name, status: 'pending', idempotencyKey: idempotencyKey(key, attempt), attempt } };
    });
  }
  // Another machine may be paying for this session right now: its claim says so, and its session is adopted.
  if (ctx.remote && (await claimProofread(ctx, spec, t, itemId, resumed))) return rec()!;
  const sent = rec()!;
  ctx.emit({ type: 'status', id: itemId, state: 'submitting', detail: 'proofread' });
  // No abort signal: once sent, the POST finishes so its id is recorded.
  const id = await api.createProofread(createBody(ctx, spec, t, sent.language, made), { idempotencyKey: sent.idempotencyKey! });
  await ctx.store.update((l) => {
    const p = l.videos[spec.id]!.proofreads![t.language]!;
    p.status = 'submitted';
    p.remoteId = id;
  });
  ctx.emit({ type: 'submitted', id: itemId, remoteId: id, replayed: resumed });
  if (ctx.remote) await claimedId(ctx, key, id);
  return rec()!;
}

/** Polls the session until it ends, backing off like the render poller (config `heygen.poll`). */
export async function waitSession(ctx: RunContext, id: string): Promise<RemoteProofread> {
  const { minMs, maxMs, timeoutMs } = ctx.config.heygen.poll;
  const api = proofreads(ctx);
  const started = Date.now();
  for (let wait = minMs; ; wait = Math.min(maxMs, Math.round(wait * 1.5))) {
    const p = await api.getProofread(id, ctx.soft);
    if (p.status === 'completed' || p.status === 'failed') return p;
    if (p.status === 'not_found') return { id, status: 'failed', error: { message: `HeyGen has no proofread ${id} (sessions expire after about 24 h)` } };
    if (Date.now() - started > timeoutMs) throw new HeygenBuildError('E_POLL_TIMEOUT', `proofread ${id} did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(wait, undefined, { signal: ctx.soft });
  }
}

/** Records a session's end; a failure is reported at the manifest's translation entry, in HeyGen's words. */
export async function settleSession(ctx: RunContext, spec: VideoSpec, t: TranslationSpec, itemId: string, remote: RemoteProofread): Promise<boolean> {
  const failed = remote.status === 'failed';
  await ctx.store.update((l) => {
    const p = l.videos[spec.id]!.proofreads![t.language]!;
    p.status = failed ? 'failed' : 'completed';
    if (failed) p.error = remote.error ?? { message: 'HeyGen reported the proofread as failed without a reason' };
    else delete p.error;
  });
  if (failed) {
    ctx.failed();
    const message = remote.error?.message ?? 'HeyGen reported the proofread as failed without a reason';
    ctx.emit({ type: 'failed', id: itemId, code: 'E_PROOFREAD_FAILED', message: `${entryPlace(spec, t)}translations: ${t.language}: proofread failed: ${message}`, ...entryFields(spec, t) });
  }
  return !failed;
}
