/**
 * Video Agent (v3): `POST /v3/video-agents` opens a session and `GET /v3/video-agents/{session_id}`
 * follows it. A generate session goes `thinking` (no video yet) -> `generating` (its `video_id` named,
 * pollable at `GET /v3/videos/{video_id}`) -> `completed` or `failed`, with the video. The video is an
 * ordinary render job created with the session, so it counts against the concurrency cap from the
 * start, is charged at Video Agent's rate and fails through the `failRender` fault like any render.
 */
import { assertKnownStyle, videoAgentStyleRoutes } from './video-agent-styles.js';
import { assertKnownAssets } from './asset-refs.js';
import { type Ctx, type Route, jsonBody, optString, unixSeconds } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import type { Reply } from './http-util.js';
import type { Job, JobStore } from './jobs.js';
import { assertValid, loadOfficialSchema } from './validate.js';

type Json = Record<string, unknown>;

/** Video Agent's price: 0.0667 credits per second of video (HeyGen's enterprise pricing). */
export const VIDEO_AGENT_RATE = 0.0667;
/** The share of the render's time the agent spends `thinking` before it names the video. */
const THINKING_SHARE = 0.4;
/** The length of a video whose prompt states none. */
const DEFAULT_SECONDS = 45;

/** One session: when it was opened and the render it makes. */
interface Session {
  id: string;
  createdAt: number;
  /** Its render: the session is `thinking` (names no video) for THINKING_SHARE of the render's time. */
  job: Job;
  prompt: string;
}

// One session table per emulator (its job store): tests run several emulators in one process.
const tables = new WeakMap<JobStore, Map<string, Session>>();
function sessions(store: JobStore): Map<string, Session> {
  let t = tables.get(store);
  if (!t) tables.set(store, (t = new Map<string, Session>()));
  return t;
}

const ok = (data: unknown): Reply => ({ status: 200, body: okBody('v3', data) });

/**
 * The length the agent makes: a little over what the prompt asks ("in 30 seconds", "a 2-minute video"),
 * as a real agent rarely lands on it, so that a client's estimate and the real length differ.
 */
export function agentSeconds(prompt: string): number {
  let asked = 0;
  for (const m of prompt.matchAll(/(\d+(?:\.\d+)?)[\s-]*(seconds?|secs?|minutes?|mins?)\b/gi)) {
    const n = Number(m[1]) * ((m[2] ?? '').toLowerCase().startsWith('m') ? 60 : 1);
    asked = Math.max(asked, n);
  }
  return asked > 0 ? Math.round(asked * 1.1 * 10) / 10 : DEFAULT_SECONDS;
}

const KNOWN_FIELDS = new Set(Object.keys((loadOfficialSchema('VideoAgentCreate').RequestSchema?.properties as Json | undefined) ?? {}));
const FILE_FIELDS: Record<string, readonly string[]> = { url: ['type', 'url'], asset_id: ['type', 'asset_id'], base64: ['type', 'media_type', 'data'] };

/**
 * What the schema leaves to prose, plus unknown fields: HeyGen ignores a misspelt field, so a client that
 * sends one has a bug the real API would hide. The emulator says so.
 */
function assertAgentBody(body: Json): void {
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) throw new ApiError(400, 'validation_error', `${key} is not a field of this request`, key);
  }
  const prompt = body.prompt as string;
  if (prompt.length < 1 || prompt.length > 10_000) throw new ApiError(400, 'validation_error', 'prompt must be 1-10000 characters', 'prompt');
  const files = Array.isArray(body.files) ? (body.files as Json[]) : [];
  if (files.length > 20) throw new ApiError(400, 'validation_error', 'files must have at most 20 items', 'files');
  files.forEach((f, i) => {
    const allowed = FILE_FIELDS[String(f.type)] ?? [];
    for (const key of Object.keys(f)) {
      if (!allowed.includes(key)) throw new ApiError(400, 'validation_error', `files[${i}].${key} is not a field of a ${String(f.type)} file`, `files[${i}].${key}`);
    }
  });
  if (body.callback_id != null && body.callback_url == null) {
    throw new ApiError(400, 'validation_error', 'callback_id requires callback_url', 'callback_id');
  }
  if (body.mode === 'chat') throw new ApiError(400, 'validation_error', 'the emulator serves generate sessions only', 'mode');
}

