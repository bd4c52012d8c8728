/**
 * A prompt video through its life: the same journal, poll and download as any whole-video render
 * (video.ts), with a Video Agent session as the paid request. The session id is journaled the moment
 * HeyGen answers, so a build killed while the agent thinks follows that session on the next run
 * instead of opening a second one; the video id is journaled once the agent names it.
 */
import { HeygenBuildError } from '../../errors.js';
import type { PlanItem } from '../../model/plan.js';
import type { VideoSpec } from '../../model/spec.js';
import { HeygenApiError } from '../../providers/heygen/errors.js';
import { toV3VideoAgentRequest } from '../../providers/heygen/map-v3-prompt.js';
import type { RemoteSession } from '../../providers/heygen/client-types.js';
import { videoParts } from '../../hash/index.js';
import type { RunContext } from './context.js';
import { Poller, type Pollable } from './poller.js';
import { POLL_READ } from './outage.js';
import { runVideo } from './video.js';

/** Renders (or resumes, or restores) one prompt video. Returns false when it failed (already reported). */
export async function runPromptVideo(ctx: RunContext, spec: VideoSpec, item: PlanItem): Promise<boolean> {
  const create = ctx.client.createVideoAgent?.bind(ctx.client);
  if (item.action !== 'download' && !create) {
    // The checks stop a build before this (E_UNSUPPORTED on API v2); reaching here means they were skipped.
    throw new HeygenBuildError('E_UNSUPPORTED', `${spec.id}: prompt videos are written by Video Agent, which only HeyGen v3 serves`);
  }
  const ok = await runVideo(ctx, spec, item, videoParts(spec), async (idempotencyKey, assetId) => {
    let sessionId = ctx.store.lock.videos[spec.id]?.sessionId;
    if (sessionId === undefined) {
      // No abort signal: once sent, the POST may finish so that its session is recorded.
      const opened = await create!(toV3VideoAgentRequest(spec, assetId), { idempotencyKey });
      sessionId = opened.sessionId;
      await ctx.store.update((l) => {
        l.videos[spec.id]!.sessionId = opened.sessionId;
      });
    }
    return { id: await videoOfSession(ctx, spec.id, sessionId) };
  });
  if (ok) await recordLength(ctx, spec.id);
  return ok;
}

/**
 * The real length, for the plan to show next to the estimate. Bulk statuses carry no duration, so a
 * render polled through them is asked once more (a free GET), unless the length is already recorded.
 */
async function recordLength(ctx: RunContext, id: string): Promise<void> {
  const entry = ctx.store.lock.videos[id];
  if (!entry?.remoteId || entry.durationSeconds !== undefined) return;
  const video = await ctx.client.getVideo(entry.remoteId, ctx.soft).catch(() => undefined);
  // Best effort: without it the plan shows the estimate alone.
  if (video?.duration === undefined) return;
  await ctx.store.update((l) => {
    const e = l.videos[id];
    if (e) e.durationSeconds = video.duration;
  });
}

/** A session as the poller sees it: done once it names its video (or fails). */
interface SessionPoll extends Pollable {
  session: RemoteSession;
}

/**
 * A session HeyGen no longer has (404: deleted in the app, or expired) can name no video any more: it
 * ends like a failed one, so the next build opens a new session (and its plan prices it as a retry)
 * instead of following a session that will never answer.
 */
function forgotten(e: unknown, sessionId: string): RemoteSession {
  if (!(e instanceof HeygenApiError && e.httpStatus === 404)) throw e;
  return { sessionId, status: 'failed', error: { message: `HeyGen no longer has Video Agent session ${sessionId} (404)` } };
}

/**
 * Follows a session until the agent names the video it renders. A failed session is journaled as a
 * failed render (the next plan retries it as a new attempt) and reported as one.
 */
async function videoOfSession(ctx: RunContext, videoId: string, sessionId: string): Promise<string> {
  const get = ctx.client.getVideoAgent?.bind(ctx.client);
  if (!get) throw new HeygenBuildError('E_UNSUPPORTED', `${videoId}: Video Agent sessions are followed through HeyGen v3 only`);
  let shown = '';
  const sessions = new Poller<SessionPoll>(
    (ids, signal) =>
      Promise.all(
        ids.map(async (id) => {
          const session = await get(id, signal, POLL_READ).catch((e: unknown) => forgotten(e, id));
          const detail = `Video Agent ${session.status}${session.progress !== undefined ? ` ${session.progress}%` : ''} (session ${id})`;
          if (detail !== shown) ctx.emit({ type: 'status', id: videoId, state: 'rendering', detail: (shown = detail) });
          const done = session.videoId !== undefined || session.status === 'completed';
          return { id, status: session.status === 'failed' ? 'failed' : done ? 'completed' : 'running', session };
        }),
      ),
    { ...ctx.config.heygen.poll, batch: 1, signal: ctx.soft, outage: ctx.pollOutage },
  );
  const { session } = await sessions.wait(sessionId);
  if (session.videoId !== undefined && session.status !== 'failed') return session.videoId;
  const error = session.error ?? { message: `Video Agent session ${sessionId} ended without a video` };
  await ctx.store.update((l) => {
    const e = l.videos[videoId]!;
    e.status = 'failed';
    e.error = error;
  });
  throw new HeygenBuildError('E_RENDER_FAILED', `${videoId}: Video Agent failed: ${error.message}`, {
    hint: 'read the reason, change the prompt or its files if it names them, and build again: the next build opens a new session',
  });
}
