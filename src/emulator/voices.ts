/**
 * `GET /v3/voices`: a small fixed catalog (public voices and one cloned private voice),
 * filterable by type, engine, language and gender, paged with `limit` (1-100, default 20) and an
 * opaque `token`, each with a `preview_audio_url` (real MP3 bytes under `/previews/`). Voices marked without
 * `starfish` are refused by `POST /v3/voices/speech`; ids outside the catalog are accepted there
 * (an account's own voices are unknown to us).
 */
import type { Ctx } from './context.js';
import { ApiError } from './envelopes.js';
import type { Reply } from './http-util.js';
import { page, pageOf } from './looks.js';

interface Voice {
  voice_id: string;
  name: string;
  language: string;
  gender: 'male' | 'female';
  support_pause: boolean;
  support_locale: boolean;
  type: 'public' | 'private';
  starfish: boolean;
}

/** The voices the emulator offers, with the fields HeyGen's voice list returns. */
export const VOICES: readonly Voice[] = [
  { voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', name: 'Rachel', language: 'English', gender: 'female', support_pause: true, support_locale: true, type: 'public', starfish: true },
  { voice_id: '1bd001e7e50f421d891986aad5158bc8', name: 'Paul', language: 'English', gender: 'male', support_pause: true, support_locale: true, type: 'public', starfish: true },
  { voice_id: '4f3b1e0a9c2d4e5f8a7b6c5d4e3f2a1b', name: 'Lucia', language: 'Spanish', gender: 'female', support_pause: true, support_locale: true, type: 'public', starfish: true },
  { voice_id: '7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f', name: 'Jonas', language: 'German', gender: 'male', support_pause: true, support_locale: false, type: 'public', starfish: true },
  { voice_id: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d', name: 'Legacy Mark', language: 'English', gender: 'male', support_pause: false, support_locale: false, type: 'public', starfish: false },
  { voice_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', name: 'Legacy Emma', language: 'English', gender: 'female', support_pause: false, support_locale: false, type: 'public', starfish: false },
  { voice_id: 'voice_clone_me_0001', name: 'My Voice (clone)', language: 'English', gender: 'male', support_pause: true, support_locale: false, type: 'private', starfish: false },
];

/** The voice with this id, if the account has it. */
export function findVoice(id: string): Voice | undefined {
  return VOICES.find((v) => v.voice_id === id);
}

/** Refuses a catalog voice that cannot speak through the Starfish TTS engine. */
export function assertStarfish(voiceId: string): void {
  const voice = VOICES.find((v) => v.voice_id === voiceId);
  if (voice && !voice.starfish) {
    throw new ApiError(
      400,
      'validation_error',
      `voice_id ${voiceId} does not support the starfish engine; list compatible voices with GET /v3/voices?engine=starfish`,
      'voice_id',
    );
  }
}

/** Handles the voice list endpoint, filtered by type and paged with a token and limit as HeyGen's is. */
export function listVoices(ctx: Ctx): Reply {
  const q = ctx.url.searchParams;
  const type = q.get('type') ?? 'public';
  if (type !== 'public' && type !== 'private') {
    throw new ApiError(400, 'validation_error', `type must be one of: public, private (got ${JSON.stringify(type)})`, 'type');
  }
  const { limit, start } = pageOf(ctx, 100);
  const engine = q.get('engine');
  const language = q.get('language')?.toLowerCase();
  const gender = q.get('gender')?.toLowerCase();
  const matching = VOICES.filter(
    (v) =>
      v.type === type &&
      (!engine || (engine === 'starfish' && v.starfish)) &&
      (!language || v.language.toLowerCase() === language) &&
      (!gender || v.gender === gender),
  );
  const base = ctx.deps.base;
  return page(matching, limit, start, ({ starfish: _starfish, ...v }) => ({ ...v, preview_audio_url: `${base}/previews/voices/${v.voice_id}.mp3` }));
}

/**
 * `GET /v3/voices/{voice_id}` (VoiceGet): one voice with the fields that answer has (no `type`,
 * `support_locale` or engine listing); 404 for an id the account does not have.
 */
export function getVoice(ctx: Ctx): Reply {
  const id = decodeURIComponent(ctx.params[0] ?? '');
  const v = findVoice(id);
  if (!v) throw new ApiError(404, 'not_found', `Voice ${id} was not found`, 'voice_id');
  const data = {
    voice_id: v.voice_id,
    name: v.name,
    language: v.language,
    gender: v.gender,
    support_pause: v.support_pause,
    support_interactive_avatar: false,
    preview_audio_url: `${ctx.deps.base}/previews/voices/${v.voice_id}.mp3`,
  };
  return { status: 200, body: { data } };
}
