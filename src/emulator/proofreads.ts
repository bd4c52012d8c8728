/**
 * HeyGen v3 proofreads (VideoTranslateProofreads*.json): a session per output language whose status goes
 * `processing -> completed | failed` (the `failProofread` fault), an SRT made from the source's speech,
 * `PUT …/srt` that takes an uploaded SRT asset, and `generate` that starts an ordinary translation job.
 * Sessions are jobs of kind `proofread`: they count against the concurrency cap, are charged at the
 * proofread rate, and serve their SRT through the signed `/files/` URLs like every other file.
 */
import { assertKnownAssets } from './asset-refs.js';
import { type Ctx, type Route, jsonBody, optString, unixSeconds } from './context.js';
import { ApiError, okBody } from './envelopes.js';
import { TRANSLATION_SECONDS, translationRate } from './estimate.js';
import { fileUrl } from './files.js';
import type { Reply } from './http-util.js';
import { type Job, newId } from './jobs.js';
import { LANGUAGES, languageCode } from './languages.js';
import { assertVideoAsset } from './render.js';
import { assertValid } from './validate.js';

/** Credits per second of a proofread session (HeyGen's enterprise pricing: 0.00833 cr/s). */
const PROOFREAD_RATE = 0.00833;
/** What an uploaded source says when the emulator cannot know (it keeps no bytes). */
const SPEECH = 'Welcome to the tour. This is what the source video says, one sentence after another.';

type Json = Record<string, unknown>;
const ok = (data: unknown): Reply => ({ status: 200, body: okBody('v3', data) });
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/** The speech of the source: the script of a render of this emulator named by its URL, else a stock sentence. */
function sourceSpeech(ctx: Ctx, video: Json): string {
  const m = typeof video.url === 'string' ? /\/files\/([0-9a-f]{32}(?:-[a-z0-9]+)*)\./.exec(video.url) : null;
  return (m && ctx.deps.store.get(m[1]!)?.text) || SPEECH;
}

function session(ctx: Ctx): Job {
  const id = ctx.params[0] ?? '';
  const expire = ctx.deps.faults.expireProofread;
  if (expire && expire.count > 0) {
    if (--expire.count <= 0) delete ctx.deps.faults.expireProofread;
    ctx.record.fault = 'expireProofread';
    throw new ApiError(404, 'not_found', `Proofread ${id} was not found`, 'proofread_id');
  }
  const job = ctx.deps.store.get(id);
  if (!job || job.kind !== 'proofread') throw new ApiError(404, 'not_found', `Proofread ${id} was not found`, 'proofread_id');
  return job;
}

function completed(ctx: Ctx, job: Job): void {
  const phase = ctx.deps.store.phase(job);
  if (phase !== 'completed') throw new ApiError(400, 'invalid_parameter', `Proofread ${job.id} is ${phase}, not completed`, 'proofread_id');
}

function resource(ctx: Ctx, job: Job): Json {
  const phase = ctx.deps.store.phase(job);
  return {
    id: job.id,
    status: phase,
    title: job.title ?? null,
    output_language: job.outputLanguage ?? null,
    created_at: unixSeconds(job.createdAt),
    ...(phase === 'failed' ? { failure_message: job.failure?.message ?? null } : {}),
  };
}

