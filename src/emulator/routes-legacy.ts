/** The v1/v2 API: v2 generate, v1 status, v1 asset upload, v2 translation, v2 quota. */
import { assertKnownAssets } from './asset-refs.js';
import { v1FileType } from './assets.js';
import { type Ctx, type Route, jsonBody, optString, unixSeconds } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import { TRANSLATION_SECONDS, translationRate, v2Video } from './estimate.js';
import { fileUrl } from './files.js';
import type { Reply } from './http-util.js';
import { V2_LANGUAGES } from './languages.js';
import { assertValidV2Generate } from './v2-validate.js';

const v1 = (data: unknown): Reply => ({ status: 200, body: okBody('v1', data) });
const v2 = (data: unknown): Reply => ({ status: 200, body: okBody('v2', data) });

async function generate(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValidV2Generate(body);
  const { assets, store } = ctx.deps;
  assertKnownAssets(body, (id) => assets.byId.has(id));
  const { seconds, text } = v2Video(body, (id) => assets.size(id));
  const captions =
    body.caption_mode === 'file_only' ? 'sidecar'
    : body.caption_mode === 'burn_in' || body.caption === true ? 'burned'
    : 'none';
  const [job] = store.create([
    {
      kind: 'video',
      api: 'v2',
      body,
      callbackId: optString(body.callback_id),
      title: optString(body.title),
      duration: seconds,
      text,
      captions,
      outputFormat: 'mp4',
      // `test: true` renders are free (watermarked upstream).
      rate: body.test === true ? 0 : 0.1,
    },
  ]);
  return v2({ video_id: job?.id });
}

function videoStatus(ctx: Ctx): Reply {
  const id = ctx.url.searchParams.get('video_id');
  if (!id) throw new ApiError(400, 'missing_parameter', 'video_id is required', 'video_id');
  const { store, signer, base } = ctx.deps;
  const job = store.get(id);
  if (!job || job.kind !== 'video') throw new ApiError(404, 'not_found', 'Video not found', 'video_id');
  const phase = store.phase(job);
  const done = phase === 'completed';
  const url = (kind: Parameters<typeof fileUrl>[3]): string | null => (done ? fileUrl(signer, base, job, kind) : null);
  return v1({
    id: job.id,
    status: phase,
    video_url: url(job.outputFormat),
    video_url_caption: url('captioned.mp4'),
    // v2 renders caption in .ass, v3 ones in .srt.
    caption_url: job.api === 'v2' ? url('ass') : url('srt'),
    thumbnail_url: null,
    gif_url: null,
    duration: done ? job.duration : null,
    created_at: unixSeconds(job.createdAt),
    callback_id: job.callbackId ?? null,
    error:
      phase === 'failed' && job.failure
        ? { code: job.failure.code, message: job.failure.message, detail: job.failure.message }
        : null,
  });
}

async function uploadAsset(ctx: Ctx): Promise<Reply> {
  const mime = String(ctx.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const fileType = v1FileType(mime);
  if (!fileType) {
    throw new ApiError(400, 'invalid_parameter', `Unsupported Content-Type "${mime}": use image/jpeg, image/png, video/mp4, video/webm or audio/mpeg`);
  }
  const { asset, bytes } = await ctx.deps.assets.addRaw(ctx.req, mime);
  ctx.record.bodyBytes = bytes;
  return {
    status: 200,
    body: {
      code: 100,
      data: {
        id: asset.id,
        name: asset.name,
        file_type: fileType,
        url: `${ctx.deps.base}/assets/${asset.id}`,
        image_key: fileType === 'image' ? `image/${asset.id}/original` : null,
        folder_id: '',
        meta: null,
        created_ts: unixSeconds(asset.createdAt),
      },
      msg: null,
      message: null,
    },
  };
}

async function translate(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  if (typeof body.video_url !== 'string' || body.video_url === '') {
    throw new ApiError(400, 'missing_parameter', 'video_url is required', 'video_url');
  }
  const lang = body.output_language;
  if (typeof lang !== 'string' || lang === '') {
    throw new ApiError(400, 'missing_parameter', 'output_language is required', 'output_language');
  }
  if (!V2_LANGUAGES.includes(lang)) {
    throw new ApiError(400, 'invalid_parameter', `output_language "${lang}" is not supported (see /v2/video_translate/target_languages)`, 'output_language');
  }
  const [job] = ctx.deps.store.create([
    {
      kind: 'translation',
      api: 'v2',
      body,
      callbackId: optString(body.callback_id),
      title: optString(body.title),
      duration: TRANSLATION_SECONDS,
      text: `[${lang}] This is the translated dialogue of the source video.`,
      captions: 'none',
      outputFormat: 'mp4',
      outputLanguage: lang,
      rate: translationRate(body.mode),
    },
  ]);
  return v2({ video_translate_id: job?.id });
}

function translation(ctx: Ctx): Reply {
  const id = ctx.params[0] ?? '';
  const { store, signer, base } = ctx.deps;
  const job = store.get(id);
  if (!job || job.kind !== 'translation') throw new ApiError(404, 'not_found', 'Video translate not found', 'video_translate_id');
  const phase = store.phase(job);
  return v2({
    video_translate_id: job.id,
    title: job.title ?? null,
    output_language: job.outputLanguage ?? null,
    status: phase === 'completed' ? 'success' : phase,
    url: phase === 'completed' ? fileUrl(signer, base, job, 'mp4') : null,
    message: phase === 'failed' ? (job.failure?.message ?? null) : null,
    callback_id: job.callbackId ?? null,
  });
}

function quota(ctx: Ctx): Reply {
  const seconds = Math.round(ctx.deps.store.credits * 60);
  return v2({ remaining_quota: seconds, details: { api: seconds } });
}

/** The v1 and v2 endpoints the emulator serves. */
export const legacyRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v2\/video\/generate$/, style: 'v2', handle: generate },
  { method: 'GET', pattern: /^\/v1\/video_status\.get$/, style: 'v1', handle: videoStatus },
  { method: 'POST', pattern: /^\/v1\/asset$/, style: 'v1', handle: uploadAsset },
  { method: 'POST', pattern: /^\/v2\/video_translate$/, style: 'v2', handle: translate },
  {
    method: 'GET',
    pattern: /^\/v2\/video_translate\/target_languages$/,
    style: 'v2',
    handle: () => v2({ languages: [...V2_LANGUAGES] }),
  },
  { method: 'GET', pattern: /^\/v2\/video_translate\/([^/]+)$/, style: 'v2', handle: translation },
  { method: 'GET', pattern: /^\/v2\/user\/remaining_quota$/, style: 'v2', handle: quota },
];