async function createSession(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('VideoAgentCreate', body);
  assertAgentBody(body);
  assertKnownStyle(body.style_id);
  const { assets, store } = ctx.deps;
  assertKnownAssets(body, (id) => assets.byId.has(id));
  const prompt = body.prompt as string;
  const seconds = agentSeconds(prompt);
  const portrait = body.orientation === 'portrait';
  const [job] = store.create([
    {
      kind: 'video',
      api: 'v3',
      body,
      idempotencyKey: ctx.idempotencyKey,
      callbackId: optString(body.callback_id),
      title: prompt.slice(0, 60),
      duration: seconds,
      text: `This is the video Video Agent wrote for: ${prompt.slice(0, 200)}`,
      captions: 'sidecar',
      outputFormat: 'mp4',
      render: { outputFormat: 'mp4', width: portrait ? 720 : 1280, height: portrait ? 1280 : 720, alpha: false, removeBackground: false },
      rate: VIDEO_AGENT_RATE,
    },
  ]);
  const now = Date.now();
  const session: Session = { id: `sess_${job!.id}`, createdAt: now, job: job!, prompt };
  sessions(store).set(session.id, session);
  return ok({ session_id: session.id, status: 'thinking', video_id: null, created_at: unixSeconds(now) });
}

/** The session's status now, from the clock and its render. */
function statusOf(store: JobStore, s: Session, now: number): 'thinking' | 'generating' | 'completed' | 'failed' {
  // From the render's end as it stands: a held render (timing.holdRenders) thinks until released.
  if (now < s.createdAt + (s.job.finishAt - s.createdAt) * THINKING_SHARE) return 'thinking';
  const phase = store.phase(s.job, now);
  return phase === 'completed' ? 'completed' : phase === 'failed' ? 'failed' : 'generating';
}

function getSession(ctx: Ctx): Reply {
  const id = decodeURIComponent(ctx.params[0] ?? '');
  const { store } = ctx.deps;
  const s = sessions(store).get(id);
  if (!s) throw new ApiError(404, 'not_found', `Video agent session ${id} was not found`, 'session_id');
  const now = Date.now();
  const status = statusOf(store, s, now);
  const span = Math.max(1, s.job.finishAt - s.createdAt);
  const progress = status === 'completed' ? 100 : Math.min(99, Math.floor((100 * (now - s.createdAt)) / span));
  const at = unixSeconds(s.createdAt);
  const messages: Json[] = [{ role: 'user', type: 'text', content: s.prompt, created_at: at }];
  if (status !== 'thinking') messages.unshift({ role: 'model', type: 'text', content: 'Storyboard ready: generating the video.', created_at: at });
  if (status === 'failed') messages.unshift({ role: 'model', type: 'error', content: s.job.failure?.message ?? 'Video generation failed', created_at: at });
  return ok({
    session_id: s.id,
    status,
    progress,
    title: s.prompt.slice(0, 60),
    video_id: status === 'thinking' ? null : s.job.id,
    created_at: at,
    messages,
  });
}

/** The Video Agent endpoints the emulator serves. */
export const videoAgentRoutes: Route[] = [
  ...videoAgentStyleRoutes,
  { method: 'POST', pattern: /^\/v3\/video-agents$/, style: 'v3', idempotent: true, handle: createSession },
  { method: 'GET', pattern: /^\/v3\/video-agents\/([^/]+)$/, style: 'v3', handle: getSession },
];
