/**
 * Fetching the account's catalog: avatar looks (public and private) and voices (public and private,
 * and which of them HeyGen lists under `engine=starfish`). All free GETs, every page followed, read
 * leniently: a record without an id or a name is skipped, not fatal.
 */
import type { Catalog, CatalogLook, CatalogVoice, LookStatus, LookType } from '../../model/catalog.js';
import { HeygenApiError } from './errors.js';
import type { HttpClient } from './http.js';
import { obj, optString, type Json } from './read.js';
import { mapLimit } from '../../util/limit.js';

/** HeyGen's largest pages: looks 50, voices 100. Fewer requests for the same catalog. */
const LOOK_PAGE = 50;
const VOICE_PAGE = 100;
/**
 * Catalog lists fetched at once beside the first. Five: after the first list's first page, the other
 * five lists of a small account go in one round, beside that list's second page; two lanes took four
 * rounds, each a round trip before the first submit.
 */
const LANES = 5;
/** A runaway cursor must not loop forever: 200 pages is 10,000 looks. */
const MAX_PAGES = 200;

const LOOK_TYPES: readonly string[] = ['studio_avatar', 'digital_twin', 'photo_avatar'];
const STATUSES: readonly string[] = ['processing', 'pending_consent', 'failed', 'completed'];
const ORIENTATIONS: readonly string[] = ['portrait', 'landscape', 'square'];

function oneOf<T extends string>(v: unknown, allowed: readonly string[]): T | null {
  return typeof v === 'string' && allowed.includes(v) ? (v as T) : null;
}

/** Reads one look from a list answer; undefined when it has no id or name. */
export function lookFromV3(raw: unknown, ownership: 'public' | 'private'): CatalogLook | undefined {
  const d = obj(raw);
  const id = optString(d.id);
  const name = optString(d.name);
  if (!id || !name) return undefined;
  const err = obj(d.error);
  return {
    id,
    name,
    avatar_type: oneOf<LookType>(d.avatar_type, LOOK_TYPES) ?? 'studio_avatar',
    ownership,
    group_id: optString(d.group_id) ?? null,
    gender: optString(d.gender) ?? null,
    supported_api_engines: Array.isArray(d.supported_api_engines) ? d.supported_api_engines.filter((e): e is string => typeof e === 'string') : [],
    default_voice_id: optString(d.default_voice_id) ?? null,
    preferred_orientation: oneOf<'portrait' | 'landscape' | 'square'>(d.preferred_orientation, ORIENTATIONS),
    preview_image_url: optString(d.preview_image_url) ?? null,
    preview_video_url: optString(d.preview_video_url) ?? null,
    status: oneOf<LookStatus>(d.status, STATUSES),
    error: optString(err.message) ? { code: optString(err.code) ?? 'unknown', message: optString(err.message) as string } : null,
  };
}

/** Reads one voice from a list answer; undefined when it has no id. */
export function voiceFromV3(raw: unknown, starfish: boolean): CatalogVoice | undefined {
  const d = obj(raw);
  const id = optString(d.voice_id);
  if (!id) return undefined;
  return {
    voice_id: id,
    name: optString(d.name) ?? id,
    language: optString(d.language) ?? '',
    gender: optString(d.gender) ?? '',
    type: d.type === 'private' ? 'private' : 'public',
    support_pause: d.support_pause === true,
    support_locale: d.support_locale === true,
    starfish,
    preview_audio_url: optString(d.preview_audio_url) ?? null,
  };
}

/** Every item of a paginated v3 list, following `next_token` while `has_more`; `onFirstPage` once the first page is in. */
export async function listAll(http: HttpClient, url: string, query: Record<string, string>, signal?: AbortSignal, onFirstPage?: () => void): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const u = new URL(url);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    if (token) u.searchParams.set('token', token);
    const { body } = await http.send({ method: 'GET', url: u.toString(), signal });
    if (pages === 0) onFirstPage?.();
    const b: Json = obj(body);
    if (Array.isArray(b.data)) items.push(...(b.data as unknown[]));
    token = b.has_more === true ? optString(b.next_token) : undefined;
    if (!token) break;
  }
  return items;
}

/**
 * The whole catalog, fetched now: six lists. The first goes alone until its first page is answered, so
 * a wrong key or an account without API access costs one request here, not one per list. Then the
 * others go beside the rest of it, at most LANES at a time (they are free, but HeyGen limits requests
 * per minute).
 */
