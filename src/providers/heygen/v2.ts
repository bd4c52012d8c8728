/**
 * The legacy adapter (v1/v2 endpoints). No idempotency exists here, so paid POSTs are never
 * repeated after an uncertain failure (http.ts turns that into E_HEYGEN_UNCERTAIN); the
 * `callback_id` we send is what lets a later run recognise its own job.
 */
import { fetchCatalog, fetchCatalogItems } from './catalog.js';
import type { AdapterContext, HeygenClient, ReadOptions, RemoteTranslation, RemoteVideo } from './client-types.js';
import { HeygenApiError } from './errors.js';
import { isNotFound, urlIn } from './endpoint.js';
import { toV2GenerateRequest, toV2TranslationRequest } from './map-v2.js';
import { compact, needString, obj, optNumber, optString, stringArray } from './read.js';
import { extractFailure, normalizeTranslationStatus, normalizeVideoStatus } from './status.js';
import { rawFileBody } from './upload.js';

/** HeyGen's v2 quota is in seconds of credit: 60 per credit. */
const QUOTA_PER_CREDIT = 60;

/** A v1 `video_status.get` payload. */
export function videoFromV1(id: string, raw: unknown): RemoteVideo {
  const d = obj(raw);
  const status = normalizeVideoStatus(d.status);
  return compact<RemoteVideo>({
    id: optString(d.id) ?? id,
    status,
    videoUrl: optString(d.video_url),
    captionUrl: optString(d.caption_url),
    captionedVideoUrl: optString(d.video_url_caption),
    duration: optNumber(d.duration),
    callbackId: optString(d.callback_id),
    error: status === 'failed' ? (extractFailure(d) ?? { message: 'HeyGen reported the render as failed without a reason' }) : undefined,
  });
}

/** A v2 `video_translate/{id}` payload. */
export function translationFromV2(id: string, raw: unknown): RemoteTranslation {
  const d = obj(raw);
  const status = normalizeTranslationStatus(d.status);
  return compact<RemoteTranslation>({
    id: optString(d.video_translate_id) ?? id,
    status,
    videoUrl: optString(d.url),
    language: optString(d.output_language),
    error: status === 'failed' ? (extractFailure(d) ?? { message: 'HeyGen reported the translation as failed without a reason' }) : undefined,
  });
}

const enc = encodeURIComponent;

/** The paid POSTs that make a video: a whole video only (scene clips and narration are v3's). */
function renderCalls(ctx: AdapterContext): Pick<HeygenClient, 'createVideo' | 'createClip' | 'createSpeech'> {
  const { http } = ctx;
  const url = urlIn(ctx);
  return {
    async createVideo(spec, opts) {
      const body = toV2GenerateRequest(spec, { assetId: opts.assetId, callbackId: opts.callbackId, title: opts.title });
      // No Idempotency-Key: v2 ignores it, and sending one would make http.ts think a retry is safe.
      const { data } = await http.send({ method: 'POST', url: url('/v2/video/generate'), json: body, signal: opts.signal });
      return { id: needString(obj(data).video_id, 'video_id') };
    },

    createClip() {
      return Promise.reject(legacyOnly('scene clips'));
    },

    createSpeech() {
      return Promise.reject(legacyOnly('text to speech'));
    },
  };
}

/** One video's status, with its URLs; `not_found` when HeyGen has no such video. */
async function getVideo(ctx: AdapterContext, id: string, signal?: AbortSignal, read: ReadOptions = {}): Promise<RemoteVideo> {
  try {
    const { data } = await ctx.http.send({ method: 'GET', url: `${ctx.baseUrl}/v1/video_status.get?video_id=${enc(id)}`, signal, ...read });
    return videoFromV1(id, data);
  } catch (err) {
    if (isNotFound(err)) return { id, status: 'not_found' };
    throw err;
  }
}

/** The statuses of `ids`, in their order: one request each (v1 has no bulk endpoint). */
async function getVideos(ctx: AdapterContext, ids: string[], signal?: AbortSignal, read?: ReadOptions): Promise<RemoteVideo[]> {
  const out: RemoteVideo[] = [];
  for (const id of ids) out.push(await getVideo(ctx, id, signal, read));
  return out;
}

