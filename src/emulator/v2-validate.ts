/**
 * Checks on a `POST /v2/video/generate` body, after HeyGen's v2 docs (no official JSON Schema
 * exists for v2): 1-50 `video_inputs`, each with a text/audio/silence `voice`, an optional
 * avatar/talking_photo `character` and color/image/video `background`; `dimension` even 128-4096.
 */
import { ApiError } from './envelopes.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function bad(param: string, message: string): ApiError {
  return new ApiError(400, 'invalid_parameter', `${param} ${message}`, param);
}

function missing(param: string): ApiError {
  return new ApiError(400, 'missing_parameter', `${param} is required`, param);
}

function str(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function checkCharacter(c: Json, at: string): void {
  if (c.type === 'avatar') {
    if (!str(c.avatar_id)) throw missing(`${at}.avatar_id`);
    if (c.avatar_style !== undefined && !['normal', 'closeUp', 'circle'].includes(text(c.avatar_style))) {
      throw bad(`${at}.avatar_style`, 'must be one of: normal, closeUp, circle');
    }
  } else if (c.type === 'talking_photo') {
    if (!str(c.talking_photo_id)) throw missing(`${at}.talking_photo_id`);
  } else {
    throw bad(`${at}.type`, 'must be one of: avatar, talking_photo');
  }
  if (c.scale !== undefined && (typeof c.scale !== 'number' || c.scale < 0 || c.scale > 5)) {
    throw bad(`${at}.scale`, 'must be a number from 0 to 5');
  }
}

function checkVoice(v: Json, at: string): void {
  if (v.type === 'text') {
    if (!str(v.voice_id)) throw missing(`${at}.voice_id`);
    if (!str(v.input_text)) throw missing(`${at}.input_text`);
    if (v.input_text.length > 5000) throw bad(`${at}.input_text`, 'must be at most 5000 characters');
    // v2 docs give speed 0.5-2.0 (v3: 0.5-1.5) and pitch -20..20 (v3: -50..50): accept the wider.
    if (v.speed !== undefined && (typeof v.speed !== 'number' || v.speed < 0.5 || v.speed > 2)) {
      throw bad(`${at}.speed`, 'must be a number from 0.5 to 2.0');
    }
    if (v.pitch !== undefined && (typeof v.pitch !== 'number' || v.pitch < -50 || v.pitch > 50)) {
      throw bad(`${at}.pitch`, 'must be a number from -50 to 50');
    }
  } else if (v.type === 'audio') {
    if (!str(v.audio_url) && !str(v.audio_asset_id)) throw missing(`${at}.audio_url`);
  } else if (v.type === 'silence') {
    if (typeof v.duration !== 'number' || v.duration <= 0 || v.duration > 100) {
      throw bad(`${at}.duration`, 'must be a number of seconds from 0 to 100');
    }
  } else {
    throw bad(`${at}.type`, 'must be one of: text, audio, silence');
  }
}

function checkBackground(b: Json, at: string): void {
  if (b.type === 'color') {
    if (typeof b.value !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(b.value)) throw bad(`${at}.value`, 'must be a #RRGGBB color');
  } else if (b.type === 'image') {
    if (!str(b.url) && !str(b.image_asset_id)) throw missing(`${at}.url`);
  } else if (b.type === 'video') {
    if (!str(b.url) && !str(b.video_asset_id)) throw missing(`${at}.url`);
  } else {
    throw bad(`${at}.type`, 'must be one of: color, image, video');
  }
}

/** Throws HeyGen's 400 for the first problem in a v2 generate body, per the checks above. */
export function assertValidV2Generate(body: Json): void {
  const inputs = body.video_inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) throw missing('video_inputs');
  if (inputs.length > 50) throw bad('video_inputs', 'must have at most 50 items');
  inputs.forEach((raw, i) => {
    const at = `video_inputs[${i}]`;
    const input = obj(raw);
    if (!input) throw bad(at, 'must be an object');
    const voice = obj(input.voice);
    if (!voice) throw missing(`${at}.voice`);
    checkVoice(voice, `${at}.voice`);
    if (input.character !== undefined && input.character !== null) {
      const c = obj(input.character);
      if (!c) throw bad(`${at}.character`, 'must be an object');
      checkCharacter(c, `${at}.character`);
    }
    if (input.background !== undefined && input.background !== null) {
      const b = obj(input.background);
      if (!b) throw bad(`${at}.background`, 'must be an object');
      checkBackground(b, `${at}.background`);
    }
  });
  if (body.dimension !== undefined && body.dimension !== null) {
    const d = obj(body.dimension);
    for (const side of ['width', 'height'] as const) {
      const n = d?.[side];
      if (typeof n !== 'number' || !Number.isInteger(n) || n % 2 !== 0 || n < 128 || n > 4096) {
        throw bad(`dimension.${side}`, 'must be an even integer from 128 to 4096');
      }
    }
  }
  for (const key of ['title', 'callback_id', 'callback_url'] as const) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') throw bad(key, 'must be a string');
  }
  for (const key of ['caption', 'test'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'boolean') throw bad(key, 'must be a boolean');
  }
  if (body.caption_mode !== undefined && !['file_only', 'burn_in'].includes(text(body.caption_mode))) {
    throw bad('caption_mode', 'must be one of: file_only, burn_in');
  }
}

/** A value as text for an enum check: objects are never equal to an enum member. */
function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}
