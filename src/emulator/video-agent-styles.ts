/**
 * `GET /v3/video-agents/styles`: Video Agent's curated styles (VideoAgentStylesList), a small fixed
 * list filterable by `tag` and paged with `limit` (1-100, default 20) and an opaque `token`. A session
 * whose `style_id` is not in the list is refused, as a client bug HeyGen would answer with a 400.
 */
import type { Ctx, Route } from './context.js';
import { ApiError } from './envelopes.js';
import type { Reply } from './http-util.js';
import { page, pageOf } from './looks.js';

interface Style {
  style_id: string;
  name: string;
  tags: string[];
  aspect_ratio: string | null;
}

/** The styles the emulator offers, with the fields HeyGen's style list returns. */
export const STYLES: readonly Style[] = [
  { style_id: 'style_cinematic_noir', name: 'Cinematic Noir', tags: ['cinematic'], aspect_ratio: '16:9' },
  { style_id: 'style_cinematic_epic', name: 'Epic Trailer', tags: ['cinematic'], aspect_ratio: '16:9' },
  { style_id: 'style_retro_terminal', name: 'Retro Terminal', tags: ['retro-tech'], aspect_ratio: '16:9' },
  { style_id: 'style_retro_vhs', name: 'VHS Tape', tags: ['retro-tech', 'pop-culture'], aspect_ratio: '4:3' },
  { style_id: 'style_paper_cutout', name: 'Paper Cutout', tags: ['handmade'], aspect_ratio: null },
  { style_id: 'style_clay_studio', name: 'Clay Studio', tags: ['handmade'], aspect_ratio: '1:1' },
  { style_id: 'style_print_magazine', name: 'Print Magazine', tags: ['print'], aspect_ratio: '9:16' },
  { style_id: 'style_pop_art', name: 'Pop Art', tags: ['iconic-artist', 'pop-culture'], aspect_ratio: null },
  { style_id: 'style_clean_corporate', name: 'Clean Corporate', tags: [], aspect_ratio: '16:9' },
];

/** Whether Video Agent has this style. */
export function knownStyle(id: string): boolean {
  return STYLES.some((s) => s.style_id === id);
}

/** Refuses a session asking for a style the list does not have. */
export function assertKnownStyle(id: unknown): void {
  if (typeof id === 'string' && !knownStyle(id)) {
    throw new ApiError(400, 'validation_error', `style_id ${id} is not a Video Agent style; list them with GET /v3/video-agents/styles`, 'style_id');
  }
}

function listStyles(ctx: Ctx): Reply {
  const { limit, start } = pageOf(ctx, 100);
  const tag = ctx.url.searchParams.get('tag');
  const matching = tag ? STYLES.filter((s) => s.tags.includes(tag)) : STYLES;
  return page(matching, limit, start, (s) => ({ ...s, thumbnail_url: null, preview_video_url: null }));
}

/** The style list route; it goes before `GET /v3/video-agents/{id}`, whose pattern would take `styles`. */
export const videoAgentStyleRoutes: Route[] = [{ method: 'GET', pattern: /^\/v3\/video-agents\/styles$/, style: 'v3', handle: listStyles }];
