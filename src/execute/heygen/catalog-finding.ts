/** What the catalog checks find (catalog-checks.ts) and the Problems report groups (catalog-problems.ts). */
import type { DataPath } from '../../manifest/issue.js';

/** The codes the catalog checks raise. */
export type CatalogCode =
  | 'E_UNKNOWN_AVATAR'
  | 'E_AVATAR_NOT_READY'
  | 'E_AVATAR_ENGINE'
  | 'E_AVATAR_EXPRESSIVENESS'
  | 'E_AVATAR_MOTION'
  | 'E_UNKNOWN_VOICE'
  | 'E_VOICE_NO_PAUSE'
  | 'E_VOICE_NO_LOCALE'
  | 'E_VOICE_NOT_STARFISH'
  | 'E_NO_VOICE'
  | 'W_DEFAULT_VOICE';

/** Where a finding is fixed: a manifest field, or an alias in the config. */
export type Place = { kind: 'manifest'; file: string; path: DataPath } | { kind: 'alias'; table: 'avatars' | 'voices'; name: string };

/** One thing the catalog says a render would fail on. */
export interface Finding {
  code: CatalogCode;
  message: string;
  place: Place;
  /** `error` for what a build would render; `warning` for an alias nothing uses; `note`: fine, and said. */
  effect: 'error' | 'warning' | 'note';
  /** Tells findings of one place and code apart (the id, the locale, the scene). */
  key: string;
}
