/**
 * The account's avatar looks and voices, as HeyGen lists them (`GET /v3/avatars/looks`, `GET /v3/voices`),
 * kept in `.heygen/catalog.json`. Field names are HeyGen's own, so the cache, `avatars --json` and
 * `voices --json` read like HeyGen's answers; `ownership` and `starfish` are what we learn from which
 * list a record came from.
 */

/** HeyGen's look types: they decide which engines and settings a look accepts. */
export type LookType = 'studio_avatar' | 'digital_twin' | 'photo_avatar';

/** A private look's training state; public looks have none. */
export type LookStatus = 'processing' | 'pending_consent' | 'failed' | 'completed';

/** One avatar look: its `id` is the `avatar_id` a video is rendered with. */
export interface CatalogLook {
  id: string;
  name: string;
  avatar_type: LookType;
  /** `private`: the account's own (it has a training `status`). */
  ownership: 'public' | 'private';
  group_id: string | null;
  gender: string | null;
  /** Engines `POST /v3/videos` accepts for it: `avatar_iii`, `avatar_iv`, `avatar_v`. */
  supported_api_engines: string[];
  default_voice_id: string | null;
  preferred_orientation: 'portrait' | 'landscape' | 'square' | null;
  preview_image_url: string | null;
  preview_video_url: string | null;
  status: LookStatus | null;
  /** Why training failed, when `status` is `failed`. */
  error: { code: string; message: string } | null;
}

/** One voice. */
export interface CatalogVoice {
  voice_id: string;
  name: string;
  language: string;
  gender: string;
  type: 'public' | 'private';
  /** Whether `<break time="1s"/>` pauses work with it. */
  support_pause: boolean;
  /** Whether `locale` (an accent such as en-GB) works with it. */
  support_locale: boolean;
  /** Listed under `engine=starfish`: it can speak through `/v3/voices/speech` (avatar-less scenes). */
  starfish: boolean;
  preview_audio_url: string | null;
}

/** The catalog, with when it was fetched (ms since the epoch). */
export interface Catalog {
  fetched_at: number;
  looks: CatalogLook[];
  voices: CatalogVoice[];
}

/** One of Video Agent's curated styles (`GET /v3/video-agents/styles`): its id is a prompt video's `style:`. */
export interface VideoAgentStyle {
  id: string;
  name: string;
  tags: string[];
  /** `16:9`, `9:16`, `1:1`..., when the style has one. */
  aspectRatio?: string;
}
