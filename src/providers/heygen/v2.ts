/**
 * The legacy adapter (v1/v2 endpoints). No idempotency exists here, so paid POSTs are never
 * repeated after an uncertain failure (http.ts turns that into E_HEYGEN_UNCERTAIN); the
 * `callback_id` we send is what lets a later run recognise its own job.
 */
import { fetchCatalog, fetchCatalogItems } from './catalog.js';
import type { AdapterContext, HeygenClient, ReadOptions, RemoteTranslation, RemoteVideo } from './client.js';
import { HeygenApiError } from './errors.js';
import { toV2GenerateRequest, toV2TranslationRequest } from './map-v2.js';
import { compact, needString, obj, optNumber, optString, stringArray } from './read.js';
import { extractFailure, normalizeTranslationStatus, normalizeVideoStatus } from './status.js';
import { rawFileBody } from './upload.js';

/** HeyGen's v2 quota is in seconds of credit: 60 per credit. */
const QUOTA_PER_CREDIT = 60;

function isNotFound(err: unknown): boolean {
  return err instanceof HeygenApiError && err.httpStatus === 404;
}

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

/** The HeyGen client over the v2 (and v1 upload) endpoints, for accounts that cannot use v3. */
export function createV2Client({ http, baseUrl, uploadBaseUrl }: AdapterContext): HeygenClient {
  const url = (path: string): string => `${baseUrl}${path}`;
  const enc = encodeURIComponent;

  async function getVideo(id: string, signal?: AbortSignal, read: ReadOptions = {}): Promise<RemoteVideo> {
    try {
      const { data } = await http.send({ method: 'GET', url: url(`/v1/video_status.get?video_id=${enc(id)}`), signal, ...read });
      return videoFromV1(id, data);
    } catch (err) {
      if (isNotFound(err)) return { id, status: 'not_found' };
      throw err;
    }
  }

  return {
    api: 'v2',

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

    getVideo,

    async getVideos(ids, signal, read) {
      const out: RemoteVideo[] = [];
      for (const id of ids) out.push(await getVideo(id, signal, read));
      return out;
    },

    async uploadAsset(absPath, mime, signal) {
      const { data } = await http.send({ method: 'POST', url: `${uploadBaseUrl}/v1/asset`, body: () => rawFileBody(absPath, mime), repeatable: true, signal });
      const d = obj(data);
      return compact({ id: needString(d.id, 'asset id'), url: optString(d.url) });
    },

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
