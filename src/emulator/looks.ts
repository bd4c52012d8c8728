/**
 * `GET /v3/avatars/looks`: an account's avatar looks as HeyGen lists them (AvatarLooksList.json):
 * public studio looks and the account's own digital twins and photo avatars, with their training
 * states, engines, default voices and preview images (real PNG bytes under `/previews/`, no key, as
 * HeyGen's CDN serves them). More public looks than one page of 50 holds, so a client must follow
 * `next_token`. A render of an id that is not here fails, as HeyGen fails it.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from './context.js';
import { ApiError } from './envelopes.js';
import type { Reply } from './http-util.js';
import type { Rgb } from './png.js';

type AvatarType = 'studio_avatar' | 'digital_twin' | 'photo_avatar';
type TrainingStatus = 'processing' | 'pending_consent' | 'failed' | 'completed';
type Orientation = 'portrait' | 'landscape' | 'square';

/** One look as the emulator keeps it: HeyGen's fields, plus its ownership (HeyGen filters by it). */
export interface Look {
  id: string;
  name: string;
  avatar_type: AvatarType;
  ownership: 'public' | 'private';
  group_id: string;
  gender: 'male' | 'female';
  supported_api_engines: string[];
  default_voice_id: string | null;
  preferred_orientation: Orientation;
  /** Private looks only, as HeyGen gives it. */
  status?: TrainingStatus;
  error?: { code: string; message: string };
  /** Whether there is a preview image (a look still training has none). */
  preview: boolean;
}

const RACHEL = '2d5b0e6cf36f460aa7fc47e3eee4ba54';
const PAUL = '1bd001e7e50f421d891986aad5158bc8';
const ALL_ENGINES = ['avatar_iii', 'avatar_iv', 'avatar_v'];

function studio(id: string, name: string, gender: 'male' | 'female', voice: string | null, engines = ['avatar_iii', 'avatar_iv']): Look {
  const group = id.split(/[-_]/)[0] ?? id;
  return { id, name, avatar_type: 'studio_avatar', ownership: 'public', group_id: group, gender, supported_api_engines: engines, default_voice_id: voice, preferred_orientation: 'landscape', preview: true };
}

/** 52 stock looks that only fill pages: with the named ones, the public list needs two pages of 50. */
const STOCK: Look[] = Array.from({ length: 52 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return studio(`Stock-presenter${n}-20240101`, `Stock Presenter ${n}`, i % 2 ? 'male' : 'female', i % 2 ? PAUL : RACHEL);
});

/** The looks the emulator's account sees. */
export const LOOKS: readonly Look[] = [
  studio('Daisy-inskirt-20220818', 'Daisy in Skirt', 'female', RACHEL),
  studio('Tyler-incasualsuit-20220721', 'Tyler in Casual Suit', 'male', PAUL),
  studio('Angela-inblackskirt-20220820', 'Angela in Black Skirt', 'female', RACHEL),
  studio('Anna-x', 'Anna', 'female', RACHEL),
  studio('Tyler-incasual-20220721', 'Tyler in Casual Wear', 'male', PAUL),
  studio('Stiff-no-matting-2024', 'Stiff (trained without matting)', 'male', PAUL),
  studio('josh_lite3_20230714', 'Josh Lite', 'male', PAUL, ALL_ENGINES),
  // Rendered only by the older engine: the default (Avatar IV) fails for it.
  studio('Edward-classic-20210115', 'Edward Classic', 'male', null, ['avatar_iii']),
  ...STOCK,
  {
    id: 'look_twin_ready_0001', name: 'My Twin (office)', avatar_type: 'digital_twin', ownership: 'private', group_id: 'group_my_twin',
    gender: 'male', supported_api_engines: ALL_ENGINES, default_voice_id: 'voice_clone_me_0001', preferred_orientation: 'portrait', status: 'completed', preview: true,
  },
  {
    id: 'look_twin_training_0002', name: 'My Twin (studio)', avatar_type: 'digital_twin', ownership: 'private', group_id: 'group_my_twin',
    gender: 'male', supported_api_engines: ALL_ENGINES, default_voice_id: null, preferred_orientation: 'portrait', status: 'processing', preview: false,
  },
  {
    id: 'look_twin_failed_0003', name: 'My Twin (outdoors)', avatar_type: 'digital_twin', ownership: 'private', group_id: 'group_my_twin',
    gender: 'male', supported_api_engines: ALL_ENGINES, default_voice_id: null, preferred_orientation: 'portrait', status: 'failed',
    error: { code: 'training_failed', message: 'the footage has too little of the face in view' }, preview: false,
  },
  {
    id: 'look_photo_ready_0004', name: 'My Photo Avatar', avatar_type: 'photo_avatar', ownership: 'private', group_id: 'group_my_photo',
    gender: 'female', supported_api_engines: ['avatar_iii', 'avatar_iv'], default_voice_id: RACHEL, preferred_orientation: 'square', status: 'completed', preview: true,
  },
];

