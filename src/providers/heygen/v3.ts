/** The v3 adapter (`/v3/...`): Idempotency-Key on every paid POST, bulk statuses, one call for all translations. */
import { fetchCatalog, fetchCatalogItems } from './catalog.js';
import type { AdapterContext, HeygenClient, ReadOptions, RemoteSpeech, RemoteTranslation, RemoteVideo } from './client-types.js';
import { HeygenApiError } from './errors.js';
import { isNotFound, urlIn } from './endpoint.js';
import { toV3TranslationRequest, toV3VideoRequest } from './map-v3.js';
import { compact, needString, obj, optNumber, optString, stringArray } from './read.js';
import { extractFailure, normalizeTranslationStatus, normalizeVideoStatus } from './status.js';
import { multipartFileBody } from './upload.js';
import { directUpload, MULTIPART_LIMIT } from './direct-upload.js';
import { stat } from 'node:fs/promises';
import { videoAgentCalls } from './video-agent.js';
import { proofreadMethods } from './proofreads.js';

/** `/v3/videos/statuses` takes at most 100 ids per call. */
const STATUS_CHUNK = 100;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:.-]{1,255}$/;

function checkKey(key: string): string {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HeygenApiError('E_INTERNAL', `invalid Idempotency-Key ${JSON.stringify(key)} (1-255 chars of A-Z a-z 0-9 _ : . -)`);
  }
  return key;
}

/** Reads a v3 video status answer into a RemoteVideo, tolerating missing optional fields. */
export function videoFromV3(id: string, raw: unknown): RemoteVideo {
  const d = obj(raw);
  const status = normalizeVideoStatus(d.status);
  return compact<RemoteVideo>({
    id: optString(d.id) ?? optString(d.video_id) ?? id,
    status,
    videoUrl: optString(d.video_url),
    captionUrl: optString(d.subtitle_url),
    captionedVideoUrl: optString(d.captioned_video_url),
    duration: optNumber(d.duration),
    callbackId: optString(d.callback_id),
    error: status === 'failed' ? (extractFailure(d) ?? { message: 'HeyGen reported the render as failed without a reason' }) : undefined,
    createdAt: unixMs(d.created_at),
  });
}

/** A Unix time in seconds as ms; undefined when absent or not a number. */
function unixMs(v: unknown): number | undefined {
  const n = optNumber(v);
  return n === undefined ? undefined : n * 1000;
}

/** Reads a v3 translation status answer into a RemoteTranslation, tolerating missing optional fields. */
export function translationFromV3(id: string, raw: unknown): RemoteTranslation {
  const d = obj(raw);
  const status = normalizeTranslationStatus(d.status);
  return compact<RemoteTranslation>({
    id: optString(d.id) ?? id,
    status,
    videoUrl: optString(d.video_url),
    captionUrl: optString(d.srt_caption_url) ?? optString(d.vtt_caption_url),
    language: optString(d.output_language),
    error: status === 'failed' ? (extractFailure(d) ?? { message: 'HeyGen reported the translation as failed without a reason' }) : undefined,
  });
}

/** Reads a v3 speech answer: the audio URL (required), its duration and its word timings. */
export function speechFromV3(raw: unknown): RemoteSpeech {
  const d = obj(raw);
  const words = Array.isArray(d.word_timestamps) ? d.word_timestamps : [];
  return {
    audioUrl: needString(d.audio_url, 'audio_url'),
    duration: optNumber(d.duration) ?? 0,
    words: words.flatMap((w) => {
      const o = obj(w);
      const word = optString(o.word);
      const start = optNumber(o.start);
      const end = optNumber(o.end);
      return word !== undefined && start !== undefined && end !== undefined ? [{ word, start, end }] : [];
    }),
  };
}

/** Credits from /v3/users/me, whatever the billing type; undefined for a wallet kept in dollars. */
export function creditsFromV3User(raw: unknown): number | undefined {
  const d = obj(raw);
  const usage = optNumber(obj(d.usage_based).remaining_credits);
  const credits = obj(obj(d.subscription).credits);
  const premium = optNumber(obj(credits.premium_credits).remaining);
  const addOn = optNumber(obj(credits.add_on_credits).remaining);
  const subscription = premium === undefined && addOn === undefined ? undefined : (premium ?? 0) + (addOn ?? 0);
  const wallet = obj(d.wallet);
  const walletCredits = wallet.currency === 'credits' ? optNumber(wallet.remaining_balance) : undefined;
  if (d.billing_type === 'usage_based') return usage;
  if (d.billing_type === 'subscription') return subscription;
  if (d.billing_type === 'wallet') return walletCredits;
  return usage ?? subscription ?? walletCredits;
}

