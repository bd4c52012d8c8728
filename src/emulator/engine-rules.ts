/**
 * The engine rules VideoCreate.json states in its field descriptions, answered the way HeyGen answers
 * a request it refuses: 400 `validation_error` naming the parameter, before any job exists.
 *
 * - `expressiveness`: photo avatars only, Avatar IV only ("rejected when engine.type is 'avatar_v'";
 *   Avatar III supports neither it nor `motion_prompt`);
 * - `motion_prompt`: photos, photo avatar looks on IV or V, video avatars on Avatar V only ("Rejected
 *   for video avatars on the default Avatar IV engine");
 * - Avatar III renders a photo avatar look without 4K ("Photo Avatar (no 4K output)");
 * - `type: image` animates an image: the asset it names must be a PNG or JPEG.
 */
import type { AssetStore } from './assets.js';
import { ApiError } from './envelopes.js';
import { findLook } from './looks.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function refuse(param: string, message: string): ApiError {
  return new ApiError(400, 'validation_error', `${param} ${message}`, param);
}

/** Throws HeyGen's 400 for an engine, expressiveness or motion combination it rejects. */
export function assertEngineRules(body: Json, assets: AssetStore): void {
  if (body.type === 'image') return assertImage(body, assets);
  if (body.type !== 'avatar') return;
  const engine = typeof obj(body.engine).type === 'string' ? String(obj(body.engine).type) : 'avatar_iv';
  const look = typeof body.avatar_id === 'string' ? findLook(body.avatar_id) : undefined;
  const photo = look?.avatar_type === 'photo_avatar';
  if (body.expressiveness != null) {
    if (engine !== 'avatar_iv') throw refuse('expressiveness', `is not supported with engine.type '${engine}' (Avatar IV only)`);
    if (look && !photo) throw refuse('expressiveness', `is for photo avatars only; avatar ${look.id} is a ${look.avatar_type}`);
  }
  if (body.motion_prompt != null) {
    if (engine === 'avatar_iii') throw refuse('motion_prompt', "is not supported with engine.type 'avatar_iii'");
    if (look && !photo && engine !== 'avatar_v') {
      throw refuse('motion_prompt', `is supported for video avatars only when engine.type is 'avatar_v'; avatar ${look.id} is a ${look.avatar_type}`);
    }
  }
  if (engine === 'avatar_iii' && photo && body.resolution === '4k') {
    throw refuse('resolution', "4k is not available for photo avatars on engine.type 'avatar_iii'");
  }
}

function assertImage(body: Json, assets: AssetStore): void {
  const image = obj(body.image);
  if (image.type !== 'asset_id' || typeof image.asset_id !== 'string') return;
  const asset = assets.byId.get(image.asset_id);
  if (asset && asset.mimeType !== 'image/png' && asset.mimeType !== 'image/jpeg') {
    throw refuse('image.asset_id', `must be an image (png or jpeg); asset ${asset.id} is ${asset.mimeType}`);
  }
}
