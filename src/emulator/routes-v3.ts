/** The v3 API: videos, bulk statuses, assets, video translations, languages, the current user. */
import { assertKnownAssets } from './asset-refs.js';
import { V3_ASSET_LIMIT } from './assets.js';
import { type Ctx, type Route, jsonBody, optString, unixSeconds } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import { TRANSLATION_SECONDS, renderRate, translationRate, v3Video } from './estimate.js';
import { fileUrl } from './files.js';
import { readBody, type Reply } from './http-util.js';
import { type Job, newId } from './jobs.js';
import { LANGUAGES, languageCode } from './languages.js';
import { alphaWebm } from './generate.js';
import { assertVideoAsset, mattingFailure, renderInfo } from './render.js';
import { createSpeech } from './speech.js';
import { completeUpload, createDirectUpload } from './uploads.js';
import { getVoice, listVoices } from './voices.js';
import { getLook, listLooks, lookFailure } from './looks.js';
import { assertValid } from './validate.js';
import { videoAgentRoutes } from './video-agents.js';
import { proofreadRoutes } from './proofreads.js';
import { assertEngineRules } from './engine-rules.js';

type Json = Record<string, unknown>;

const ok = (data: unknown): Reply => ({ status: 200, body: okBody('v3', data) });

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function range(value: unknown, min: number, max: number, param: string): void {
  if (value !== undefined && (typeof value !== 'number' || value < min || value > max)) {
    throw new ApiError(400, 'validation_error', `${param} must be between ${min} and ${max}`, param);
  }
}

/** Rules the schema states only in prose (field descriptions and HeyGen's usage limits). */
function assertSpeech(input: Json, at: string): void {
  const p = (k: string): string => (at ? `${at}.${k}` : k);
  const audio = input.audio_url ?? input.audio_asset_id;
  if (input.script != null && audio != null) {
    throw new ApiError(400, 'validation_error', `${p('script')} and audio_url/audio_asset_id are mutually exclusive`, p('script'));
  }
  if (input.script == null && audio == null) {
    throw new ApiError(400, 'validation_error', `one of ${p('script')}, audio_url or audio_asset_id is required`, p('script'));
  }
  if (typeof input.script === 'string' && input.script.length > 5000) {
    throw new ApiError(400, 'validation_error', `${p('script')} must be at most 5000 characters`, p('script'));
  }
  const vs = obj(input.voice_settings);
  range(vs.speed, 0.5, 1.5, p('voice_settings.speed'));
  range(vs.pitch, -50, 50, p('voice_settings.pitch'));
  range(vs.volume, 0, 1, p('voice_settings.volume'));
}

/**
 * What HeyGen fails a render for once it looks the avatar up: unknown, untrained, wrong engine. Voices
 * are not looked up here (a key's cloned voices are unknown to us, as for speech).
 */
function catalogFailure(body: Json): { code: string; message: string } | undefined {
  if (body.type !== 'avatar') return undefined;
  const engine = typeof obj(body.engine).type === 'string' ? (obj(body.engine).type as string) : 'avatar_iv';
  return lookFailure(typeof body.avatar_id === 'string' ? body.avatar_id : undefined, engine);
}

async function createVideo(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('VideoCreate', body);
  if (body.type === 'avatar' || body.type === 'image') assertSpeech(body, '');
  if (body.type === 'studio') {
    (body.scenes as unknown[]).forEach((scene, i) => {
      const s = obj(scene);
      if (s.type === 'avatar_video') assertSpeech(obj(s.input), `scenes[${i}].input`);
    });
  }
  const { assets, store, settings } = ctx.deps;
  assertKnownAssets(body, (id) => assets.byId.has(id));
  assertEngineRules(body, assets);
  const render = renderInfo(body, assets);
  const { seconds, text } = v3Video(body, (id) => assets.size(id));
  const caption = body.caption == null ? 'none' : obj(body.caption).style != null ? 'burned' : 'sidecar';
  const outputFormat = render.outputFormat;
  // A transparent render of an avatar trained without matting is accepted, then fails (HeyGen checks it while rendering).
  const unmatted = render.removeBackground && settings.noMattingAvatars.includes(render.avatarId ?? '') ? render.avatarId : undefined;
  const failure = catalogFailure(body) ?? (unmatted !== undefined ? mattingFailure(unmatted) : undefined);
  const [job] = store.create([
    {
      kind: 'video',
      api: 'v3',
      body,
      idempotencyKey: ctx.idempotencyKey,
      callbackId: optString(body.callback_id),
      title: optString(body.title),
      duration: seconds,
      text,
      captions: caption,
      outputFormat,
      render,
      rate: renderRate(body),
      ...(failure !== undefined ? { failure } : {}),
    },
  ]);
  // Start making the transparent file now, so it is ready (cached) by the time the render completes.
  if (render.alpha && failure === undefined) alphaWebm(render.width, render.height, seconds).catch(() => undefined);
  return ok({ video_id: job?.id, status: 'waiting', output_format: outputFormat });
}

