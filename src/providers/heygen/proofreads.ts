/**
 * HeyGen v3 proofreads (`/v3/video-translations/proofreads`): a session transcribes and translates a video
 * into an SRT to review, takes the reviewed SRT back, and renders it (`generate`) as a normal translation.
 * The create and the generate are paid: both carry an Idempotency-Key.
 */
import type { HttpClient } from './http.js';
import { HeygenApiError } from './errors.js';
import { compact, needString, obj, optString, stringArray } from './read.js';
import { extractFailure, normalizeTranslationStatus, type RemoteStatus } from './status.js';
import type { V3AssetInput, V3ProofreadGenerateRequest, V3ProofreadRequest } from './v3-types.js';

/** A proofread session as HeyGen reports it (`processing -> completed | failed`). */
export interface RemoteProofread {
  id: string;
  status: RemoteStatus;
  error?: { code?: string; message: string };
}

/** Presigned, short-lived URLs of a completed session's SRTs: the translated one to edit, and the source's. */
export interface ProofreadSrt {
  srtUrl: string;
  originalSrtUrl?: string;
}

/** The proofread calls of the v3 client (see HeygenClient). */
export interface ProofreadMethods {
  createProofread(body: V3ProofreadRequest, opts: { idempotencyKey: string; signal?: AbortSignal }): Promise<string>;
  getProofread(id: string, signal?: AbortSignal): Promise<RemoteProofread>;
  getProofreadSrt(id: string, signal?: AbortSignal): Promise<ProofreadSrt>;
  putProofreadSrt(id: string, srt: V3AssetInput, signal?: AbortSignal): Promise<void>;
  generateProofread(id: string, body: V3ProofreadGenerateRequest, opts: { idempotencyKey: string; signal?: AbortSignal }): Promise<string>;
}

/** Reads `GET /v3/video-translations/proofreads/{id}` into a RemoteProofread. */
export function proofreadFromV3(id: string, raw: unknown): RemoteProofread {
  const d = obj(raw);
  const status = normalizeTranslationStatus(d.status);
  return compact<RemoteProofread>({
    id: optString(d.id) ?? id,
    status,
    error: status === 'failed' ? (extractFailure(d) ?? { message: 'HeyGen reported the proofread as failed without a reason' }) : undefined,
  });
}

/** The proofread methods over `http`, for the v3 adapter to spread into its client. */
export function proofreadMethods(http: HttpClient, baseUrl: string, checkKey: (k: string) => string): ProofreadMethods {
  const url = (id?: string, tail = ''): string => `${baseUrl}/v3/video-translations/proofreads${id === undefined ? '' : `/${encodeURIComponent(id)}`}${tail}`;
  return {
    async createProofread(body, opts) {
      const { data } = await http.send({ method: 'POST', url: url(), json: body, idempotencyKey: checkKey(opts.idempotencyKey), signal: opts.signal });
      const ids = stringArray(obj(data).proofread_ids, 'proofread_ids');
      if (ids.length !== body.output_languages.length) {
        throw new HeygenApiError('E_HEYGEN_BAD_RESPONSE', `HeyGen answered ${ids.length} proofread ids for ${body.output_languages.length} languages`);
      }
      return ids[0]!;
    },
    async getProofread(id, signal) {
      try {
        const { data } = await http.send({ method: 'GET', url: url(id), signal });
        return proofreadFromV3(id, data);
      } catch (err) {
        if (err instanceof HeygenApiError && err.httpStatus === 404) return { id, status: 'not_found' };
        throw err;
      }
    },
    async getProofreadSrt(id, signal) {
      const { data } = await http.send({ method: 'GET', url: url(id, '/srt'), signal });
      const d = obj(data);
      return compact<ProofreadSrt>({ srtUrl: needString(d.srt_url, 'srt_url'), originalSrtUrl: optString(d.original_srt_url) });
    },
    async putProofreadSrt(id, srt, signal) {
      // Replacing the session's SRT with the same file twice changes nothing: safe to repeat.
      await http.send({ method: 'PUT', url: url(id, '/srt'), json: { srt }, repeatable: true, signal });
    },
    async generateProofread(id, body, opts) {
      const { data } = await http.send({ method: 'POST', url: url(id, '/generate'), json: body, idempotencyKey: checkKey(opts.idempotencyKey), signal: opts.signal });
      return needString(obj(data).video_translation_id, 'video_translation_id');
    },
  };
}
