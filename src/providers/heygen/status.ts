/**
 * HeyGen has four status vocabularies (reference §12): v1 video waiting/pending/processing/…,
 * v3 video pending/processing/…, v3 bulk queued/…/not_found, translations pending/running/
 * success|completed|succeeded/failed. We map them onto one. An unknown word is treated as still
 * running: calling a job done or failed on a word we have never seen could lose or re-pay a render.
 */

export type RemoteStatus = 'queued' | 'running' | 'completed' | 'failed' | 'not_found';

const WORDS: Record<string, RemoteStatus> = {
  waiting: 'queued',
  pending: 'queued',
  queued: 'queued',
  processing: 'running',
  running: 'running',
  in_progress: 'running',
  completed: 'completed',
  complete: 'completed',
  success: 'completed',
  succeeded: 'completed',
  failed: 'failed',
  not_found: 'not_found',
};

function normalize(raw: unknown): RemoteStatus {
  if (typeof raw !== 'string') return 'running';
  return WORDS[raw.trim().toLowerCase()] ?? 'running';
}

/** Maps a video status word from any API version onto RemoteStatus; an unknown word counts as still running. */
export function normalizeVideoStatus(raw: unknown): RemoteStatus {
  return normalize(raw);
}

/** Maps a translation status word onto RemoteStatus; an unknown word counts as still running. */
export function normalizeTranslationStatus(raw: unknown): RemoteStatus {
  return normalize(raw);
}

/** Why a HeyGen job failed, as HeyGen reported it. */
export interface RemoteFailure {
  code?: string;
  message: string;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * The failure reason from a status payload, whatever the API:
 * v1 `error{code,message,detail}`, v2/v3 `failure_code`/`failure_message`,
 * translations `message`/`failure_message`, bulk statuses `error{code,message}`.
 */
export function extractFailure(data: unknown): RemoteFailure | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const err = d.error;
  if (typeof err === 'object' && err !== null) {
    const e = err as Record<string, unknown>;
    const message = text(e.message) ?? text(e.msg);
    const detail = text(e.detail);
    const code = text(e.code);
    const full = message && detail && detail !== message ? `${message}: ${detail}` : (message ?? detail);
    if (full || code) return code ? { code, message: full ?? `error ${code}` } : { message: full ?? 'unknown error' };
  }
  if (typeof err === 'string' && err.trim() !== '') return { message: err.trim() };
  const code = text(d.failure_code);
  const message = text(d.failure_message) ?? text(d.message) ?? text(d.msg);
  if (code || message) return code ? { code, message: message ?? `error ${code}` } : { message: message ?? 'unknown error' };
  return undefined;
}