function videoJob(ctx: Ctx, id: string): Job {
  const job = ctx.deps.store.get(id);
  if (!job || job.kind !== 'video') throw new ApiError(404, 'not_found', `Video ${id} was not found`, 'video_id');
  return job;
}

function getVideo(ctx: Ctx): Reply {
  const job = videoJob(ctx, ctx.params[0] ?? '');
  const { store, signer, base } = ctx.deps;
  const phase = store.phase(job);
  const done = phase === 'completed';
  const url = (kind: Parameters<typeof fileUrl>[3]): string | null => (done ? fileUrl(signer, base, job, kind) : null);
  return ok({
    id: job.id,
    title: job.title ?? null,
    status: phase === 'waiting' ? 'pending' : phase,
    created_at: unixSeconds(job.createdAt),
    completed_at: done ? unixSeconds(job.finishAt) : null,
    video_url: url(job.outputFormat),
    thumbnail_url: null,
    gif_url: null,
    captioned_video_url: url('captioned.mp4'),
    subtitle_url: url('srt'),
    duration: done ? job.duration : null,
    folder_id: null,
    output_language: null,
    failure_code: job.failure && phase === 'failed' ? String(job.failure.code) : null,
    failure_message: job.failure && phase === 'failed' ? job.failure.message : null,
    video_page_url: done ? `https://app.heygen.com/videos/${job.id}` : null,
    callback_id: job.callbackId ?? null,
  });
}

function list(v: string | null): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function videoStatuses(ctx: Ctx): Reply {
  const ids = list(ctx.url.searchParams.get('video_ids'));
  const batches = list(ctx.url.searchParams.get('batch_ids'));
  if (ids.length + batches.length === 0) {
    throw new ApiError(400, 'validation_error', 'video_ids or batch_ids is required', 'video_ids');
  }
  if (ids.length + batches.length > 100) {
    throw new ApiError(400, 'validation_error', 'at most 100 ids per request', 'video_ids');
  }
  const { store } = ctx.deps;
  const data: Json[] = ids.map((id) => {
    const job = store.get(id);
    if (!job || job.kind !== 'video') return { video_id: id, status: 'not_found', error: null };
    const phase = store.phase(job);
    const status = phase === 'waiting' || phase === 'pending' ? 'queued' : phase;
    const error = phase === 'failed' && job.failure ? { code: String(job.failure.code), message: job.failure.message } : null;
    return { video_id: id, status, error };
  });
  // We have no batches: every batch id is unknown.
  for (const id of batches) data.push({ batch_id: id, video_id: null, status: 'not_found', error: null });
  return { status: 200, body: { data, has_more: false, next_token: null } };
}

async function createAsset(ctx: Ctx): Promise<Reply> {
  // Room for the multipart framing around a file of the maximum size.
  const buf = await readBody(ctx.req, V3_ASSET_LIMIT + 64 * 1024);
  ctx.record.bodyBytes = buf.length;
  const asset = await ctx.deps.assets.addMultipart(String(ctx.req.headers['content-type'] ?? ''), buf);
  return ok({
    asset_id: asset.id,
    url: `${ctx.deps.base}/assets/${asset.id}`,
    mime_type: asset.mimeType,
    size_bytes: asset.sizeBytes,
  });
}

async function createTranslations(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('VideoTranslateCreate', body);
  const languages = body.output_languages as unknown[];
  if (languages.length === 0) {
    throw new ApiError(400, 'validation_error', 'output_languages must not be empty', 'output_languages');
  }
  languages.forEach((lang, i) => {
    if (typeof lang !== 'string' || !LANGUAGES.includes(lang)) {
      throw new ApiError(
        400,
        'validation_error',
        `output_languages[${i}] ${JSON.stringify(lang)} is not a supported language (see GET /v3/video-translations/languages)`,
        `output_languages[${i}]`,
      );
    }
  });
  const { assets, store } = ctx.deps;
  assertKnownAssets(body, (id) => assets.byId.has(id));
  assertVideoAsset(body, assets);
  // HeyGen's ids look like `<hex>-es`: one base per request, a language suffix per job.
  const stem = newId();
  const used = new Set<string>();
  const jobs = store.create(
    (languages as string[]).map((lang) => {
      let id = `${stem}-${languageCode(lang)}`;
      for (let n = 2; used.has(id); n++) id = `${stem}-${languageCode(lang)}${n}`;
      used.add(id);
      return {
        id,
        kind: 'translation' as const,
        api: 'v3' as const,
        body,
        idempotencyKey: ctx.idempotencyKey,
        callbackId: optString(body.callback_id),
        title: optString(body.title),
        duration: TRANSLATION_SECONDS,
        text: `[${lang}] This is the translated dialogue of the source video.`,
        captions: body.enable_caption === true ? ('sidecar' as const) : ('none' as const),
        outputFormat: 'mp4' as const,
        outputLanguage: lang,
        rate: translationRate(body.mode),
      };
    }),
  );
  return ok({ video_translation_ids: jobs.map((j) => j.id) });
}