async function create(ctx: Ctx): Promise<Reply> {
  const body = await jsonBody(ctx);
  assertValid('VideoTranslateProofreadsCreate', body);
  const languages = body.output_languages as string[];
  if (languages.length === 0) throw new ApiError(400, 'validation_error', 'output_languages must not be empty', 'output_languages');
  languages.forEach((lang, i) => {
    if (!LANGUAGES.includes(lang)) {
      throw new ApiError(400, 'validation_error', `output_languages[${i}] ${JSON.stringify(lang)} is not a supported language`, `output_languages[${i}]`);
    }
  });
  const { assets, store } = ctx.deps;
  assertKnownAssets(body, (id) => assets.byId.has(id));
  assertVideoAsset(body, assets);
  assertSrtAsset(ctx, body.srt, 'srt');
  const speech = sourceSpeech(ctx, obj(body.video));
  const stem = newId();
  const jobs = store.create(
    languages.map((lang) => ({
      id: `${stem}-${languageCode(lang)}`,
      kind: 'proofread' as const,
      api: 'v3' as const,
      body,
      idempotencyKey: ctx.idempotencyKey,
      title: optString(body.title),
      duration: TRANSLATION_SECONDS,
      text: `[${lang}] ${speech}`,
      captions: 'sidecar' as const,
      outputFormat: 'mp4' as const,
      outputLanguage: lang,
      rate: PROOFREAD_RATE,
    })),
  );
  return ok({ proofread_ids: jobs.map((j) => j.id), status: 'processing' });
}

/** An SRT given by asset id must be an uploaded SRT. */
function assertSrtAsset(ctx: Ctx, srt: unknown, param: string): void {
  const s = obj(srt);
  if (s.type !== 'asset_id') return;
  const asset = ctx.deps.assets.byId.get(String(s.asset_id));
  if (asset && asset.mimeType !== 'application/x-subrip') {
    throw new ApiError(400, 'invalid_parameter', `${param}.asset_id must be an SRT file; asset ${asset.id} is ${asset.mimeType}`, `${param}.asset_id`);
  }
}

function getSrt(ctx: Ctx): Reply {
  const job = session(ctx);
  completed(ctx, job);
  return ok({ srt_url: fileUrl(ctx.deps.signer, ctx.deps.base, job, 'srt'), original_srt_url: null });
}

async function putSrt(ctx: Ctx): Promise<Reply> {
  const job = session(ctx);
  const body = await jsonBody(ctx);
  assertValid('VideoTranslateProofreadsSrtUpdate', body);
  assertKnownAssets(body, (id) => ctx.deps.assets.byId.has(id));
  assertSrtAsset(ctx, body.srt, 'srt');
  completed(ctx, job);
  job.body = { ...job.body, srt: body.srt };
  return ok(resource(ctx, job));
}

async function generate(ctx: Ctx): Promise<Reply> {
  const job = session(ctx);
  const body = await jsonBody(ctx);
  assertValid('VideoTranslateProofreadsGenerate', body);
  completed(ctx, job);
  const lang = job.outputLanguage ?? 'English';
  const [made] = ctx.deps.store.create([
    {
      id: `${newId()}-${languageCode(lang)}`,
      kind: 'translation',
      api: 'v3',
      body: { ...body, proofread_id: job.id, mode: job.body.mode },
      idempotencyKey: ctx.idempotencyKey,
      callbackId: optString(body.callback_id),
      title: job.title,
      duration: TRANSLATION_SECONDS,
      text: job.text,
      captions: body.captions === true ? 'sidecar' : 'none',
      outputFormat: 'mp4',
      outputLanguage: lang,
      rate: translationRate(job.body.mode),
    },
  ]);
  return ok({ video_translation_id: made!.id, status: 'processing' });
}

/** The proofread endpoints, registered by routes-v3.ts ahead of the translation routes. */
export const proofreadRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v3\/video-translations\/proofreads$/, style: 'v3', idempotent: true, handle: create },
  { method: 'GET', pattern: /^\/v3\/video-translations\/proofreads\/([^/]+)$/, style: 'v3', handle: (ctx) => ok(resource(ctx, session(ctx))) },
  { method: 'GET', pattern: /^\/v3\/video-translations\/proofreads\/([^/]+)\/srt$/, style: 'v3', handle: getSrt },
  { method: 'PUT', pattern: /^\/v3\/video-translations\/proofreads\/([^/]+)\/srt$/, style: 'v3', idempotent: true, handle: putSrt },
  { method: 'POST', pattern: /^\/v3\/video-translations\/proofreads\/([^/]+)\/generate$/, style: 'v3', idempotent: true, handle: generate },
];