const enc = encodeURIComponent;

/** The paid POSTs that make a video: a whole video, a scene clip, a scene's narration. */
function renderCalls(ctx: AdapterContext): Pick<HeygenClient, 'createVideo' | 'createClip' | 'createSpeech'> {
  const { http } = ctx;
  const url = urlIn(ctx);
  return {
    async createVideo(spec, opts) {
      const body = toV3VideoRequest(spec, { assetId: opts.assetId, callbackId: opts.callbackId, title: opts.title });
      const { data } = await http.send({ method: 'POST', url: url('/v3/videos'), json: body, idempotencyKey: checkKey(opts.idempotencyKey), signal: opts.signal });
      return { id: needString(obj(data).video_id, 'video_id') };
    },

    async createClip(body, opts) {
      const { data } = await http.send({ method: 'POST', url: url('/v3/videos'), json: body, idempotencyKey: checkKey(opts.idempotencyKey), signal: opts.signal });
      return { id: needString(obj(data).video_id, 'video_id') };
    },

    async createSpeech(body, opts) {
      const { data } = await http.send({ method: 'POST', url: url('/v3/voices/speech'), json: body, idempotencyKey: checkKey(opts.idempotencyKey), signal: opts.signal });
      return speechFromV3(data);
    },
  };
}

/** One video's status, with its URLs; `not_found` when HeyGen has no such video. */
async function getVideo(ctx: AdapterContext, id: string, signal?: AbortSignal, read: ReadOptions = {}): Promise<RemoteVideo> {
  try {
    const { data } = await ctx.http.send({ method: 'GET', url: `${ctx.baseUrl}/v3/videos/${enc(id)}`, signal, ...read });
    return videoFromV3(id, data);
  } catch (err) {
    if (isNotFound(err)) return { id, status: 'not_found' };
    throw err;
  }
}

/** One chunk of ≤100 ids, following `next_token` if HeyGen pages the answer. */
async function statuses(ctx: AdapterContext, ids: string[], signal?: AbortSignal, read: ReadOptions = {}): Promise<Map<string, RemoteVideo>> {
  const found = new Map<string, RemoteVideo>();
  let token: string | undefined;
  do {
    const query = `video_ids=${ids.map(enc).join(',')}${token ? `&token=${enc(token)}` : ''}`;
    const { data, body } = await ctx.http.send({ method: 'GET', url: `${ctx.baseUrl}/v3/videos/statuses?${query}`, signal, ...read });
    for (const item of Array.isArray(data) ? data : []) {
      const d = obj(item);
      const id = optString(d.video_id);
      if (id === undefined) continue;
      const status = normalizeVideoStatus(d.status);
      found.set(id, compact<RemoteVideo>({ id, status, error: status === 'failed' ? (extractFailure(d) ?? { message: 'failed' }) : undefined }));
    }
    const page = obj(body);
    token = page.has_more === true ? optString(page.next_token) : undefined;
  } while (token !== undefined);
  return found;
}

/** The statuses of `ids`, in their order: in bulk, 100 ids a call. */
async function getVideos(ctx: AdapterContext, ids: string[], signal?: AbortSignal, read?: ReadOptions): Promise<RemoteVideo[]> {
  const unique = [...new Set(ids)];
  // One id: GET /v3/videos/{id} is one request too, and its answer carries the URLs the bulk one
  // lacks, so a finished job (the last of a build, alone in flight) downloads without another round trip.
  if (unique.length === 1) {
    const only = await getVideo(ctx, unique[0]!, signal, read);
    return ids.map(() => only);
  }
  const found = new Map<string, RemoteVideo>();
  try {
    for (let i = 0; i < unique.length; i += STATUS_CHUNK) {
      for (const [id, v] of await statuses(ctx, unique.slice(i, i + STATUS_CHUNK), signal, read)) found.set(id, v);
    }
  } catch (err) {
    // A server without the bulk endpoint (an older gateway, an emulator): ask one by one below.
    if (!isNotFound(err)) throw err;
  }
  // An id the bulk answer left out is asked for alone: guessing "not found" could mean paying twice.
  for (const id of unique) if (!found.has(id)) found.set(id, await getVideo(ctx, id, signal, read));
  return ids.map((id) => found.get(id) as RemoteVideo);
}