function getTranslation(ctx: Ctx): Reply {
  const id = ctx.params[0] ?? '';
  const { store, signer, base } = ctx.deps;
  const job = store.get(id);
  if (!job || job.kind !== 'translation') {
    throw new ApiError(404, 'not_found', `Video translation ${id} was not found`, 'video_translation_id');
  }
  const phase = store.phase(job);
  const done = phase === 'completed';
  return ok({
    id: job.id,
    title: job.title ?? null,
    status: phase,
    output_language: job.outputLanguage ?? null,
    input_language: optString(job.body.input_language) ?? 'English',
    translate_audio_only: job.body.translate_audio_only === true,
    duration: done ? job.duration : null,
    created_at: unixSeconds(job.createdAt),
    video_url: done ? fileUrl(signer, base, job, 'mp4') : null,
    audio_url: null,
    srt_caption_url: done ? fileUrl(signer, base, job, 'srt') : null,
    vtt_caption_url: done ? fileUrl(signer, base, job, 'vtt') : null,
    failure_message: phase === 'failed' ? (job.failure?.message ?? null) : null,
    callback_id: job.callbackId ?? null,
  });
}

function me(ctx: Ctx): Reply {
  return ok({
    username: 'emulator',
    email: 'emulator@example.com',
    first_name: 'Heygen',
    last_name: 'Emulator',
    billing_type: 'wallet',
    wallet: { currency: 'credits', remaining_balance: ctx.deps.store.credits, auto_reload: { enabled: false } },
    subscription: null,
    usage_based: null,
  });
}

/** The v3 endpoints the emulator serves. */
export const v3Routes: Route[] = [
  ...proofreadRoutes,
  { method: 'POST', pattern: /^\/v3\/videos$/, style: 'v3', idempotent: true, handle: createVideo },
  { method: 'GET', pattern: /^\/v3\/videos\/statuses$/, style: 'v3', handle: videoStatuses },
  { method: 'GET', pattern: /^\/v3\/videos\/([^/]+)$/, style: 'v3', handle: getVideo },
  { method: 'POST', pattern: /^\/v3\/assets$/, style: 'v3', idempotent: true, handle: createAsset },
  { method: 'POST', pattern: /^\/v3\/assets\/direct-uploads$/, style: 'v3', idempotent: true, handle: createDirectUpload },
  { method: 'POST', pattern: /^\/v3\/assets\/([0-9a-f]{32})\/complete$/, style: 'v3', idempotent: true, handle: completeUpload },
  { method: 'GET', pattern: /^\/v3\/avatars\/looks$/, style: 'v3', handle: listLooks },
  { method: 'GET', pattern: /^\/v3\/avatars\/looks\/([^/]+)$/, style: 'v3', handle: getLook },
  { method: 'GET', pattern: /^\/v3\/voices$/, style: 'v3', handle: listVoices },
  { method: 'GET', pattern: /^\/v3\/voices\/([^/]+)$/, style: 'v3', handle: getVoice },
  { method: 'POST', pattern: /^\/v3\/voices\/speech$/, style: 'v3', idempotent: true, handle: createSpeech },
  { method: 'POST', pattern: /^\/v3\/video-translations$/, style: 'v3', idempotent: true, handle: createTranslations },
  {
    method: 'GET',
    pattern: /^\/v3\/video-translations\/languages$/,
    style: 'v3',
    handle: () => ok({ languages: [...LANGUAGES] }),
  },
  { method: 'GET', pattern: /^\/v3\/video-translations\/([^/]+)$/, style: 'v3', handle: getTranslation },
  { method: 'GET', pattern: /^\/v3\/users\/me$/, style: 'v3', handle: me },
  ...videoAgentRoutes,
];