const BY_ID = new Map(LOOKS.map((l) => [l.id, l]));

/** The look with this id, if the account has it. */
export function findLook(id: string): Look | undefined {
  return BY_ID.get(id);
}

/** The colour of a look's preview image: from its id, so each look's picture is its own. */
export function lookColor(id: string): Rgb {
  const h = createHash('sha256').update(id).digest();
  // Kept mid-range: far from black, white and the drafts' slate placeholder.
  return [64 + ((h[0] as number) % 128), 64 + ((h[1] as number) % 128), 64 + ((h[2] as number) % 128)];
}

/** The preview image's size for a look's orientation. */
export function previewSize(o: Orientation): { width: number; height: number } {
  return o === 'portrait' ? { width: 180, height: 320 } : o === 'square' ? { width: 240, height: 240 } : { width: 320, height: 180 };
}

function lookJson(l: Look, base: string): Record<string, unknown> {
  const { ownership: _o, preview, status, error, ...fields } = l;
  const size = previewSize(l.preferred_orientation);
  return {
    ...fields,
    tags: [],
    image_width: size.width * 6,
    image_height: size.height * 6,
    preview_image_url: preview ? `${base}/previews/looks/${encodeURIComponent(l.id)}.png` : null,
    preview_video_url: null,
    ...(status !== undefined ? { status } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

/** The page size and start of a list request, refused as HeyGen refuses them. */
export function pageOf(ctx: Ctx, max: number): { limit: number; start: number } {
  const q = ctx.url.searchParams;
  const limit = q.get('limit') === null ? 20 : Number(q.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ApiError(400, 'validation_error', `limit must be an integer between 1 and ${max}`, 'limit');
  }
  const token = q.get('token');
  const start = token === null ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0) throw new ApiError(400, 'validation_error', 'token is not a valid cursor', 'token');
  return { limit, start };
}

/** `{data, has_more, next_token}` for one page of `items`. */
export function page<T>(items: readonly T[], limit: number, start: number, toJson: (t: T) => unknown): Reply {
  const more = start + limit < items.length;
  return {
    status: 200,
    body: { data: items.slice(start, start + limit).map(toJson), has_more: more, next_token: more ? Buffer.from(String(start + limit)).toString('base64url') : null },
  };
}

/** Handles `GET /v3/avatars/looks`, filtered by group, type and ownership, 1-50 a page. */
export function listLooks(ctx: Ctx): Reply {
  const q = ctx.url.searchParams;
  const type = q.get('avatar_type');
  if (type !== null && !['studio_avatar', 'digital_twin', 'photo_avatar'].includes(type)) {
    throw new ApiError(400, 'validation_error', 'avatar_type must be one of: studio_avatar, digital_twin, photo_avatar', 'avatar_type');
  }
  const ownership = q.get('ownership');
  if (ownership !== null && ownership !== 'public' && ownership !== 'private') {
    throw new ApiError(400, 'validation_error', 'ownership must be one of: public, private', 'ownership');
  }
  const group = q.get('group_id');
  const { limit, start } = pageOf(ctx, 50);
  const matching = LOOKS.filter((l) => (!type || l.avatar_type === type) && (!ownership || l.ownership === ownership) && (!group || l.group_id === group));
  return page(matching, limit, start, (l) => lookJson(l, ctx.deps.base));
}

/** Handles `GET /v3/avatars/looks/{id}`. */
export function getLook(ctx: Ctx): Reply {
  const id = decodeURIComponent(ctx.params[0] ?? '');
  const look = findLook(id);
  if (!look) throw new ApiError(404, 'not_found', `Avatar look ${id} was not found`, 'look_id');
  return { status: 200, body: { data: lookJson(look, ctx.deps.base) } };
}

/**
 * Why HeyGen fails a render of `avatarId`, or nothing when it can render it. HeyGen accepts the
 * request and fails the video minutes later; so does the emulator.
 */
export function lookFailure(avatarId: string | undefined, engine: string): { code: string; message: string } | undefined {
  if (avatarId === undefined) return undefined;
  const look = findLook(avatarId);
  if (!look) return { code: 'avatar_not_found', message: `Avatar ${avatarId} not found or no longer available` };
  if (look.status !== undefined && look.status !== 'completed') {
    return { code: 'avatar_not_ready', message: `Avatar ${avatarId} is not ready (training status: ${look.status})` };
  }
  if (look.supported_api_engines.length > 0 && !look.supported_api_engines.includes(engine)) {
    return { code: 'engine_not_supported', message: `Avatar ${avatarId} does not support the ${engine} engine (supported: ${look.supported_api_engines.join(', ')})` };
  }
  return undefined;
}