/** Uploads a file as an asset: through `POST /v3/assets`, or a direct upload above its size limit. */
function uploadCall({ http, baseUrl, directUploadAbove }: AdapterContext): Pick<HeygenClient, 'uploadAsset'> {
  const directAbove = directUploadAbove ?? MULTIPART_LIMIT;
  return {
    async uploadAsset(absPath, mime, signal) {
      if ((await stat(absPath)).size > directAbove) return directUpload(http, baseUrl, absPath, mime, signal);
      // Repeatable: a duplicate upload costs nothing, and a lost answer would otherwise fail the build.
      const { data } = await http.send({ method: 'POST', url: `${baseUrl}/v3/assets`, body: () => multipartFileBody(absPath, mime), repeatable: true, signal });
      const d = obj(data);
      return compact({ id: needString(d.asset_id, 'asset_id'), url: optString(d.url) });
    },
  };
}

/** Translations: one paid POST for all languages, their statuses. */
function translationCalls(ctx: AdapterContext): Pick<HeygenClient, 'createTranslations' | 'getTranslation'> {
  const { http } = ctx;
  const url = urlIn(ctx);
  return {
    async createTranslations(source, languages, opts) {
      if (languages.length === 0) return [];
      const body = toV3TranslationRequest(typeof source === 'string' ? { url: source } : source, languages, opts);
      const { data } = await http.send({
        method: 'POST',
        url: url('/v3/video-translations'),
        json: body,
        idempotencyKey: checkKey(opts.idempotencyKey),
        signal: opts.signal,
      });
      const ids = stringArray(obj(data).video_translation_ids, 'video_translation_ids');
      if (ids.length !== languages.length) {
        throw new HeygenApiError('E_HEYGEN_BAD_RESPONSE', `HeyGen answered ${ids.length} translation ids for ${languages.length} languages`);
      }
      for (const [i, id] of ids.entries()) await opts.onCreated?.(languages[i] as string, id);
      return ids;
    },

    async getTranslation(id, signal, read) {
      try {
        const { data } = await http.send({ method: 'GET', url: url(`/v3/video-translations/${enc(id)}`), signal, ...read });
        return translationFromV3(id, data);
      } catch (err) {
        if (isNotFound(err)) return { id, status: 'not_found' };
        throw err;
      }
    },
  };
}

/** What the account offers and has left: avatars and voices, languages, credits. */
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
      const { data } = await http.send({ method: 'GET', url: url('/v3/video-translations/languages'), signal });
      return stringArray(obj(data).languages, 'languages');
    },

    async remainingCredits(signal) {
      const { data } = await http.send({ method: 'GET', url: url('/v3/users/me'), signal });
      return creditsFromV3User(data);
    },
  };
}

/** HeyGen templates: read one, render a video from it (a paid POST). */
function templateCalls(ctx: AdapterContext): Pick<HeygenClient, 'getTemplate' | 'createFromTemplate'> {
  const { http } = ctx;
  const url = urlIn(ctx);
  return {
    async getTemplate(templateId, signal) {
      try {
        const { data } = await http.send({ method: 'GET', url: url(`/v3/templates/${enc(templateId)}`), signal });
        return data;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async createFromTemplate(templateId, body, opts) {
      const { data } = await http.send({
        method: 'POST',
        url: url(`/v3/templates/${enc(templateId)}`),
        json: body,
        idempotencyKey: checkKey(opts.idempotencyKey),
        signal: opts.signal,
      });
      // The answer is a video object: `id` (TemplateGenerate's schema); `video_id` as /v3/videos names it.
      const d = obj(data);
      return { id: optString(d.id) ?? needString(d.video_id, 'id') };
    },
  };
}

/** The HeyGen client over the v3 endpoints, the default API. */
export function createV3Client(adapter: AdapterContext): HeygenClient {
  const { http, baseUrl } = adapter;
  return {
    api: 'v3',
    ...renderCalls(adapter),
    getVideo: (id, signal, read) => getVideo(adapter, id, signal, read),
    getVideos: (ids, signal, read) => getVideos(adapter, ids, signal, read),
    ...uploadCall(adapter),
    ...translationCalls(adapter),
    ...accountCalls(adapter),
    ...templateCalls(adapter),
    ...videoAgentCalls(adapter, checkKey),
    ...proofreadMethods(http, baseUrl, checkKey),

    requestCount: () => http.requestCount,
    close: () => http.close(),
  };
}
