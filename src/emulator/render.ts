/**
 * What a schema-valid `POST /v3/videos` body asks the renderer for: frame size, container,
 * transparency, background and audio, plus the rules HeyGen states only in field descriptions
 * (webm rejects any background, background fields by type, assets of the right kind). The
 * result is kept on the job, so `GET /__emulator/state` shows what a client actually sent.
 */
import type { AssetStore } from './assets.js';
import { ApiError } from './envelopes.js';
import type { RenderInfo } from './types.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

/** The short edge of each resolution tier ("short-edge anchored to the requested resolution"). */
const SHORT_EDGE: Record<string, number> = { '720p': 720, '1080p': 1080, '4k': 2160 };
/** `auto` needs the source's frames; the schema says it "falls back to '16:9'" without them. */
const RATIOS: Record<string, [number, number]> = {
  '16:9': [16, 9],
  '9:16': [9, 16],
  '4:5': [4, 5],
  '5:4': [5, 4],
  '1:1': [1, 1],
  auto: [16, 9],
};

function even(n: number): number {
  return Math.round(n / 2) * 2;
}

/** Width and height for `resolution` (default 1080p, as HeyGen's skill docs say) and `aspect_ratio` (default 16:9). */
export function frameSize(resolution: unknown, aspectRatio: unknown): { width: number; height: number } {
  const short = SHORT_EDGE[typeof resolution === 'string' ? resolution : '1080p'] ?? 1080;
  const [w, h] = RATIOS[typeof aspectRatio === 'string' ? aspectRatio : '16:9'] ?? [16, 9];
  return w >= h ? { width: even((short * w) / h), height: short } : { width: short, height: even((short * h) / w) };
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);
const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

function invalid(param: string, message: string): ApiError {
  return new ApiError(400, 'validation_error', `${param} ${message}`, param);
}

function background(raw: unknown, at: string, assets: AssetStore): RenderInfo['background'] {
  if (raw == null) return undefined;
  const bg = obj(raw);
  if (bg.type === 'color') {
    if (typeof bg.value !== 'string') throw invalid(`${at}.value`, "is required when type is 'color'");
    if (!HEX.test(bg.value)) throw invalid(`${at}.value`, `must be a hex color such as '#ff0000' (got ${JSON.stringify(bg.value)})`);
    return { type: 'color', value: bg.value };
  }
  const url = typeof bg.url === 'string' ? bg.url : undefined;
  const assetId = typeof bg.asset_id === 'string' ? bg.asset_id : undefined;
  if (url !== undefined && assetId !== undefined) throw invalid(`${at}.url`, 'and asset_id are mutually exclusive');
  if (url === undefined && assetId === undefined) throw invalid(`${at}.asset_id`, "or url is required when type is 'image'");
  if (assetId === undefined) return { type: 'image', url };
  const asset = assets.byId.get(assetId);
  if (asset && !IMAGE_TYPES.has(asset.mimeType)) {
    throw invalid(`${at}.asset_id`, `must be an image (png or jpeg); asset ${assetId} is ${asset.mimeType}`);
  }
  return { type: 'image', asset_id: assetId, mime_type: asset?.mimeType };
}

function audio(body: Json, at: string, assets: AssetStore): RenderInfo['audio'] {
  if (typeof body.audio_url === 'string') return { url: body.audio_url };
  if (typeof body.audio_asset_id !== 'string') return undefined;
  const asset = assets.byId.get(body.audio_asset_id);
  if (asset && !asset.mimeType.startsWith('audio/')) {
    throw invalid(`${at}audio_asset_id`, `must be an audio file (mp3 or wav); asset ${asset.id} is ${asset.mimeType}`);
  }
  return { asset_id: body.audio_asset_id, seconds: asset?.durationSeconds };
}

/** Reads and checks the rendering side of a schema-valid v3 video body. Assets are known to exist. */
export function renderInfo(body: Json, assets: AssetStore): RenderInfo {
  if (body.type === 'studio' && body.output_format !== undefined) {
    // The schema's studio branch says "output_format is not exposed": refuse it rather than render an MP4 silently.
    throw invalid('output_format', "is not supported for type 'studio' (studio videos are MP4 only)");
  }
  const webm = body.output_format === 'webm';
  if (webm && body.background != null) {
    throw invalid('background', "must not be set when output_format is 'webm': the background is removed (transparent)");
  }
  const info: RenderInfo = {
    outputFormat: webm ? 'webm' : 'mp4',
    ...frameSize(body.resolution, body.aspect_ratio),
    alpha: webm,
    removeBackground: webm || body.remove_background === true,
  };
  if (typeof body.avatar_id === 'string') info.avatarId = body.avatar_id;
  const bg = background(body.background, 'background', assets);
  if (bg) info.background = bg;
  if (body.type === 'avatar' || body.type === 'image') {
    const a = audio(body, '', assets);
    if (a) info.audio = a;
  }
  if (body.type === 'studio') {
    (body.scenes as unknown[]).forEach((scene, i) => {
      const s = obj(scene);
      if (s.type !== 'avatar_video') return;
      audio(obj(s.input), `scenes[${i}].input.`, assets);
      // A studio scene's background has its own, colour-only shape: `{type: 'color', color: '#RRGGBB'}`.
      const color = obj(obj(s.input).background).color;
      if (typeof color === 'string' && !/^#[0-9a-fA-F]{6}$/.test(color)) {
        throw invalid(`scenes[${i}].input.background.color`, `must be a 6-digit hex color such as '#1a2b3c' (got ${JSON.stringify(color)})`);
      }
    });
  }
  return info;
}

/** The source video of a translation, given by asset id, must be a video. */
export function assertVideoAsset(body: Json, assets: AssetStore): void {
  const video = obj(body.video);
  if (video.type !== 'asset_id' || typeof video.asset_id !== 'string') return;
  const asset = assets.byId.get(video.asset_id);
  if (asset && !asset.mimeType.startsWith('video/')) {
    throw invalid('video.asset_id', `must be a video (mp4 or webm); asset ${asset.id} is ${asset.mimeType}`);
  }
}

/**
 * The message HeyGen gives for a transparent render of an avatar trained without matting. No
 * reference quotes one; this wording is ours, built from the schema's "Video avatars must be
 * trained with matting enabled".
 */
export function mattingFailure(avatarId: string): { code: string; message: string } {
  return {
    code: 'avatar_matting_not_supported',
    message:
      `Avatar ${avatarId} does not support background removal: video avatars must be trained with matting ` +
      "enabled to render with remove_background or output_format 'webm'.",
  };
}