/** Uploads a file as an asset through v1's raw-body `POST /v1/asset`. */
function uploadCall({ http, uploadBaseUrl }: AdapterContext): Pick<HeygenClient, 'uploadAsset'> {
  return {
    async uploadAsset(absPath, mime, signal) {
      const { data } = await http.send({ method: 'POST', url: `${uploadBaseUrl}/v1/asset`, body: () => rawFileBody(absPath, mime), repeatable: true, signal });
      const d = obj(data);
      return compact({ id: needString(d.id, 'asset id'), url: optString(d.url) });
    },
  };
}

/** Translations: one paid POST per language (from a URL only), their statuses. */
function translationCalls(ctx: AdapterContext): Pick<HeygenClient, 'createTranslations' | 'getTranslation'> {
  const { http } = ctx;
  const url = urlIn(ctx);
  return {
    async createTranslations(source, languages, opts) {
      const videoUrl = typeof source === 'string' ? source : 'url' in source ? source.url : undefined;
      if (videoUrl === undefined) throw legacyOnly('translating an uploaded asset');
      const ids: string[] = [];
      for (const language of languages) {
        // The last moment to stop: a build stopped meanwhile (Ctrl-C, --fail-fast) sends no more languages.
        if (opts.stopped?.()) break;
        const body = toV2TranslationRequest(videoUrl, language, opts);
        const { data } = await http.send({ method: 'POST', url: url('/v2/video_translate'), json: body, signal: opts.signal });
        const id = needString(obj(data).video_translate_id, 'video_translate_id');
        ids.push(id);
        await opts.onCreated?.(language, id);
      }
      return ids;
    },

    async getTranslation(id, signal, read) {
      try {
        const { data } = await http.send({ method: 'GET', url: url(`/v2/video_translate/${enc(id)}`), signal, ...read });
        return translationFromV2(id, data);
      } catch (err) {
        if (isNotFound(err)) return { id, status: 'not_found' };
        throw err;
      }
    },
  };
}

/** What the account offers and has left: avatars and voices, languages, credits (quota in seconds). */
function accountCalls(ctx: AdapterContext): Pick<HeygenClient, 'listCatalog' | 'lookupCatalog' | 'listLanguages' | 'remainingCredits'> {
  const { http, baseUrl } = ctx;
  const url = urlIn(ctx);
  return {
    listCatalog(signal) {
      return fetchCatalog(http, baseUrl, Date.now(), signal);
    },

    lookupCatalog(ids, signal) {
      return fetchCatalogItems(http, baseUrl, ids, Date.now(), signal);
    },

    async listLanguages(signal) {
      const { data } = await http.send({ method: 'GET', url: url('/v2/video_translate/target_languages'), signal });
      return stringArray(obj(data).languages, 'languages');
    },

    async remainingCredits(signal) {
      const { data } = await http.send({ method: 'GET', url: url('/v2/user/remaining_quota'), signal });
      const quota = optNumber(obj(data).remaining_quota);
      return quota === undefined ? undefined : quota / QUOTA_PER_CREDIT;
    },
  };
}

/** The HeyGen client over the v2 (and v1 upload) endpoints, for accounts that cannot use v3. */
export function createV2Client(adapter: AdapterContext): HeygenClient {
  const { http } = adapter;
  return {
    api: 'v2',
    ...renderCalls(adapter),
    getVideo: (id, signal, read) => getVideo(adapter, id, signal, read),
    getVideos: (ids, signal, read) => getVideos(adapter, ids, signal, read),
    ...uploadCall(adapter),
    ...translationCalls(adapter),
    ...accountCalls(adapter),

    requestCount: () => http.requestCount,
    close: () => http.close(),
  };
}

/** What only v3 can do: the legacy v2 adapter renders whole videos from URLs. */
function legacyOnly(what: string): HeygenApiError {
  return new HeygenApiError('E_UNSUPPORTED', `${what} needs HeyGen's v3 API; heygen.api is 'v2' (legacy, ended 2026-10-31)`, {
    hint: "remove heygen.api from heygen.config.ts (v3 is the default)",
  });
}