export async function fetchCatalog(http: HttpClient, baseUrl: string, now: number, signal?: AbortSignal): Promise<Catalog> {
  const looksUrl = `${baseUrl}/v3/avatars/looks`;
  const voicesUrl = `${baseUrl}/v3/voices`;
  const looks = async (ownership: 'public' | 'private', onFirstPage?: () => void): Promise<CatalogLook[]> =>
    (await listAll(http, looksUrl, { ownership, limit: String(LOOK_PAGE) }, signal, onFirstPage)).flatMap((r) => lookFromV3(r, ownership) ?? []);
  const voices = (type: 'public' | 'private', starfish: boolean): Promise<unknown[]> =>
    listAll(http, voicesUrl, { type, limit: String(VOICE_PAGE), ...(starfish ? { engine: 'starfish' } : {}) }, signal);
  let opened = (): void => undefined;
  const firstPage = new Promise<void>((r) => (opened = r));
  const first = looks('public', opened);
  // A failed first page rejects here, before any other list is asked.
  await Promise.race([firstPage, first]);
  // Lanes, each taking the next list as soon as its last one ends: lists have unequal page counts,
  // so rounds would leave a lane idle while another follows a longer list. The public lists, the
  // longest, go first.
  const lists: (() => Promise<unknown>)[] = [
    () => first,
    () => voices('public', false),
    () => voices('public', true),
    () => looks('private'),
    () => voices('private', false),
    () => voices('private', true),
  ];
  const got: unknown[] = new Array(lists.length);
  // The first list holds no lane: it is already on its way.
  await mapLimit(lists.map((_, i) => i), LANES + 1, async (i) => {
    got[i] = await lists[i]!();
  });
  const [publicLooks, pub, pubStarfish, privateLooks, priv, privStarfish] = got as [CatalogLook[], unknown[], unknown[], CatalogLook[], unknown[], unknown[]];
  const starfishIds = new Set([...pubStarfish, ...privStarfish].map((v) => optString(obj(v).voice_id)));
  const seen = new Set<string>();
  const allVoices = [...pub, ...priv].flatMap((raw) => {
    const v = voiceFromV3(raw, starfishIds.has(optString(obj(raw).voice_id)));
    if (!v || seen.has(v.voice_id)) return [];
    seen.add(v.voice_id);
    return [v];
  });
  return { fetched_at: now, looks: [...privateLooks, ...publicLooks], voices: allVoices };
}

/**
 * Single looks and voices, one GET each and all at once (`GET /v3/avatars/looks/{id}`,
 * `GET /v3/voices/{id}`): one round trip for the few ids a build renders with, where the lists take
 * two or more. Undefined for an id HeyGen does not know (404). A look's `ownership` is read from its
 * training `status` (present for private looks only); a voice's answer has no `support_locale`, `type`
 * or Starfish listing, so those read false / public here: see `catalogNeeds` for when that is enough.
 */
export async function fetchCatalogItems(
  http: HttpClient,
  baseUrl: string,
  ids: { looks: readonly string[]; voices: readonly string[] },
  now: number,
  signal?: AbortSignal,
): Promise<{ catalog: Catalog; missing: string[] }> {
  const one = async (url: string): Promise<unknown> => {
    try {
      return (await http.send({ method: 'GET', url, signal })).data;
    } catch (e) {
      if (e instanceof HeygenApiError && e.httpStatus === 404) return undefined;
      throw e;
    }
  };
  const enc = encodeURIComponent;
  const [looks, voices] = await Promise.all([
    Promise.all(ids.looks.map((id) => one(`${baseUrl}/v3/avatars/looks/${enc(id)}`))),
    Promise.all(ids.voices.map((id) => one(`${baseUrl}/v3/voices/${enc(id)}`))),
  ]);
  const missing: string[] = [];
  const catalog: Catalog = { fetched_at: now, looks: [], voices: [] };
  looks.forEach((raw, i) => {
    const look = raw === undefined ? undefined : lookFromV3(raw, obj(raw).status == null ? 'public' : 'private');
    if (look) catalog.looks.push(look);
    else missing.push(ids.looks[i]!);
  });
  voices.forEach((raw, i) => {
    // A clone still in training (or failed) is left to the lists, as before this lookup existed.
    const cloning = raw !== undefined && (obj(raw).status === 'processing' || obj(raw).status === 'failed');
    const voice = raw === undefined || cloning ? undefined : voiceFromV3(raw, false);
    if (voice) catalog.voices.push(voice);
    else missing.push(ids.voices[i]!);
  });
  return { catalog, missing };
}
