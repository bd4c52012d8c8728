/**
 * Video Agent (v3): `POST /v3/video-agents` opens a session that writes and renders one video from a
 * prompt; `GET /v3/video-agents/{session_id}` follows it until it names its video, which is then
 * polled like any other (`GET /v3/videos/{video_id}`).
 */
import type { VideoAgentStyle } from '../../model/catalog.js';
import { listAll } from './catalog.js';
import type { AdapterContext, ClipRequestOptions, ReadOptions, RemoteSession, SessionStatus } from './client-types.js';
import type { V3VideoAgentRequest } from './map-v3-prompt.js';
import { compact, needString, obj, optNumber, optString } from './read.js';
import { extractFailure } from './status.js';

const STATUSES: readonly SessionStatus[] = ['thinking', 'waiting_for_input', 'reviewing', 'generating', 'completed', 'failed'];

/** Reads a session answer (VideoAgentCreate or VideoAgentGet), leniently. */
export function sessionFromV3(raw: unknown): RemoteSession {
  const d = obj(raw);
  const status = STATUSES.find((s) => s === d.status) ?? 'thinking';
  const messages = Array.isArray(d.messages) ? d.messages.map(obj) : [];
  // Newest first (VideoAgentGet): the first error message is the latest.
  const said = messages.find((m) => m.type === 'error');
  const error = status === 'failed' ? (said ? { message: String(said.content) } : (extractFailure(d) ?? { message: 'Video Agent reported the session as failed without a reason' })) : undefined;
  return compact<RemoteSession>({
    sessionId: needString(d.session_id, 'session_id'),
    status,
    videoId: optString(d.video_id),
    progress: optNumber(d.progress),
    error,
  });
}

/** Reads one listed style (VideoAgentStylesList), or undefined for an entry without an id. */
export function styleFromV3(raw: unknown): VideoAgentStyle | undefined {
  const d = obj(raw);
  const id = optString(d.style_id);
  if (!id) return undefined;
  const tags = Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === 'string') : [];
  return compact<VideoAgentStyle>({ id, name: optString(d.name) ?? id, tags, aspectRatio: optString(d.aspect_ratio) });
}

/** The session calls and the style list, for the v3 adapter. */
export function videoAgentCalls(ctx: AdapterContext, checkKey: (key: string) => string) {
  const url = (path: string): string => `${ctx.baseUrl}${path}`;
  return {
    async createVideoAgent(body: V3VideoAgentRequest, opts: ClipRequestOptions): Promise<RemoteSession> {
      const { data } = await ctx.http.send({
        method: 'POST',
        url: url('/v3/video-agents'),
        json: body,
        idempotencyKey: checkKey(opts.idempotencyKey),
        signal: opts.signal,
      });
      return sessionFromV3(data);
    },
    async listVideoAgentStyles(signal?: AbortSignal): Promise<VideoAgentStyle[]> {
      const all = await listAll(ctx.http, url('/v3/video-agents/styles'), { limit: '100' }, signal);
      return all.flatMap((raw) => styleFromV3(raw) ?? []);
    },
    async getVideoAgent(sessionId: string, signal?: AbortSignal, read: ReadOptions = {}): Promise<RemoteSession> {
      const { data } = await ctx.http.send({ method: 'GET', url: url(`/v3/video-agents/${encodeURIComponent(sessionId)}`), signal, ...read });
      return sessionFromV3(data);
    },
  };
}
