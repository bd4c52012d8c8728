/**
 * The account's catalog as a library call, for `heygen-build avatars` and `voices`: read from
 * `.heygen/catalog.json` while it is fresh, fetched with a key when stale or asked to, and filtered.
 */
import { loadConfig, type LoadConfigOptions } from '../config/index.js';
import { HeygenBuildError } from '../errors.js';
import { loadCatalog } from '../execute/heygen/catalog.js';
import type { Catalog, CatalogLook, CatalogVoice, LookType } from '../model/catalog.js';
import { heygenClientFromConfig } from '../providers/heygen/index.js';

/** Where the project is and whether to fetch now whatever the cache's age. */
export interface CatalogOptions extends LoadConfigOptions {
  refresh?: boolean;
}

/** The catalog and whether it was fetched by this call. */
export interface CatalogResult {
  catalog: Catalog;
  source: 'fetched' | 'cache' | 'stale';
}

/**
 * The catalog: fresh cache, else fetched (with a key), else a stale cache. Throws E_CATALOG_UNAVAILABLE
 * when there is no key and no cache.
 */
export async function getCatalog(opts: CatalogOptions = {}): Promise<CatalogResult> {
  const config = await loadConfig(opts);
  const client = config.heygen.apiKey ? heygenClientFromConfig(config, {}) : undefined;
  try {
    const state = await loadCatalog({
      root: config.root,
      mode: 'build',
      ...(client ? { fetch: (signal?: AbortSignal) => client.listCatalog(signal) } : {}),
      refresh: opts.refresh ?? false,
    });
    if (!state.catalog || state.source === 'none') {
      // `skipped` is worded for a plan ("ids were not checked"); here the listing itself is what failed.
      const why = (state.skipped ?? '').replace(/^avatar and voice ids were not checked: /, '');
      throw new HeygenBuildError('E_CATALOG_UNAVAILABLE', `no avatar and voice catalog${why ? `: ${why}` : ''}`, {
        hint: 'set HEYGEN_API_KEY so the catalog can be fetched, or run once with a key to cache it (.heygen/catalog.json)',
      });
    }
    // A catalog just fetched is in the cache when this returns.
    await state.refreshing;
    return { catalog: state.catalog, source: state.source };
  } finally {
    await client?.close();
  }
}

/** `--type` words as HeyGen's look types. */
export const LOOK_TYPE_FLAGS: Record<string, LookType> = { studio: 'studio_avatar', digital_twin: 'digital_twin', photo: 'photo_avatar' };

/** Filters for `avatars`. */
export interface LookFilter {
  type?: LookType;
  orientation?: 'portrait' | 'landscape' | 'square';
  search?: string;
}

/** Filters for `voices`. */
export interface VoiceFilter {
  language?: string;
  gender?: string;
  /** Only voices that can speak without an avatar (Starfish, `/v3/voices/speech`). */
  tts?: boolean;
  search?: string;
}

function matches(search: string | undefined, ...fields: (string | null)[]): boolean {
  if (!search) return true;
  const s = search.toLowerCase();
  return fields.some((f) => f !== null && f.toLowerCase().includes(s));
}

/** Looks that pass every filter given; `search` matches the id, the name or the group id, any case. */
export function filterLooks(looks: readonly CatalogLook[], f: LookFilter): CatalogLook[] {
  return looks.filter(
    (l) => (!f.type || l.avatar_type === f.type) && (!f.orientation || l.preferred_orientation === f.orientation) && matches(f.search, l.id, l.name, l.group_id),
  );
}

/** Voices that pass every filter; `language` matches HeyGen's language name from its start (`english`, `Spanish`). */
export function filterVoices(voices: readonly CatalogVoice[], f: VoiceFilter): CatalogVoice[] {
  const lang = f.language?.toLowerCase();
  return voices.filter(
    (v) =>
      (!lang || v.language.toLowerCase().startsWith(lang)) &&
      (!f.gender || v.gender.toLowerCase() === f.gender.toLowerCase()) &&
      (!f.tts || v.starfish) &&
      matches(f.search, v.voice_id, v.name),
  );
}
